import { sign, verify, type KeyObject } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { Queryable } from '../../store/store.js';
import { readChainHead } from './chain-append.js';
import type { CheckpointKeys } from './checkpoint-key.js';

const canonicalize = canonicalizeModule as unknown as (value: unknown) => string;

export const checkpointAlgorithm = 'Ed25519';

/** What a checkpoint asserts: "stream S had record R with hash H as its head at time T". */
export interface CheckpointClaim {
  stream: string;
  seq: number;
  recordHash: string;
  /** ISO 8601 UTC, milliseconds: stored as created_at. */
  signedAt: string;
  keyId: string;
}

export interface StoredCheckpoint extends CheckpointClaim {
  algorithm: string;
  /** base64 Ed25519 signature over checkpointStatement(claim). */
  signature: string;
  tsaUrl: string | null;
  tsaToken: Buffer | null;
}

/**
 * The signed bytes: RFC 8785 JSON of {algorithm, keyId, recordHash, seq,
 * signedAt, stream}, UTF-8. An RFC 3161 token, when present, timestamps the
 * SHA-256 of these same bytes.
 */
export function checkpointStatement(claim: CheckpointClaim): Buffer {
  const { stream, seq, recordHash, signedAt, keyId } = claim;
  return Buffer.from(canonicalize({ algorithm: checkpointAlgorithm, keyId, recordHash, seq, signedAt, stream }), 'utf8');
}

export function signCheckpoint(claim: CheckpointClaim, privateKey: KeyObject): string {
  return sign(null, checkpointStatement(claim), privateKey).toString('base64');
}

export function checkpointSignatureValid(checkpoint: StoredCheckpoint, publicKey: KeyObject): boolean {
  if (checkpoint.algorithm !== checkpointAlgorithm) return false;
  try {
    return verify(null, checkpointStatement(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Requests an RFC 3161 token whose imprint is SHA-256 of `statement` (tsa-client.ts); injected so the chain code does not depend on the network. */
export type TimestampRequester = (statement: Buffer) => Promise<{ url: string; token: Buffer }>;

export type CheckpointResult =
  | { written: true; checkpoint: StoredCheckpoint }
  | { written: false; reason: 'empty' | 'unchanged' | 'exists' };

/**
 * Signs the stream's current head if it moved since the newest checkpoint.
 * ON CONFLICT DO NOTHING: replicas signing the same head at the same time
 * leave one checkpoint. A failed timestamp request leaves the checkpoint
 * without a token rather than without a checkpoint (onTimestampError says so).
 */
export async function writeCheckpoint(
  db: Queryable,
  stream: string,
  keys: CheckpointKeys,
  options: { timestamp?: TimestampRequester; onTimestampError?: (error: unknown) => void; now?: Date } = {},
): Promise<CheckpointResult> {
  const head = await readChainHead(db, stream);
  if (!head || head.seq < head.anchorSeq) return { written: false, reason: 'empty' };
  const { rows } = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_checkpoints WHERE stream = $1', [stream]);
  const newest = rows[0]?.seq;
  if (newest !== null && newest !== undefined && Number(newest) >= head.seq) return { written: false, reason: 'unchanged' };

  const claim: CheckpointClaim = {
    stream,
    seq: head.seq,
    recordHash: head.recordHash,
    signedAt: (options.now ?? new Date()).toISOString(),
    keyId: keys.signing.keyId,
  };
  const signature = signCheckpoint(claim, keys.signing.privateKey);
  let stamp: { url: string; token: Buffer } | undefined;
  if (options.timestamp) {
    try {
      stamp = await options.timestamp(checkpointStatement(claim));
    } catch (error) {
      options.onTimestampError?.(error);
    }
  }
  const inserted = await db.query(
    `INSERT INTO audit_checkpoints (stream, seq, record_hash, created_at, key_id, algorithm, signature, tsa_url, tsa_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (stream, seq) DO NOTHING`,
    [stream, claim.seq, claim.recordHash, new Date(claim.signedAt), claim.keyId, checkpointAlgorithm, signature, stamp?.url ?? null, stamp?.token ?? null],
  );
  if (inserted.rowCount === 0) return { written: false, reason: 'exists' };
  return { written: true, checkpoint: { ...claim, algorithm: checkpointAlgorithm, signature, tsaUrl: stamp?.url ?? null, tsaToken: stamp?.token ?? null } };
}

interface CheckpointRow {
  stream: string;
  seq: number;
  record_hash: string;
  created_at: Date;
  key_id: string;
  algorithm: string;
  signature: string;
  tsa_url: string | null;
  tsa_token: Uint8Array | null;
}

export const checkpointColumns = 'stream, seq, record_hash, created_at, key_id, algorithm, signature, tsa_url, tsa_token';

export function toStoredCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    stream: row.stream,
    seq: Number(row.seq),
    recordHash: row.record_hash,
    signedAt: row.created_at.toISOString(),
    keyId: row.key_id,
    algorithm: row.algorithm,
    signature: row.signature,
    tsaUrl: row.tsa_url,
    tsaToken: row.tsa_token ? Buffer.from(row.tsa_token) : null,
  };
}

export type { CheckpointRow };
