import type { KeyObject } from 'node:crypto';
import type { Queryable } from '../../store/store.js';
import { canonicalForm, chainHash, genesisHash } from './canonical-form.js';
import { readChainHead } from './chain-append.js';
import { chainStreams, type ChainRow, type ChainStream, type ChainStreamName } from './chain-streams.js';
import { checkpointColumns, checkpointSignatureValid, checkpointStatement, toStoredCheckpoint, type CheckpointRow } from './checkpoints.js';

/**
 * Why the chain breaks at a sequence number:
 * - missing: no row has this seq (a deleted row);
 * - duplicate: a second row with the seq just checked (an inserted row);
 * - altered: the row's content does not hash to its record_hash;
 * - broken_link: the row's prev_hash is not the previous row's record_hash
 *   (the previous row was rewritten with a recomputed hash, or this one was forged);
 * - head_mismatch: the last row is not what audit_chain_heads says it is;
 * - beyond_head: a row numbered after the head (an appended forgery);
 * - truncated_tail: the rows from this seq to the head are gone, or a signed
 *   checkpoint names a seq the chain (head included) no longer reaches.
 */
export type ChainBreakReason = 'missing' | 'duplicate' | 'altered' | 'broken_link' | 'head_mismatch' | 'beyond_head' | 'truncated_tail';

/** Why a checkpoint does not vouch for the chain. */
export type CheckpointFailureReason = 'unknown_key' | 'bad_signature' | 'hash_mismatch' | 'row_missing' | 'timestamp_mismatch';

export interface ChainVerificationReport {
  stream: string;
  ok: boolean;
  /** The range walked (from is never before the retained chain's anchor). */
  from: number;
  to: number;
  /** Rows whose hash and link were checked. */
  checked: number;
  head: { seq: number; anchorSeq: number };
  firstBroken?: { seq: number; reason: ChainBreakReason };
  /** Rows of the stream without a link: written around the chain (none exist once the start-up backfill ran). */
  unchained: number;
  checkpoints: {
    checked: number;
    valid: number;
    /** With an RFC 3161 token whose imprint matched. */
    timestamped: number;
    newestSeq: number | null;
    firstInvalid?: { seq: number; reason: CheckpointFailureReason };
  };
}

export interface VerifyChainOptions {
  stream: ChainStreamName;
  from?: number;
  to?: number;
  /** Public keys by key id (checkpoint-key.ts). */
  publicKeys: ReadonlyMap<string, KeyObject>;
  /** Checks an RFC 3161 token against the checkpoint's signed statement (tsa-client.ts); without it tokens are not checked. */
  verifyTimestamp?: (token: Buffer, statement: Buffer) => Promise<boolean>;
  /** Rows (or checkpoints) read per query; memory stays bounded by it. Default 1000. */
  pageSize?: number;
}

/**
 * Walks a stream from the anchor (or `from`) to the head (or `to`) in
 * seq-range pages, recomputing every hash, and checks the signed
 * checkpoints. Reports the first broken link; never personal data.
 */
