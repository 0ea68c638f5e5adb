import type { Queryable } from '../../store/store.js';
import { partitionMonth } from './audit-months.js';

export interface AuditPartition {
  name: string;
  /** First instant of its month (inclusive lower bound). */
  month: Date;
}

/**
 * The monthly partitions `audit_records` has, oldest first, in the current
 * schema (the one the store's search_path resolves `audit_records` to).
 * Tables attached under other names are not ours to create or drop.
 */
export async function listAuditPartitions(db: Queryable): Promise<AuditPartition[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_records'::regclass`,
  );
  return rows
    .map((row) => ({ name: row.name, month: partitionMonth(row.name) }))
    .filter((partition): partition is AuditPartition => partition.month !== undefined)
    .sort((a, b) => a.month.getTime() - b.month.getTime());
}
