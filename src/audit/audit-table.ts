import type { Store } from '../store/store.js';
import { appendToChain } from './chain/chain-append.js';
import { dataAccessStream, storableDataAccessRecord } from './chain/chain-streams.js';
import type { AuditRecord, AuditOutcome, StoredAuditRecord } from './audit-record.js';

/** How stored audit records read back from `audit_records` (migration 0001); how they are written: chain/chain-streams.ts. */


/**
 * Appends one record to the data-access chain in a transaction of its own
 * (seeding, tools). The gateway's hot path goes through the group-committing
 * writer (audit-writer.ts) instead; both number and hash the record the same way.
 */
export async function insertAuditRecord(store: Store, record: AuditRecord): Promise<void> {
  await store.transaction((tx) => appendToChain(tx, dataAccessStream, [storableDataAccessRecord(record)]));
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
