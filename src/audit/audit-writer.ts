import { ProblemError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { safeDbError } from '../store/safe-db-error.js';
import type { Store } from '../store/store.js';
import type { AuditEntry } from './audit-record.js';
import { dataAccessStream, storableDataAccessRecord } from './chain/chain-streams.js';
import { createGroupCommitter } from './chain/group-commit.js';
import { assertSubjectKey, hashSubjectId, maskSubjectId } from './subject-protection.js';

export interface AuditWriterOptions {
  store: Store;
  /** HMAC key for subject ids, from the environment; at least 32 bytes. */
  subjectKey: Buffer | string;
  logger: Logger;
  /** Called after every write attempt, for metrics (write latency, failures → alert). */
  onWrite?: (ms: number, ok: boolean) => void;
  /** Called after every group-commit transaction: how many records it carried, whether it committed. */
  onFlush?: (records: number, ok: boolean) => void;
  /** Most records per transaction (default 500). */
  maxBatch?: number;
}

export interface AuditWriter {
  /**
   * Resolves once the record is committed. The caller answers 2xx only
   * after that; on failure it rejects with LGSP_AUDIT_UNAVAILABLE (503) and
   * the caller answers that instead (fail closed).
   */
  record(entry: AuditEntry): Promise<void>;
}

export interface GroupCommittingAuditWriter extends AuditWriter {
  /** Resolves when every record handed over so far has committed or failed (graceful shutdown). */
  idle(): Promise<void>;
}

/**
 * Protects the subject (keyed hash + mask), then hands the record to the
 * data-access chain's group committer: concurrent records share one
 * transaction, each caller's promise settles when that transaction does.
 */
export function createAuditWriter(options: AuditWriterOptions): GroupCommittingAuditWriter {
  const { store, subjectKey, logger, onWrite } = options;
  assertSubjectKey(subjectKey);
  const committer = createGroupCommitter(dataAccessStream, {
    store,
    ...(options.onFlush ? { onFlush: options.onFlush } : {}),
    ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
  });

  return {
    async record(entry) {
      const { subjectId } = entry;
      // The stored record takes the entry's facts one by one: the subject id in clear is not one of them, only its hash and mask.
      const subject = subjectId === undefined ? undefined : { subjectHash: hashSubjectId(subjectKey, subjectId), subjectMasked: maskSubjectId(subjectId) };
      const started = performance.now();
      let ok = false;
      try {
        await committer.append(storableDataAccessRecord(entry, subject));
        ok = true;
      } catch (err) {
        const cause = safeDbError(err);
        // requestId and operation identify the failed write; end user and subject stay out of logs.
        logger.error(
          { err: cause, requestId: entry.requestId, operation: entry.operation },
          'audit record could not be written',
        );
        throw new ProblemError('LGSP_AUDIT_UNAVAILABLE', { cause });
      } finally {
        reportWrite(onWrite, performance.now() - started, ok, logger);
      }
    },
    idle: () => committer.idle(),
  };
}

function reportWrite(
  onWrite: AuditWriterOptions['onWrite'],
  ms: number,
  ok: boolean,
  logger: Logger,
): void {
  try {
    onWrite?.(ms, ok);
  } catch (err) {
    // A broken metrics hook must not turn a committed record into a 503.
    logger.warn({ err }, 'audit onWrite hook failed');
  }
}
