import type { Queryable } from '../../store/store.js';

/**
 * Where a stream's retained hash chain starts (migration 0004,
 * `audit_chain_heads.anchor_seq/anchor_prev_hash`): the verifier begins at
 * `anchor_seq` expecting `anchor_prev_hash` as that record's prev_hash.
 * Retention deletes the oldest records, so in the same transaction it moves
 * the anchor past them.
 */
export interface ChainPosition {
  seq: number;
  recordHash: string;
}

/** The newest of the given positions (the last deleted record), or undefined. */
export function lastPosition(positions: Iterable<ChainPosition | undefined>): ChainPosition | undefined {
  let last: ChainPosition | undefined;
  for (const position of positions) if (position && (!last || position.seq > last.seq)) last = position;
  return last;
}

/**
 * After deleting every record up to and including `lastDeleted`, the chain
 * starts at the record after it, whose prev_hash is the deleted record's
 * hash. Using the last deleted record rather than the first retained one
 * keeps the verified range gap-free even where the chain order (seq, set at
 * commit) and the time order retention cuts by (occurred_at, set at the
 * request) disagree at the boundary. Never moves backwards.
 */
export async function moveChainAnchor(tx: Queryable, stream: string, lastDeleted: ChainPosition): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE audit_chain_heads SET anchor_seq = $2, anchor_prev_hash = $3
      WHERE stream = $1 AND anchor_seq < $2`,
    [stream, lastDeleted.seq + 1, lastDeleted.recordHash],
  );
  return rowCount > 0;
}
