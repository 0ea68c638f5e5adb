import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { safeDbError } from '../../store/safe-db-error.js';
import type { Store } from '../../store/store.js';
import { ensureAuditPartitions } from '../partitions/ensure-audit-partitions.js';
import { partitionMonthsAhead } from '../partitions/partition-horizon.js';
import { applyAuditRetention, type RetentionOptions, type RetentionPolicy } from './audit-retention.js';

export interface AuditMaintenanceOptions {
  store: Store;
  monthsAhead: number;
  retention: RetentionPolicy;
  logger: Logger;
  metrics: Metrics;
  /** Default: daily. */
  intervalMs?: number;
  /** Writes each removal to the admin stream in its own transaction (see RetentionOptions.recordRemoval). */
  recordRemoval?: RetentionOptions['recordRemoval'];
}

export interface AuditMaintenance {
  /** Partitions first (awaited at start: the gateway should not serve without its month), then retention. */
  runOnce(): Promise<void>;
  /** Runs once now (partitions awaited, retention in the background), then on the interval. */
  start(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

const day = 24 * 60 * 60 * 1000;

/**
 * The audit trail's daily housekeeping: months ahead for audit_records, then
 * retention. Every replica runs it; advisory locks inside make the runs take
 * turns, and the second finds nothing to do. A failed run is logged and
 * counted (lgsp_audit_maintenance_failures_total), never thrown: the next one
 * retries, and until then audit inserts that cannot land fail closed.
 */
export function createAuditMaintenance(options: AuditMaintenanceOptions): AuditMaintenance {
  const { store, logger, metrics } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function maintainPartitions(): Promise<void> {
    try {
      const report = await ensureAuditPartitions(store, { monthsAhead: options.monthsAhead });
      if (report.created.length > 0) logger.info({ partitions: report.created }, 'audit partitions created');
      if (report.createdLate.length > 0) {
        logger.warn({ partitions: report.createdLate }, 'audit partition created late: inserts for its month failed until now');
      }
      metrics.auditPartitionsCreated.inc({ late: 'false' }, report.created.length - report.createdLate.length);
      metrics.auditPartitionsCreated.inc({ late: 'true' }, report.createdLate.length);
    } catch (err) {
      metrics.auditMaintenanceFailures.inc({ task: 'partitions' });
      logger.error({ err: safeDbError(err) }, 'audit partition maintenance failed');
    }
    try {
      metrics.auditPartitionMonthsAhead.set(await partitionMonthsAhead(store));
    } catch {
      // The store is unreachable; the failure above (or the next run) says so.
    }
  }

  async function applyRetention(): Promise<void> {
    try {
      const report = await applyAuditRetention(store, options.retention, options.recordRemoval ? { recordRemoval: options.recordRemoval } : {});
      metrics.auditRetentionDroppedPartitions.inc(report.droppedPartitions.length);
      metrics.auditRetentionDeletedRows.inc({ stream: 'admin' }, report.deletedAdminRows);
      if (report.droppedPartitions.length > 0 || report.deletedAdminRows > 0) {
        logger.info({ droppedPartitions: report.droppedPartitions, deletedAdminRows: report.deletedAdminRows }, 'audit retention applied');
      }
    } catch (err) {
      metrics.auditMaintenanceFailures.inc({ task: 'retention' });
      logger.error({ err: safeDbError(err) }, 'audit retention failed');
    }
  }

  const runOnce = () =>
    (running ??= (async () => {
      await maintainPartitions();
      await applyRetention();
    })().finally(() => (running = undefined)));

  return {
    runOnce,
    async start() {
      await maintainPartitions();
      running = applyRetention().finally(() => (running = undefined));
      timer = setInterval(() => void runOnce(), options.intervalMs ?? day);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
