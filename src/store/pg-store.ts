import pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { pgliteCompatibleTypes } from './pg-type-parsers.js';
import { safeDbError } from './safe-db-error.js';
import type { Queryable, QueryOptions, QueryResult, Store } from './store.js';

export interface PgStoreOptions {
  connectionString: string;
  /** Pool size. Default 10. */
  max?: number;
  /** Server-side limit per statement (PostgreSQL `statement_timeout`). Default 30 000 ms; 0 disables. */
  statementTimeoutMs?: number;
  /** How long to wait for a free or new connection before failing. Default 5 000 ms. */
  connectionTimeoutMs?: number;
  /** Shown in pg_stat_activity. Default `lgsp-gateway`. */
  applicationName?: string;
  /**
   * Puts this schema first on every connection's `search_path`
   * (`<schema>, public`), so unqualified tables, including
   * `schema_migrations`, live in it. The schema must already exist. Used by
   * tests to isolate themselves in one database, and by deployments that
   * share a database between applications.
   */
  schema?: string;
  logger: Logger;
}

const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createPgStore(options: PgStoreOptions): Promise<Store> {
  const { logger } = options;
  if (options.schema !== undefined && !schemaNamePattern.test(options.schema)) {
    // The name goes into a startup parameter, so only plain identifiers are accepted.
    throw new Error(`store schema "${options.schema}" must match ${schemaNamePattern}`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    application_name: options.applicationName ?? 'lgsp-gateway',
    keepAlive: true,
    types: pgliteCompatibleTypes,
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  });
  // An idle client losing its connection (server restart, network cut) is
  // reported here; without a listener it would crash the process. The pool
  // discards that client and opens a new one on next use.
  pool.on('error', (err) => logger.error({ err: safeDbError(err) }, 'idle PostgreSQL connection failed'));

  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    driver: 'pg',
    query: (sql, params, options) => runQuery(pool, sql, params, options),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: (fn) => runTransaction(pool, logger, fn),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    // Idempotent: shutdown paths may meet (a failed start, then SIGTERM).
    close: () => (closing ??= pool.end()),
  };
}

async function runQuery<Row>(
  client: pg.Pool | pg.PoolClient,
  sql: string,
  params?: unknown[],
  options?: QueryOptions,
): Promise<QueryResult<Row>> {
  const result = options?.name === undefined ? await client.query(sql, params) : await client.query({ name: options.name, text: sql, values: params });
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

async function runTransaction<T>(pool: pg.Pool, logger: Logger, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // While checked out, the pool no longer listens for this client's errors;
  // a connection dropped mid-transaction must not become an uncaught error.
  const onClientError = (err: Error) =>
    logger.warn({ err: safeDbError(err) }, 'PostgreSQL connection failed during a transaction');
  client.on('error', onClientError);

  let finished = false;
  const whileOpen = <R>(run: () => Promise<R>): Promise<R> => {
    if (finished) return Promise.reject(new Error('transaction is already finished'));
    return run();
  };
  const tx: Queryable = {
    query: (sql, params, options) => whileOpen(() => runQuery(client, sql, params, options)),
    exec: (sql) => whileOpen(async () => void (await client.query(sql))),
  };

  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      finished = true;
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    }
    finished = true;
    try {
      await client.query('COMMIT');
    } catch (err) {
      // Whether the commit happened is unknown if the connection died: do
      // not hand this connection to anyone else.
      broken = err as Error;
      throw err;
    }
    return result;
  } finally {
    finished = true;
    client.off('error', onClientError);
    client.release(broken);
  }
}
