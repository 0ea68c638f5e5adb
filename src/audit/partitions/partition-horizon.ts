import type { Queryable } from '../../store/store.js';
import { addMonths, monthStart } from './audit-months.js';
import { listAuditPartitions } from './audit-partition-catalog.js';

/**
 * How many consecutive months after the current one already have a
 * partition: 0 means only the current month exists, -1 that even the current
 * month is missing (every audit insert fails now). Exported as a gauge so an
 * alert fires long before the horizon runs out.
 */
export async function partitionMonthsAhead(db: Queryable, now = new Date()): Promise<number> {
  const existing = new Set((await listAuditPartitions(db)).map((partition) => partition.month.getTime()));
  const current = monthStart(now);
  let ahead = -1;
  while (existing.has(addMonths(current, ahead + 1).getTime())) ahead++;
  return ahead;
}
