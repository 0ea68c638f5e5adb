import { hash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

/**
 * The exact bytes each audit record's hash covers (docs/audit-chain.md gives
 * the same definition for external auditors, with a test vector):
 *
 *   canonical   = RFC 8785 (JCS) JSON of a fixed set of fields, absent = null
 *   record_hash = lowercase hex SHA-256 of UTF-8 (prev_hash + canonical)
 *
 * where prev_hash is the previous record's record_hash in the same stream
 * (64 zeros before the first one). Timestamps are ISO 8601 UTC with exactly
 * three fractional digits; the writers store them at millisecond precision
 * (PostgreSQL would keep microseconds), so the stored value hashes back to
 * the same string.
 */

const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

export const genesisHash = '0'.repeat(64);

/** Fields of a data-access record, in the order docs/audit-chain.md lists them (JCS sorts them anyway). */
export interface DataAccessChainFields {
  stream: string;
  seq: number;
  occurredAt: string;
  requestId: string;
  consumer: string;
  endUser: string;
  purpose: string;
  operation: string;
  connector: string;
  subjectHash: string | null;
  subjectMasked: string | null;
  fieldsReleased: string[];
  outcome: string;
  httpStatus: number;
  latencyMs: number;
  upstreamReference: string | null;
}

/** Fields of an admin action (changes and reads of the trail); before/after are the stored JSON values. */
export interface AdminChainFields {
  stream: string;
  seq: number;
  occurredAt: string;
  requestId: string;
  actor: string;
  actorClient: string;
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
}

export type ChainFields = DataAccessChainFields | AdminChainFields;

export function canonicalForm(fields: ChainFields): string {
  const text = dataAccessCanonicalForm(fields) ?? canonicalize(fields);
  if (text === undefined) throw new Error('audit record has no canonical form');
  return text;
}

/** DataAccessChainFields' members in JCS order (sorted by UTF-16 code units). */
export const dataAccessCanonicalOrder = [
  'connector', 'consumer', 'endUser', 'fieldsReleased', 'httpStatus', 'latencyMs', 'occurredAt', 'operation', 'outcome', 'purpose',
  'requestId', 'seq', 'stream', 'subjectHash', 'subjectMasked', 'upstreamReference',
] as const;

/**
 * The canonical form of a data-access record written directly: one per
 * audited call, where canonicalize's generic walk (sort the keys, serialize
 * member by member) cost several times the hash. JCS serializes strings and
 * numbers as JSON.stringify does, so for an object of exactly these members,
 * each a string, a finite number, null or an array of strings, JSON.stringify
 * of the members in JCS order is the same text. Anything else (another
 * record type, a missing member, NaN, a sparse array) is undefined here and
 * goes to canonicalize, which stays the definition.
 */
function dataAccessCanonicalForm(fields: ChainFields): string | undefined {
  const f = fields as DataAccessChainFields;
  if (Object.getPrototypeOf(f) !== Object.prototype || Object.keys(f).length !== dataAccessCanonicalOrder.length) return undefined;
  if (!isText(f.connector) || !isText(f.consumer) || !isText(f.endUser) || !isText(f.occurredAt) || !isText(f.operation) || !isText(f.outcome)) return undefined;
  if (!isText(f.purpose) || !isText(f.requestId) || !isText(f.stream) || !isTextOrNull(f.subjectHash) || !isTextOrNull(f.subjectMasked) || !isTextOrNull(f.upstreamReference)) return undefined;
  if (!Number.isFinite(f.httpStatus) || !Number.isFinite(f.latencyMs) || !Number.isFinite(f.seq) || !isTextArray(f.fieldsReleased)) return undefined;
  return JSON.stringify({
    connector: f.connector,
    consumer: f.consumer,
    endUser: f.endUser,
    fieldsReleased: f.fieldsReleased,
    httpStatus: f.httpStatus,
    latencyMs: f.latencyMs,
    occurredAt: f.occurredAt,
    operation: f.operation,
    outcome: f.outcome,
    purpose: f.purpose,
    requestId: f.requestId,
    seq: f.seq,
    stream: f.stream,
    subjectHash: f.subjectHash,
    subjectMasked: f.subjectMasked,
    upstreamReference: f.upstreamReference,
  });
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function isTextOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/** An array of strings without holes (canonicalize skips a hole, JSON.stringify writes null). */
function isTextArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index += 1) if (typeof value[index] !== 'string') return false;
  return true;
}

export function chainHash(prevHash: string, canonical: string): string {
  return hash('sha256', prevHash + canonical, 'hex');
}

/** ISO 8601 UTC, millisecond precision: what is hashed and, truncated the same way, what is stored. */
export function chainTimestamp(date: Date): string {
  return date.toISOString();
}
