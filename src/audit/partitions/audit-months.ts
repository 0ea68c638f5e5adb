/**
 * Monthly partitions of `audit_records` (migration 0005): one per UTC month,
 * named `audit_records_pYYYYMM`, bounds [first of the month, first of the
 * next). Months are plain UTC dates at 00:00 on the 1st.
 */

export const auditPartitionPrefix = 'audit_records_p';

export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function addMonths(month: Date, count: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + count, 1));
}

export function partitionName(month: Date): string {
  return `${auditPartitionPrefix}${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month a partition name stands for; undefined for tables that are not ours. */
export function partitionMonth(name: string): Date | undefined {
  const match = /^audit_records_p(\d{4})(\d{2})$/.exec(name);
  if (!match) return undefined;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  return new Date(Date.UTC(Number(match[1]), month - 1, 1));
}
