import { createHash } from 'node:crypto';
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
  const text = canonicalize(fields);
  if (text === undefined) throw new Error('audit record has no canonical form');
  return text;
}

export function chainHash(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash + canonical, 'utf8').digest('hex');
}

/** ISO 8601 UTC, millisecond precision: what is hashed and, truncated the same way, what is stored. */
export function chainTimestamp(date: Date): string {
  return date.toISOString();
}
