import type { Queryable, Store } from '../../store/store.js';
import { adminStreamName, dataAccessStreamName } from '../chain/chain-streams.js';
import { addMonths, monthStart } from '../partitions/audit-months.js';
import { listAuditPartitions } from '../partitions/audit-partition-catalog.js';
import { lockChainHead } from '../chain/chain-append.js';
import { lastPosition, moveChainAnchor, type ChainPosition } from './chain-anchor.js';


/** How long each stream is kept, in whole months (config audit.retention). 0 keeps a stream forever. */
export interface RetentionPolicy {
  dataAccessMonths: number;
  adminMonths: number;
}

export interface RetentionReport {
  /** Monthly partitions of audit_records dropped, oldest first. */
  droppedPartitions: string[];
  deletedAdminRows: number;
}

/** One removal, as the admin stream should record it. */
export interface RetentionRemoval {
  stream: 'data_access' | 'admin';
  /** Everything before this instant went (start of the current UTC month minus the retention). */
  before: Date;
  /** data_access: the monthly partitions dropped. */
  partitions?: string[];
  /** admin: rows deleted in this batch. */
  rows?: number;
  /** The last chained record removed (the anchor now points just after it), when the chain is in place. */
  lastSeq?: number;
}

export interface RetentionOptions {
  now?: Date;
  /** Admin rows deleted per transaction. Default 5 000. */
  adminBatchSize?: number;
  /**
   * Called inside each removal's transaction, after the removal and the
   * anchor move: what it writes (the run, as an admin-stream action) commits
   * with the removal or not at all, and if it throws nothing is removed.
   */
  recordRemoval?: (tx: Queryable, removal: RetentionRemoval) => Promise<void>;
}

/**
 * Everything older than "start of the current UTC month minus N months" is
 * removed: data-access records as whole monthly partitions (a partition goes
 * once its upper bound is at or before that instant, so nothing younger than
 * N months is ever touched), admin records row by row in batches. Each
 * removal moves the stream's chain anchor in the same transaction.
 *
 * Runs under a transaction-level advisory lock per schema, so replicas
 * running it at the same time take turns and the second finds nothing left.
 */
export async function applyAuditRetention(store: Store, policy: RetentionPolicy, options: RetentionOptions = {}): Promise<RetentionReport> {
  const now = options.now ?? new Date();
  const record = options.recordRemoval ?? (async () => undefined);
  const droppedPartitions = policy.dataAccessMonths > 0 ? await dropExpiredPartitions(store, cutoff(now, policy.dataAccessMonths), record) : [];
  const deletedAdminRows =
    policy.adminMonths > 0 ? await deleteExpiredAdminRows(store, cutoff(now, policy.adminMonths), options.adminBatchSize ?? 5_000, record) : 0;
  return { droppedPartitions, deletedAdminRows };
}

function cutoff(now: Date, months: number): Date {
  return addMonths(monthStart(now), -months);
}

type RecordRemoval = NonNullable<RetentionOptions['recordRemoval']>;

async function lockRetention(tx: Queryable): Promise<void> {
  // Dropping a partition locks audit_records exclusively for a moment, and
  // the chain head is held meanwhile: audit writers wait while it does. If a
  // lock is not free quickly (a long read of the trail), give up and retry
  // at the next run rather than stall personal-data calls.
  await tx.exec("SET LOCAL lock_timeout = '2s'");
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:audit_retention:' || current_schema()))");
}

async function dropExpiredPartitions(store: Store, before: Date, record: RecordRemoval): Promise<string[]> {
  return store.transaction(async (tx) => {
    await lockRetention(tx);
    const expired = (await listAuditPartitions(tx)).filter((partition) => addMonths(partition.month, 1) <= before);
    if (expired.length === 0) return [];

    // Lock order matters: the table first (dropping a partition needs it exclusively anyway), then the
    // chain head. The one-statement group commit takes the table lock before it reaches the head row, so
    // the reverse order would deadlock with it. Both held until commit: the chain cannot grow while
    // records go and the anchor moves.
    await tx.exec('LOCK TABLE audit_records IN ACCESS EXCLUSIVE MODE');
    await lockChainHead(tx, dataAccessStreamName);
    const lastDropped: Array<ChainPosition | undefined> = [];
    for (const { name } of expired) {
      lastDropped.push(await lastChained(tx, name));
      // Names come from the catalog and match audit_records_pYYYYMM only.
      await tx.exec(`DROP TABLE ${name}`);
    }
    const last = lastPosition(lastDropped);
    if (last) await moveChainAnchor(tx, dataAccessStreamName, last);
    const partitions = expired.map((partition) => partition.name);
    await record(tx, { stream: 'data_access', before, partitions, ...(last ? { lastSeq: last.seq } : {}) });
    return partitions;
  });
}

async function lastChained(tx: Queryable, partition: string): Promise<ChainPosition | undefined> {
  const { rows } = await tx.query<{ seq: number; record_hash: string }>(
    `SELECT seq, record_hash FROM ${partition}
      WHERE stream = $1 AND seq IS NOT NULL
      ORDER BY seq DESC LIMIT 1`,
    [dataAccessStreamName],
  );
  return rows[0] ? { seq: Number(rows[0].seq), recordHash: rows[0].record_hash } : undefined;
}

async function deleteExpiredAdminRows(store: Store, before: Date, batchSize: number, record: RecordRemoval): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.transaction(async (tx) => {
      await lockRetention(tx);
      await lockChainHead(tx, adminStreamName);
      const { rows } = await tx.query<{ seq: number | null; record_hash: string | null }>(
        `DELETE FROM admin_audit_log
          WHERE id IN (SELECT id FROM admin_audit_log WHERE occurred_at < $1 ORDER BY occurred_at, id LIMIT $2)
          RETURNING seq, record_hash`,
        [before, batchSize],
      );
      const last = lastPosition(rows.map((row) => (row.seq === null || row.record_hash === null ? undefined : { seq: Number(row.seq), recordHash: row.record_hash })));
      if (last) await moveChainAnchor(tx, adminStreamName, last);
      if (rows.length > 0) await record(tx, { stream: 'admin', before, rows: rows.length, ...(last ? { lastSeq: last.seq } : {}) });
      return rows.length;
    });
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
