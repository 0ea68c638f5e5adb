import { mkdir } from 'node:fs/promises';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import type { Queryable, QueryResult, Store } from './store.js';

export interface PgliteStoreOptions {
  /** Directory for the database files, created if missing. Undefined keeps the database in memory. */
  dataDir?: string;
}

/**
 * The embedded store: a whole PostgreSQL in-process, one session. PGlite
 * serializes everything itself: a transaction holds the session until it
 * ends, and queries from outside wait for it.
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);

  let closing: Promise<void> | undefined;
  return {
    driver: 'pglite',
    query: async (sql, params) => toQueryResult(await db.query(sql, params)),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn(wrapTransaction(tx))),
    ping: async () => {
      await db.query('SELECT 1');
    },
    // Idempotent: shutdown paths may meet (a failed start, then SIGTERM).
    close: () => (closing ??= db.close()),
  };
}

function wrapTransaction(tx: Transaction): Queryable {
  return {
    query: async (sql, params) => toQueryResult(await tx.query(sql, params)),
    exec: async (sql) => {
      await tx.exec(sql);
    },
  };
}

function toQueryResult<Row>(result: Results<unknown>): QueryResult<Row> {
  // rowCount is per statement like node-postgres; affectedRows is the fallback for DDL.
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.affectedRows ?? 0 };
}
