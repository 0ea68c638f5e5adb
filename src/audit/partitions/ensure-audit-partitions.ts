import type { Queryable, Store } from '../../store/store.js';
import { addMonths, monthStart, partitionName } from './audit-months.js';
import { listAuditPartitions } from './audit-partition-catalog.js';

export interface EnsurePartitionsOptions {
  /** Months after the current one that must exist (config audit.partitions.monthsAhead). */
  monthsAhead: number;
  now?: Date;
}

export interface EnsurePartitionsReport {
  /** Partitions this run created, oldest first. */
  created: string[];
  /**
   * Of those, the ones for a month that had already begun: until then every
   * audit insert for that month failed (fail closed). Worth an alert.
   */
  createdLate: string[];
}

/**
 * Makes sure `audit_records` has a partition for the current month and the
 * `monthsAhead` after it, so no audit insert ever finds its month missing.
 *
 * Safe with several replicas: the catalog is read first without any lock (the
 * common case, nothing to do, costs one query and locks nothing); only when a
 * month is missing does it take a transaction-level advisory lock and create
 * it with IF NOT EXISTS. Creating a partition briefly locks the parent table
 * against inserts, so `lock_timeout` bounds how long writers can queue behind
 * it; a run that times out is retried by the next one.
 */
export async function ensureAuditPartitions(store: Store, options: EnsurePartitionsOptions): Promise<EnsurePartitionsReport> {
  const current = monthStart(options.now ?? new Date());
  const wanted = Array.from({ length: options.monthsAhead + 1 }, (_, i) => addMonths(current, i));
  const missing = await missingMonths(store, wanted);
  if (missing.length === 0) return { created: [], createdLate: [] };

  return store.transaction(async (tx) => {
    await tx.exec("SET LOCAL lock_timeout = '5s'");
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:audit_partitions:' || current_schema()))");
    const created: string[] = [];
    // Another replica may have created some while this one waited for the lock.
    for (const month of await missingMonths(tx, missing)) {
      const name = partitionName(month);
      await tx.exec(
        `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF audit_records
           FOR VALUES FROM ('${month.toISOString()}') TO ('${addMonths(month, 1).toISOString()}')`,
      );
      created.push(name);
    }
    return { created, createdLate: created.filter((name) => name <= partitionName(current)) };
  });
}

async function missingMonths(db: Queryable, wanted: Date[]): Promise<Date[]> {
  const existing = new Set((await listAuditPartitions(db)).map((partition) => partition.month.getTime()));
  return wanted.filter((month) => !existing.has(month.getTime()));
}
