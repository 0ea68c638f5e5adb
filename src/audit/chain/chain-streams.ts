import type { AuditRecord } from '../audit-record.js';
import { chainTimestamp, type AdminChainFields, type ChainFields, type DataAccessChainFields } from './canonical-form.js';

/**
 * The two chained streams and how each maps onto its table. Both use the
 * same append (chain-append.ts), backfill and verifier; only the columns
 * differ. audit_records keeps a `stream` column (today always
 * 'data_access'); admin_audit_log is the admin stream by itself.
 */

/** What an admin action records: a change (before/after) or a read of the trail (after = what was read). */
export interface AdminAuditFacts {
  occurredAt: Date;
  requestId: string;
  actor: string;
  actorClient: string;
  action: 'create' | 'update' | 'delete' | 'read';
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
}

/** A stored row as the verifier and backfill read it: chain columns plus whatever `fieldsOfRow` needs. */
export interface ChainRow {
  id: number | bigint;
  seq: number | null;
  prev_hash: string | null;
  record_hash: string | null;
  /** occurred_at had sub-millisecond digits: not what any writer stores, so it was altered. */
  sub_ms: boolean;
  [column: string]: unknown;
}

export interface ChainStream<Record> {
  name: string;
  table: string;
  /** SQL condition selecting this stream's rows in `table` (parameterless). */
  where: string;
  /** Data columns of the INSERT, before seq, prev_hash, record_hash. */
  insertColumns: readonly string[];
  /**
   * SQL type of each insert column, same order. The optimistic append
   * (chain-append.ts) inserts through a SELECT, where a parameter no longer
   * takes its column's type by itself: each one is cast to this.
   */
  insertTypes: readonly string[];
  valuesOf(record: Record): unknown[];
  fieldsOf(record: Record, seq: number): ChainFields;
  /** Columns the verifier reads (besides id, seq, prev_hash, record_hash, sub_ms). */
  selectColumns: string;
  fieldsOfRow(row: ChainRow): ChainFields;
}

export const dataAccessStreamName = 'data_access';
export const adminStreamName = 'admin';

// PostgreSQL text cannot hold NUL or lone UTF-16 surrogates; replacing them before hashing keeps "what was hashed" = "what is stored".
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Whether a string may hold one of them: NUL or any surrogate (most text has neither, and skips the replace). */
const mayBeUnstorable = /[\u0000\uD800-\uDFFF]/;
export function storableText(value: string): string {
  return mayBeUnstorable.test(value) ? value.replace(unstorable, '\uFFFD') : value;
}

/**
 * Normalizes a record to exactly what the table will hold, so its hash is
 * the hash of the stored row. Takes the record's fields one by one (a
 * spread cost more than the rest of it), so nothing else of the object
 * passed comes along; `subject`, when given, is the subject's hash and mask
 * in place of the record's own.
 */
export function storableDataAccessRecord(record: AuditRecord, subject?: Pick<Required<AuditRecord>, 'subjectHash' | 'subjectMasked'>): AuditRecord {
  const stored: AuditRecord = {
    requestId: storableText(record.requestId),
    occurredAt: record.occurredAt,
    consumer: storableText(record.consumer),
    endUser: storableText(record.endUser),
    purpose: storableText(record.purpose),
    operation: storableText(record.operation),
    connector: storableText(record.connector),
    fieldsReleased: record.fieldsReleased.map(storableText),
    outcome: record.outcome,
    httpStatus: record.httpStatus,
    latencyMs: Math.max(0, Math.round(record.latencyMs)),
  };
  if (record.upstreamReference !== undefined) stored.upstreamReference = storableText(record.upstreamReference);
  const { subjectHash, subjectMasked } = subject ?? record;
  if (subjectHash !== undefined) stored.subjectHash = storableText(subjectHash);
  if (subjectMasked !== undefined) stored.subjectMasked = storableText(subjectMasked);
  return stored;
}

export function storableAdminFacts(facts: AdminAuditFacts): AdminAuditFacts {
  return {
    ...facts,
    requestId: storableText(facts.requestId),
    actor: storableText(facts.actor),
    actorClient: storableText(facts.actorClient),
    resourceType: storableText(facts.resourceType),
    resourceId: storableText(facts.resourceId),
    // jsonb holds what JSON.stringify produced (undefined members dropped); hash that value, not the live object.
    before: jsonValue(facts.before),
    after: jsonValue(facts.after),
  };
}

function jsonValue(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(storableText(JSON.stringify(value)));
}

