import type { Queryable } from '../store/store.js';
import type { AuditRecord, AuditOutcome, StoredAuditRecord } from './audit-record.js';

/** The only place that knows how an audit record maps onto `audit_records` (migration 0001). */

export const dataAccessStream = 'data_access';

export async function insertAuditRecord(db: Queryable, record: AuditRecord, stream = dataAccessStream): Promise<void> {
  await db.query(
    `INSERT INTO audit_records (
       stream, occurred_at, request_id, consumer, end_user, purpose, operation, connector,
       subject_hash, subject_masked, fields_released, outcome, http_status, latency_ms, upstream_reference
     ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      stream,
      record.occurredAt,
      record.requestId,
      record.consumer,
      record.endUser,
      record.purpose,
      record.operation,
      record.connector,
      record.subjectHash ?? null,
      record.subjectMasked ?? null,
      record.fieldsReleased,
      record.outcome,
      record.httpStatus,
      Math.round(record.latencyMs),
      record.upstreamReference ?? null,
    ],
  );
}

export const auditRecordColumns = `id, stream, occurred_at, recorded_at, request_id, consumer, end_user, purpose,
  operation, connector, subject_hash, subject_masked, fields_released, outcome, http_status, latency_ms,
  upstream_reference`;

export interface AuditRecordRow {
  id: number | bigint;
  stream: string;
  occurred_at: Date;
  recorded_at: Date;
  request_id: string;
  consumer: string;
  end_user: string;
  purpose: string;
  operation: string;
  connector: string;
  subject_hash: string | null;
  subject_masked: string | null;
  fields_released: string[];
  outcome: AuditOutcome;
  http_status: number;
  latency_ms: number;
  upstream_reference: string | null;
}

export function toStoredAuditRecord(row: AuditRecordRow): StoredAuditRecord {
  return {
    id: row.id,
    stream: row.stream,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    requestId: row.request_id,
    consumer: row.consumer,
    endUser: row.end_user,
    purpose: row.purpose,
    operation: row.operation,
    connector: row.connector,
    fieldsReleased: row.fields_released,
    outcome: row.outcome,
    httpStatus: row.http_status,
    latencyMs: row.latency_ms,
    ...(row.subject_hash !== null ? { subjectHash: row.subject_hash } : {}),
    ...(row.subject_masked !== null ? { subjectMasked: row.subject_masked } : {}),
    ...(row.upstream_reference !== null ? { upstreamReference: row.upstream_reference } : {}),
  };
}
