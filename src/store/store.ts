/**
 * One SQL dialect (PostgreSQL) behind two drivers: node-postgres for
 * production and PGlite (Postgres compiled to WASM, in-process) for the
 * embedded default. Callers write plain Postgres SQL with $1 placeholders.
 *
 * Both drivers return the same JavaScript types: bigint columns come back as
 * `number` (as `bigint` only beyond Number.MAX_SAFE_INTEGER), numeric as
 * `string`, date/timestamp/timestamptz as `Date`, json/jsonb parsed, arrays
 * as arrays. PGlite's conventions are the reference; the pg driver is aligned
 * to them (see pg-type-parsers.ts).
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Names the statement so that node-postgres parses it once per connection
   * and then only binds and executes it (the server neither parses nor
   * plans it again). One name, one SQL text, for the life of the process:
   * for a statement run on every request, whose text does not vary. PGlite
   * runs it unnamed.
   */
  name?: string;
}

export interface Queryable {
  /** One statement, parameters as $1, $2, ... */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<Row>>;
  /**
   * A script of one or more statements without parameters (simple query
   * protocol), e.g. a migration. Results are discarded.
   */
  exec(sql: string): Promise<void>;
}

export interface Store extends Queryable {
  readonly driver: 'pg' | 'pglite';
  /**
   * Runs fn in one transaction; commits when it resolves, rolls back when it
   * throws. Inside fn, use `tx` only: on PGlite (one session) a query on the
   * store itself waits for the transaction to end, so it would never finish.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
