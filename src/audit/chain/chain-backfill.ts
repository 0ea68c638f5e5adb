import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import { canonicalForm, chainHash } from './canonical-form.js';
import { lockChainHead } from './chain-append.js';
import { chainStreams, type ChainRow, type ChainStream } from './chain-streams.js';

const pageSize = 1000;

/**
 * Chains the rows written before migration 0004 (seq still NULL), once, in
 * (occurred_at, id) order, before the gateway serves. Each page is one
 * transaction under the stream's head lock, so replicas starting together
 * take turns and the second finds nothing left. occurred_at is cut to
 * milliseconds in the same UPDATE: the canonical form hashes milliseconds.
 * Returns how many rows were chained per stream.
 */
export async function chainUnchainedRecords(store: Store, logger?: Logger): Promise<Record<string, number>> {
  const chained: Record<string, number> = {};
  for (const stream of Object.values(chainStreams) as Array<ChainStream<unknown>>) {
    let total = 0;
    // Almost every start finds nothing to chain (0004's check refuses unchained rows): ask without locking
    // first, so replicas starting up do not hold up each other's appends on the head lock.
    const { rowCount } = await store.query(`SELECT 1 FROM ${stream.table} WHERE ${stream.where} AND seq IS NULL LIMIT 1`);
    while (rowCount > 0) {
      const done = await store.transaction(async (tx) => {
        const head = await lockChainHead(tx, stream.name);
        const { rows } = await tx.query<ChainRow>(
          `SELECT id, seq, prev_hash, record_hash, false AS sub_ms, ${stream.selectColumns.replace('occurred_at', "date_trunc('milliseconds', occurred_at) AS occurred_at")}
             FROM ${stream.table} WHERE ${stream.where} AND seq IS NULL
            ORDER BY occurred_at, id LIMIT ${pageSize}`,
        );
        if (rows.length === 0) return 0;
        let seq = head.seq;
        let prevHash = head.recordHash;
        const params: unknown[] = [];
        const tuples: string[] = [];
        for (const row of rows) {
          seq += 1;
          const recordHash = chainHash(prevHash, canonicalForm(stream.fieldsOfRow({ ...row, seq })));
          const at = params.length;
          tuples.push(`($${at + 1}::bigint, $${at + 2}::bigint, $${at + 3}::text, $${at + 4}::text)`);
          params.push(row.id, seq, prevHash, recordHash);
          prevHash = recordHash;
        }
        await tx.query(
          `UPDATE ${stream.table} AS t
              SET seq = v.seq, prev_hash = v.prev_hash, record_hash = v.record_hash,
                  occurred_at = date_trunc('milliseconds', t.occurred_at)
             FROM (VALUES ${tuples.join(', ')}) AS v (id, seq, prev_hash, record_hash)
            WHERE t.id = v.id AND t.seq IS NULL`,
          params,
        );
        await tx.query('UPDATE audit_chain_heads SET seq = $2, record_hash = $3 WHERE stream = $1', [stream.name, seq, prevHash]);
        return rows.length;
      });
      total += done;
      if (done < pageSize) break;
    }
    if (total > 0) logger?.info({ stream: stream.name, records: total }, 'audit records written before the hash chain were chained');
    chained[stream.name] = total;
  }
  return chained;
}