export async function verifyChain(db: Queryable, options: VerifyChainOptions): Promise<ChainVerificationReport> {
  const stream = chainStreams[options.stream] as ChainStream<unknown>;
  const pageSize = options.pageSize ?? 1000;
  const head = (await readChainHead(db, stream.name)) ?? { seq: 0, recordHash: '', anchorSeq: 1, anchorPrevHash: genesisHash };
  const from = Math.max(options.from ?? head.anchorSeq, head.anchorSeq);
  const coversHead = options.to === undefined || options.to >= head.seq;
  const to = coversHead ? head.seq : options.to!;

  let firstBroken: ChainVerificationReport['firstBroken'];
  let checked = 0;
  let expectedSeq = from;
  let expectedPrev: string | undefined = from === head.anchorSeq ? head.anchorPrevHash : await recordHashAt(db, stream, from - 1);
  const rowColumns = `id, seq, prev_hash, record_hash, (occurred_at <> date_trunc('milliseconds', occurred_at)) AS sub_ms, ${stream.selectColumns}`;

  walk: for (let pageStart = from; pageStart <= to; pageStart += pageSize) {
    const pageEnd = Math.min(pageStart + pageSize - 1, to);
    const { rows } = await db.query<ChainRow>(
      `SELECT ${rowColumns} FROM ${stream.table} WHERE ${stream.where} AND seq BETWEEN $1 AND $2 ORDER BY seq, id`,
      [pageStart, pageEnd],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq < expectedSeq) firstBroken = { seq, reason: 'duplicate' };
      else if (seq > expectedSeq) firstBroken = { seq: expectedSeq, reason: 'missing' };
      else if (row.sub_ms || chainHash(row.prev_hash ?? '', canonicalForm(stream.fieldsOfRow(row))) !== row.record_hash) firstBroken = { seq, reason: 'altered' };
      else if (expectedPrev !== undefined && row.prev_hash !== expectedPrev) firstBroken = { seq, reason: 'broken_link' };
      if (firstBroken) break walk;
      checked += 1;
      expectedSeq = seq + 1;
      expectedPrev = row.record_hash!;
    }
  }
  // Nothing left from expectedSeq on: a gap at the end of the walked range, a truncated tail when that end is the head.
  if (!firstBroken && expectedSeq <= to) firstBroken = { seq: expectedSeq, reason: coversHead ? 'truncated_tail' : 'missing' };
  if (!firstBroken && coversHead) {
    const lastHash = head.seq >= from ? expectedPrev : undefined;
    if (head.seq >= from && lastHash !== head.recordHash) firstBroken = { seq: head.seq, reason: 'head_mismatch' };
    else {
      const { rows } = await db.query<{ seq: number | null }>(`SELECT min(seq) AS seq FROM ${stream.table} WHERE ${stream.where} AND seq > $1`, [head.seq]);
      if (rows[0]?.seq != null) firstBroken = { seq: Number(rows[0].seq), reason: 'beyond_head' };
    }
  }

  const checkpoints = await verifyCheckpoints(db, stream, options, { from, to: coversHead ? Number.MAX_SAFE_INTEGER : to, headSeq: head.seq, pageSize });
  // A signed checkpoint beyond the head: rows after it were deleted and the head moved back to hide it.
  if (checkpoints.newestSeq !== null && checkpoints.newestSeq > head.seq && (!firstBroken || firstBroken.seq > head.seq + 1)) {
    firstBroken = { seq: head.seq + 1, reason: 'truncated_tail' };
  }

  const { rows: unchainedRows } = await db.query<{ count: number }>(`SELECT count(*)::integer AS count FROM ${stream.table} WHERE ${stream.where} AND seq IS NULL`);
  const unchained = unchainedRows[0]?.count ?? 0;

  return {
    stream: stream.name,
    ok: !firstBroken && !checkpoints.firstInvalid && unchained === 0,
    from,
    to,
    checked,
    head: { seq: head.seq, anchorSeq: head.anchorSeq },
    ...(firstBroken ? { firstBroken } : {}),
    unchained,
    checkpoints,
  };
}

async function recordHashAt(db: Queryable, stream: ChainStream<unknown>, seq: number): Promise<string | undefined> {
  const { rows } = await db.query<{ record_hash: string }>(`SELECT record_hash FROM ${stream.table} WHERE ${stream.where} AND seq = $1 ORDER BY id LIMIT 1`, [seq]);
  return rows[0]?.record_hash;
}

async function verifyCheckpoints(
  db: Queryable,
  stream: ChainStream<unknown>,
  options: VerifyChainOptions,
  range: { from: number; to: number; headSeq: number; pageSize: number },
): Promise<ChainVerificationReport['checkpoints']> {
  const result: ChainVerificationReport['checkpoints'] = { checked: 0, valid: 0, timestamped: 0, newestSeq: null };
  const { rows: newest } = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_checkpoints WHERE stream = $1', [stream.name]);
  result.newestSeq = newest[0]?.seq != null ? Number(newest[0].seq) : null;

  let after = range.from - 1;
  for (;;) {
    const { rows } = await db.query<CheckpointRow>(
      `SELECT ${checkpointColumns} FROM audit_checkpoints WHERE stream = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
      [stream.name, after, range.to, range.pageSize],
    );
    if (rows.length === 0) break;
    const checkpoints = rows.map(toStoredCheckpoint);
    after = checkpoints.at(-1)!.seq;
    const seqs = checkpoints.map((c) => c.seq).filter((seq) => seq <= range.headSeq);
    const { rows: chainRows } = await db.query<{ seq: number; record_hash: string }>(
      `SELECT DISTINCT ON (seq) seq, record_hash FROM ${stream.table} WHERE ${stream.where} AND seq = ANY($1::bigint[]) ORDER BY seq, id`,
      [seqs],
    );
    const hashAt = new Map(chainRows.map((row) => [Number(row.seq), row.record_hash]));
    for (const checkpoint of checkpoints) {
      result.checked += 1;
      const key = options.publicKeys.get(checkpoint.keyId);
      let failure: CheckpointFailureReason | undefined;
      if (!key) failure = 'unknown_key';
      else if (!checkpointSignatureValid(checkpoint, key)) failure = 'bad_signature';
      else if (checkpoint.seq <= range.headSeq && !hashAt.has(checkpoint.seq)) failure = 'row_missing';
      else if (checkpoint.seq <= range.headSeq && hashAt.get(checkpoint.seq) !== checkpoint.recordHash) failure = 'hash_mismatch';
      else if (checkpoint.tsaToken && options.verifyTimestamp) {
        if (await options.verifyTimestamp(checkpoint.tsaToken, checkpointStatement(checkpoint))) result.timestamped += 1;
        else failure = 'timestamp_mismatch';
      }
      if (failure) result.firstInvalid ??= { seq: checkpoint.seq, reason: failure };
      else result.valid += 1;
    }
    if (rows.length < range.pageSize) break;
  }
  return result;
}
