/**
 * One SQL dialect (PostgreSQL) behind two drivers: node-postgres for
 * production and PGlite (Postgres compiled to WASM, in-process) for the
 * embedded default. Callers write plain Postgres SQL with $1 placeholders.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

export interface Store extends Queryable {
  readonly driver: 'pg' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
