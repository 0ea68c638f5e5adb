import type { SealedCredential } from './envelope.js';
import type { ConnectionTestOutcome, CredentialSource, CredentialState, CredentialVersionView } from './types.js';

/** A connector_credentials row as both drivers return it (bytea: Buffer from pg, Uint8Array from PGlite). */
export interface CredentialRow {
  connector_id: string;
  version: number;
  state: CredentialState;
  source: CredentialSource;
  fields_set: string[];
  fingerprint: string;
  master_key_id: string | null;
  wrapped_key: Uint8Array | null;
  iv: Uint8Array | null;
  auth_tag: Uint8Array | null;
  ciphertext: Uint8Array | null;
  expires_at: Date | string | null;
  created_at: Date | string;
  created_by: string;
  activated_at: Date | string | null;
  activated_by: string | null;
  usable_until: Date | string | null;
  destroyed_at: Date | string | null;
  last_test: StoredTest | string | null;
}

export interface StoredTest {
  outcome: ConnectionTestOutcome;
  at: string;
  by: string;
  detail?: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Metadata only: the row's key material and ciphertext never leave this function. */
export function toView(row: CredentialRow): CredentialVersionView {
  const lastTest = typeof row.last_test === 'string' ? (JSON.parse(row.last_test) as StoredTest) : row.last_test;
  return {
    connectorId: row.connector_id,
    version: Number(row.version),
    state: row.state,
    source: row.source,
    fieldsSet: [...row.fields_set],
    fingerprint: row.fingerprint,
    ...(row.expires_at !== null && { expiresAt: iso(row.expires_at) }),
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    ...(row.activated_at !== null && { activatedAt: iso(row.activated_at) }),
    ...(row.activated_by !== null && { activatedBy: row.activated_by }),
    ...(row.usable_until !== null && { usableUntil: iso(row.usable_until) }),
    ...(row.destroyed_at !== null && { destroyedAt: iso(row.destroyed_at) }),
    ...(lastTest && { lastTest: { outcome: lastTest.outcome, at: lastTest.at, by: lastTest.by, ...(lastTest.detail !== undefined && { detail: lastTest.detail }) } }),
  };
}

const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The sealed parts of a row that still has them (not destroyed). */
export function sealedOf(row: CredentialRow): SealedCredential | undefined {
  if (!row.master_key_id || !row.wrapped_key || !row.iv || !row.auth_tag || !row.ciphertext) return undefined;
  return { masterKeyId: row.master_key_id, wrappedKey: buffer(row.wrapped_key), iv: buffer(row.iv), authTag: buffer(row.auth_tag), ciphertext: buffer(row.ciphertext) };
}

export const dateOf = (value: Date | string | null): Date | undefined => (value === null ? undefined : new Date(value));
