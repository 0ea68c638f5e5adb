import { ProblemError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { safeDbError } from '../store/safe-db-error.js';

export interface AuditGateOptions {
  /** A cheap round trip to the store the audit trail is written to. */
  ping: () => Promise<void>;
  /** How long a commit or ping that succeeded vouches for the store (default 1000 ms). */
  freshnessMs?: number;
  /** Longest a check waits for its ping (default 1000 ms). */
  pingTimeoutMs?: number;
  /** After a failed ping, callers are refused without another ping for this long (default 250 ms). */
  retryAfterFailureMs?: number;
  logger: Logger;
  /** Monotonic milliseconds. */
  now?: () => number;
}

export interface AuditGate {
  /** Resolves when the audit trail can be written; throws 503 LGSP_AUDIT_UNAVAILABLE when it cannot. */
  assertOpen(): Promise<void>;
  /** Fed by the audit writer after every group commit: a success keeps the gate open, a failure closes it until a ping succeeds. */
  recordCommit(ok: boolean): void;
  /** For readiness and tests: what the gate believes now, without asking the store. */
  readonly state: 'open' | 'closed' | 'unknown';
}

/**
 * The audit gate: is the audit trail writable before a personal-data call
 * leaves the gateway? Asking the store on every request would add a round
 * trip to every lookup, so evidence is reused: a commit or ping that
 * succeeded within `freshnessMs` keeps the gate open (under load commits
 * arrive every few milliseconds and no ping is ever sent); older evidence,
 * or a failed commit since, makes the next caller ping (one ping shared by
 * all callers waiting at that moment). So a store that is known to be
 * unreachable is never followed by an upstream call; a store that dies
 * within `freshnessMs` of its last success can still let calls through,
 * whose records then fail (they get a 503, and the failure is logged).
 */
export function createAuditGate(options: AuditGateOptions): AuditGate {
  const freshnessMs = options.freshnessMs ?? 1000;
  const pingTimeoutMs = options.pingTimeoutMs ?? 1000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 250;
  const now = options.now ?? (() => performance.now());
  let lastSuccessAt = Number.NEGATIVE_INFINITY;
  let failedSinceSuccess = false;
  let lastPingFailedAt = Number.NEGATIVE_INFINITY;
  let ping: Promise<boolean> | undefined;

  const succeeded = () => {
    if (failedSinceSuccess) options.logger.info('audit trail writable again: personal-data calls resume');
    lastSuccessAt = now();
    failedSinceSuccess = false;
  };
  const failed = () => {
    if (!failedSinceSuccess) options.logger.error('audit trail unavailable: personal-data calls are refused before reaching any upstream');
    failedSinceSuccess = true;
  };

  function pingOnce(): Promise<boolean> {
    ping ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          options.ping(),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`store ping took longer than ${pingTimeoutMs} ms`)), pingTimeoutMs);
          }),
        ]);
        succeeded();
        return true;
      } catch (error) {
        lastPingFailedAt = now();
        options.logger.warn({ err: safeDbError(error) }, 'audit gate: store ping failed');
        failed();
        return false;
      } finally {
        clearTimeout(timer);
        ping = undefined;
      }
    })();
    return ping;
  }

  return {
    async assertOpen() {
      const at = now();
      if (!failedSinceSuccess && at - lastSuccessAt <= freshnessMs) return;
      if (failedSinceSuccess && at - lastPingFailedAt < retryAfterFailureMs) throw unavailable();
      if (!(await pingOnce())) throw unavailable();
    },
    recordCommit(ok) {
      if (ok) succeeded();
      else failed();
    },
    get state() {
      if (failedSinceSuccess) return 'closed';
      return now() - lastSuccessAt <= freshnessMs ? 'open' : 'unknown';
    },
  };
}

function unavailable(): ProblemError {
  return new ProblemError('LGSP_AUDIT_UNAVAILABLE', { detail: 'the audit trail cannot be written: the upstream was not asked' });
}
