/**
 * Appending to a stream's hash chain. Two ways, both ending with the head row
 * (audit_chain_heads) moved in the same transaction as the INSERT of the
 * records numbered and hashed after it, so seq stays gap-free across
 * replicas (docs/audit-chain.md, "How records are written"):
 * - appendToChain: locks the head row (FOR UPDATE) inside the caller's
 *   transaction; always gets its turn. Admin stream, one-off inserts, and the
 *   group committer's fallback.
 * - appendIfHeadAt: one statement, one round trip, on a head the caller
 *   remembers; writes nothing when the head moved meanwhile. The group
 *   committer's common case.
 */
import type { Queryable } from '../../store/store.js';
import { canonicalForm, chainHash } from './canonical-form.js';
import { chainStreams, isChainStreamName, type ChainStream } from './chain-streams.js';

export interface ChainHead {
  seq: number;
  recordHash: string;
  anchorSeq: number;
  anchorPrevHash: string;
}

interface HeadRow {
  seq: number;
  record_hash: string;
  anchor_seq: number;
  anchor_prev_hash: string;
}

const headColumns = 'seq, record_hash, anchor_seq, anchor_prev_hash';

function toHead(row: HeadRow): ChainHead {
  return { seq: Number(row.seq), recordHash: row.record_hash, anchorSeq: Number(row.anchor_seq), anchorPrevHash: row.anchor_prev_hash };
}

/**
 * Locks the stream's head row until the transaction ends. Every append goes
 * through here, so appends to one stream are serialized across connections
 * and replicas: that lock, not a unique index, makes seq gap-free.
 *
 * One lock order everywhere: the stream's table first, then its head row.
 * The one-statement append (appendIfHeadAt) takes the table lock before it
 * reaches the head row, and retention takes the table exclusively before it
 * touches the head; taking the head first here would form a cycle with
 * either. ROW EXCLUSIVE is what an INSERT takes anyway: it blocks no writer.
 */
export async function lockChainHead(tx: Queryable, stream: string): Promise<ChainHead> {
  if (isChainStreamName(stream)) await tx.exec(`LOCK TABLE ${chainStreams[stream].table} IN ROW EXCLUSIVE MODE`);
  const select = () => tx.query<HeadRow>(`SELECT ${headColumns} FROM audit_chain_heads WHERE stream = $1 FOR UPDATE`, [stream]);
  let { rows } = await select();
  if (rows.length === 0) {
    // Migration 0004 creates the known streams; a new one starts at the genesis on first use.
    await tx.query('INSERT INTO audit_chain_heads (stream) VALUES ($1) ON CONFLICT (stream) DO NOTHING', [stream]);
    ({ rows } = await select());
  }
  return toHead(rows[0]!);
}

export async function readChainHead(db: Queryable, stream: string): Promise<ChainHead | undefined> {
  const { rows } = await db.query<HeadRow>(`SELECT ${headColumns} FROM audit_chain_heads WHERE stream = $1`, [stream]);
  return rows[0] && toHead(rows[0]);
}

/** Where a stream's chain ends: what the next record links to. */
export interface ChainTip {
  seq: number;
  recordHash: string;
}

interface ChainedBatch {
  columns: string[];
  /** One array of values per record, in insert-column order, then seq, prev_hash, record_hash. */
  rows: unknown[][];
  tip: ChainTip;
}

/** Numbers and hashes records after `after`: the rows to insert and where the chain then ends. */
function chainAfter<R>(stream: ChainStream<R>, after: ChainTip, records: readonly R[]): ChainedBatch {
  let seq = after.seq;
  let prevHash = after.recordHash;
  const rows: unknown[][] = [];
  for (const record of records) {
    seq += 1;
    const recordHash = chainHash(prevHash, canonicalForm(stream.fieldsOf(record, seq)));
    rows.push([...stream.valuesOf(record), seq, prevHash, recordHash]);
    prevHash = recordHash;
  }
  return { columns: [...stream.insertColumns, 'seq', 'prev_hash', 'record_hash'], rows, tip: { seq, recordHash: prevHash } };
}

