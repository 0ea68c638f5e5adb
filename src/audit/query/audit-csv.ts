import type { AuditRecordView } from './audit-query.js';

/** RFC 4180 CSV of audit records: CRLF line ends, fields quoted when they hold a quote, comma or line break. */

export const auditCsvColumns = [
  'id',
  'occurredAt',
  'requestId',
  'consumer',
  'endUser',
  'purpose',
  'operation',
  'connector',
  'subject',
  'fieldsReleased',
  'outcome',
  'httpStatus',
  'latencyMs',
  'upstreamReference',
] as const satisfies ReadonlyArray<keyof AuditRecordView>;

export function csvField(value: string): string {
  // A leading = + - @ would make a spreadsheet evaluate the cell (CSV injection): prefix it with a quote mark.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const auditCsvHeader = csvLine(auditCsvColumns);

export function auditCsvRow(record: AuditRecordView): string {
  return csvLine(
    auditCsvColumns.map((column) => {
      const value = record[column];
      if (value === null) return '';
      if (Array.isArray(value)) return value.join(' ');
      return String(value);
    }),
  );
}
