import type { Queryable } from '../../store/store.js';
import type { AuditOutcome } from '../audit-record.js';
import { dataAccessStreamName } from '../chain/chain-streams.js';
import { hashSubjectId, maskSubjectId } from '../subject-protection.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { keysetTimestampSql } from '../../store/keyset-cursor.js';

/** Every filter is optional; the ones given all apply (AND). */
export interface AuditQueryFilter {
  /** Inclusive lower bound on occurred_at. */
  from?: Date;
  /** Exclusive upper bound on occurred_at (half-open, so consecutive ranges never overlap). */
  to?: Date;
  /** OAuth2 client id of the calling system. */
  consumer?: string;
  endUser?: string;
  operation?: string;
  /** Dossier code or purpose code, exact. */
  purpose?: string;
  outcome?: AuditOutcome;
  /**
   * The data subject's identifier in clear, as the caller gave it. Only its
   * keyed hash reaches the database; it is never stored, returned or logged.
   */
  subjectId?: string;
}

export interface AuditPageRequest {
  /** 1 to maxAuditPageSize. */
  limit: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export const maxAuditPageSize = 500;

/** A record as the query API shows it: the subject only in masked form, never its hash. */
export interface AuditRecordView {
  id: string;
  occurredAt: string;
  requestId: string;
  consumer: string;
  endUser: string;
  purpose: string;
  operation: string;
  connector: string;
  subject: string | null;
  fieldsReleased: string[];
  outcome: AuditOutcome;
  httpStatus: number;
  latencyMs: number;
  upstreamReference: string | null;
}

export interface AuditPage {
  items: AuditRecordView[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** A cursor that does not decode; the router answers it as a 400 on `query:cursor`. */
export class InvalidAuditCursorError extends Error {
  constructor() {
    super('the cursor is not one this gateway issued');
    this.name = 'InvalidAuditCursorError';
  }
}

interface ViewRow {
  id: number | bigint;
  cursor_at: string;
  occurred_at: Date;
  request_id: string;
  consumer: string;
  end_user: string;
  purpose: string;
  operation: string;
  connector: string;
  subject_masked: string | null;
  fields_released: string[];
  outcome: AuditOutcome;
  http_status: number;
  latency_ms: number;
  upstream_reference: string | null;
}

/**
 * One page of the data-access trail, newest first, with keyset paging (stable
 * under concurrent inserts: a new record never shifts a later page). Only the
 * conditions the caller asked for go into the SQL, so each can use its index.
 */
export async function queryAuditRecords(
  db: Queryable,
  subjectKey: Buffer | string,
  filter: AuditQueryFilter,
  page: AuditPageRequest,
): Promise<AuditPage> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxAuditPageSize) {
    throw new RangeError(`limit must be an integer from 1 to ${maxAuditPageSize}`);
  }
  const cursor = page.cursor === undefined ? undefined : decodeAuditCursor(page.cursor);
  if (page.cursor !== undefined && !cursor) throw new InvalidAuditCursorError();

  const params: unknown[] = [dataAccessStreamName];
  const conditions = ['stream = $1'];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.from) add((p) => `occurred_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `occurred_at < ${p}`, filter.to);
  if (filter.consumer !== undefined) add((p) => `consumer = ${p}`, filter.consumer);
  if (filter.endUser !== undefined) add((p) => `end_user = ${p}`, filter.endUser);
  if (filter.operation !== undefined) add((p) => `operation = ${p}`, filter.operation);
  if (filter.purpose !== undefined) add((p) => `purpose = ${p}`, filter.purpose);
  if (filter.outcome !== undefined) add((p) => `outcome = ${p}`, filter.outcome);
  if (filter.subjectId !== undefined) add((p) => `subject_hash = ${p}`, hashSubjectId(subjectKey, filter.subjectId));
  if (cursor) {
    params.push(cursor.occurredAt, cursor.id);
    conditions.push(`(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(page.limit + 1);

  const { rows } = await db.query<ViewRow>(
    `SELECT id, ${keysetTimestampSql('occurred_at')} AS cursor_at,
            occurred_at, request_id, consumer, end_user, purpose, operation, connector, subject_masked,
            fields_released, outcome, http_status, latency_ms, upstream_reference
       FROM audit_records
      WHERE ${conditions.join(' AND ')}
      ORDER BY occurred_at DESC, id DESC
      LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(toView),
    ...(rows.length > page.limit && last ? { nextCursor: encodeAuditCursor({ occurredAt: last.cursor_at, id: String(last.id) }) } : {}),
  };
}

function toView(row: ViewRow): AuditRecordView {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at.toISOString(),
    requestId: row.request_id,
    consumer: row.consumer,
    endUser: row.end_user,
    purpose: row.purpose,
    operation: row.operation,
    connector: row.connector,
    subject: row.subject_masked,
    fieldsReleased: row.fields_released,
    outcome: row.outcome,
    httpStatus: row.http_status,
    latencyMs: row.latency_ms,
    upstreamReference: row.upstream_reference,
  };
}

/** The filter as it may be written down (admin audit log): the subject masked, dates as ISO text. */
export function describeAuditFilter(filter: AuditQueryFilter): Record<string, string> {
  const described: Record<string, string> = {};
  if (filter.from) described.from = filter.from.toISOString();
  if (filter.to) described.to = filter.to.toISOString();
  for (const key of ['consumer', 'endUser', 'operation', 'purpose', 'outcome'] as const) {
    const value = filter[key];
    if (value !== undefined) described[key] = value;
  }
  if (filter.subjectId !== undefined) described.subject = maskSubjectId(filter.subjectId);
  return described;
}