export const dataAccessStream: ChainStream<AuditRecord> = {
  name: dataAccessStreamName,
  table: 'audit_records',
  where: `stream = '${dataAccessStreamName}'`,
  insertColumns: [
    'stream', 'occurred_at', 'request_id', 'consumer', 'end_user', 'purpose', 'operation', 'connector',
    'subject_hash', 'subject_masked', 'fields_released', 'outcome', 'http_status', 'latency_ms', 'upstream_reference',
  ],
  insertTypes: ['text', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text[]', 'text', 'smallint', 'integer', 'text'],
  valuesOf: (r) => [
    dataAccessStreamName, r.occurredAt, r.requestId, r.consumer, r.endUser, r.purpose, r.operation, r.connector,
    r.subjectHash ?? null, r.subjectMasked ?? null, r.fieldsReleased, r.outcome, r.httpStatus, r.latencyMs, r.upstreamReference ?? null,
  ],
  fieldsOf: (r, seq): DataAccessChainFields => ({
    stream: dataAccessStreamName,
    seq,
    occurredAt: chainTimestamp(r.occurredAt),
    requestId: r.requestId,
    consumer: r.consumer,
    endUser: r.endUser,
    purpose: r.purpose,
    operation: r.operation,
    connector: r.connector,
    subjectHash: r.subjectHash ?? null,
    subjectMasked: r.subjectMasked ?? null,
    fieldsReleased: r.fieldsReleased,
    outcome: r.outcome,
    httpStatus: r.httpStatus,
    latencyMs: r.latencyMs,
    upstreamReference: r.upstreamReference ?? null,
  }),
  selectColumns: `stream, occurred_at, request_id, consumer, end_user, purpose, operation, connector, subject_hash,
    subject_masked, fields_released, outcome, http_status, latency_ms, upstream_reference`,
  fieldsOfRow: (row): DataAccessChainFields => ({
    stream: row.stream as string,
    seq: Number(row.seq),
    occurredAt: chainTimestamp(row.occurred_at as Date),
    requestId: row.request_id as string,
    consumer: row.consumer as string,
    endUser: row.end_user as string,
    purpose: row.purpose as string,
    operation: row.operation as string,
    connector: row.connector as string,
    subjectHash: row.subject_hash as string | null,
    subjectMasked: row.subject_masked as string | null,
    fieldsReleased: row.fields_released as string[],
    outcome: row.outcome as string,
    httpStatus: row.http_status as number,
    latencyMs: row.latency_ms as number,
    upstreamReference: row.upstream_reference as string | null,
  }),
};

export const adminStream: ChainStream<AdminAuditFacts> = {
  name: adminStreamName,
  table: 'admin_audit_log',
  where: 'true',
  insertColumns: ['occurred_at', 'request_id', 'actor', 'actor_client', 'action', 'resource_type', 'resource_id', 'before', 'after'],
  insertTypes: ['timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb'],
  // jsonb goes as text: both drivers then parse it server-side the same way.
  valuesOf: (f) => [f.occurredAt, f.requestId, f.actor, f.actorClient, f.action, f.resourceType, f.resourceId, JSON.stringify(f.before), JSON.stringify(f.after)],
  fieldsOf: (f, seq): AdminChainFields => ({
    stream: adminStreamName,
    seq,
    occurredAt: chainTimestamp(f.occurredAt),
    requestId: f.requestId,
    actor: f.actor,
    actorClient: f.actorClient,
    action: f.action,
    resourceType: f.resourceType,
    resourceId: f.resourceId,
    before: f.before,
    after: f.after,
  }),
  selectColumns: 'occurred_at, request_id, actor, actor_client, action, resource_type, resource_id, before, after',
  fieldsOfRow: (row): AdminChainFields => ({
    stream: adminStreamName,
    seq: Number(row.seq),
    occurredAt: chainTimestamp(row.occurred_at as Date),
    requestId: row.request_id as string,
    actor: row.actor as string,
    actorClient: row.actor_client as string,
    action: row.action as string,
    resourceType: row.resource_type as string,
    resourceId: row.resource_id as string,
    before: row.before ?? null,
    after: row.after ?? null,
  }),
};

export const chainStreams = { [dataAccessStreamName]: dataAccessStream, [adminStreamName]: adminStream } as const;
export type ChainStreamName = keyof typeof chainStreams;

export function isChainStreamName(name: string): name is ChainStreamName {
  return Object.hasOwn(chainStreams, name);
}