/** `($1, $2, …), (…)` for the rows, their values appended to params; each placeholder cast when types are given. */
function valuesList(rows: unknown[][], params: unknown[], types?: readonly string[]): string {
  return rows
    .map((values) => {
      const placeholders = values.map((value, i) => {
        params.push(value);
        return types ? `$${params.length}::${types[i]}` : `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    })
    .join(', ');
}

/**
 * The locking append, inside the caller's transaction: lock the head, number
 * and hash each record after it, one multi-row INSERT, move the head.
 * Nothing is visible to others until the caller commits; a rollback leaves
 * head and rows as they were. Used by appendInTransaction (admin changes),
 * one-off inserts, and the group committer when its optimistic append keeps
 * losing the race (see appendIfHeadAt).
 */
export async function appendToChain<R>(tx: Queryable, stream: ChainStream<R>, records: readonly R[]): Promise<{ firstSeq: number; lastSeq: number; tip: ChainTip }> {
  const head = await lockChainHead(tx, stream.name);
  const batch = chainAfter(stream, head, records);
  if (records.length > 0) {
    const params: unknown[] = [];
    const values = valuesList(batch.rows, params);
    await tx.query(`INSERT INTO ${stream.table} (${batch.columns.join(', ')}) VALUES ${values}`, params);
    await tx.query('UPDATE audit_chain_heads SET seq = $2, record_hash = $3 WHERE stream = $1', [stream.name, batch.tip.seq, batch.tip.recordHash]);
  }
  return { firstSeq: head.seq + 1, lastSeq: batch.tip.seq, tip: batch.tip };
}

/**
 * The optimistic append: ONE statement (its own transaction, one round trip)
 * that moves the head from `expected` to the batch's last record and inserts
 * the batch only if the head moved:
 *
 *   WITH moved AS (UPDATE audit_chain_heads SET seq, record_hash
 *                   WHERE stream AND seq = expected AND record_hash = expected RETURNING 1)
 *   INSERT INTO table (…) SELECT … FROM unnest(column arrays) WHERE EXISTS (SELECT 1 FROM moved)
 *
 * Returns the new tip, or undefined when the head was not at `expected`
 * (another writer — a replica, the locking append, the backfill — extended
 * the chain): nothing was written; re-read the head and try again.
 *
 * Why this is as safe as the lock: under READ COMMITTED a concurrent UPDATE
 * of the same head row waits for the first writer to end, then re-checks the
 * WHERE against the committed row; it no longer matches, so the loser moves
 * nothing and inserts nothing. Only seq and record_hash are compared, so
 * retention moving the anchor (under its own FOR UPDATE) does not disturb a
 * writer. One statement is one transaction: an INSERT the table refuses
 * (constraint, no partition for the month) rolls the head move back with it.
 *
 * The records go as one array per column, so the text is the same for every
 * batch size: a named statement, parsed and planned once per connection
 * (a VALUES list of a batch's rows was a new text for the server to parse
 * and plan on every commit, as much CPU there as the gateway spent on it).
 */
export async function appendIfHeadAt<R>(db: Queryable, stream: ChainStream<R>, expected: ChainTip, records: readonly R[]): Promise<ChainTip | undefined> {
  if (records.length === 0) return expected;
  const batch = chainAfter(stream, expected, records);
  const statement = optimisticAppendStatement(stream);
  const params: unknown[] = [stream.name, expected.seq, expected.recordHash, batch.tip.seq, batch.tip.recordHash];
  for (let column = 0; column < statement.arrayColumns.length; column += 1) {
    // A column of arrays goes as the text of each array (PostgreSQL has no arrays of arrays of different lengths), read back per row.
    const nested = statement.arrayColumns[column]!;
    let literal = '{';
    for (let row = 0; row < batch.rows.length; row += 1) literal += (row === 0 ? '' : ',') + arrayElement(batch.rows[row]![column], nested);
    params.push(`${literal}}`);
  }
  const { rowCount } = await db.query(statement.sql, params, { name: statement.name });
  if (rowCount === records.length) return batch.tip;
  if (rowCount === 0) return undefined;
  // Cannot happen (all rows or none); refuse to carry on with a head we cannot trust.
  throw new Error(`optimistic chain append inserted ${rowCount} of ${records.length} records`);
}

interface OptimisticAppendStatement {
  name: string;
  sql: string;
  /** Per insert column (then seq, prev_hash, record_hash): whether its values are arrays themselves. */
  arrayColumns: boolean[];
}

const optimisticAppendStatements = new Map<string, OptimisticAppendStatement>();

function optimisticAppendStatement(stream: ChainStream<unknown>): OptimisticAppendStatement {
  let statement = optimisticAppendStatements.get(stream.name);
  if (statement) return statement;
  const columns = [...stream.insertColumns, 'seq', 'prev_hash', 'record_hash'];
  const types = [...stream.insertTypes, 'bigint', 'text', 'text'];
  const arrayColumns = types.map((type) => type.endsWith('[]'));
  const unnested = types.map((type, i) => (arrayColumns[i] ? `$${i + 6}::text[]` : `$${i + 6}::${type}[]`));
  const selected = columns.map((column, i) => (arrayColumns[i] ? `${column}::${types[i]}` : column));
  statement = {
    name: `chain_append_${stream.name}`,
    sql: `WITH moved AS (
       UPDATE audit_chain_heads SET seq = $4::bigint, record_hash = $5::text
        WHERE stream = $1::text AND seq = $2::bigint AND record_hash = $3::text
        RETURNING 1)
     INSERT INTO ${stream.table} (${columns.join(', ')})
     SELECT ${selected.join(', ')} FROM unnest(${unnested.join(', ')}) AS batch (${columns.join(', ')})
      WHERE EXISTS (SELECT 1 FROM moved)`,
    arrayColumns,
  };
  optimisticAppendStatements.set(stream.name, statement);
  return statement;
}

/**
 * One element of an array parameter, as PostgreSQL's array input reads it:
 * quoted, `"` and `\\` escaped, NULL for null; a Date in ISO 8601 UTC (the
 * same instant node-postgres would send in local time), an array as its own
 * array text. Written here rather than left to node-postgres, which escapes
 * each element with two regular-expression passes: every value of every
 * audit record goes through this.
 */
function arrayElement(value: unknown, nested: boolean): string {
  if (value === null || value === undefined) return 'NULL';
  if (nested) {
    const elements = value as unknown[];
    let inner = '{';
    for (let index = 0; index < elements.length; index += 1) inner += (index === 0 ? '' : ',') + arrayElement(elements[index], false);
    return quoted(`${inner}}`);
  }
  if (typeof value === 'string') return quoted(value);
  if (value instanceof Date) return quoted(value.toISOString());
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return quoted(String(value));
  throw new Error(`chain append: a ${typeof value} cannot be an array element`);
}

function quoted(text: string): string {
  return text.includes('"') || text.includes('\\') ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
}
