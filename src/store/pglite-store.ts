import { mkdir } from 'node:fs/promises';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import type { Queryable, QueryResult, Store } from './store.js';

export interface PgliteStoreOptions {
  /** Directory for the database files, created if missing. Undefined keeps the database in memory. */
  dataDir?: string;
  /**
   * Called if this process's lock on `dataDir` is lost (its lock directory
   * removed, or not refreshed within 30 s because the event loop was stalled):
   * another process could then open the same files, so say so loudly.
   * Default: a process warning on stderr (never a crash mid-request).
   */
  onLockCompromised?: (error: Error) => void;
}

/** The store's files are in use by another process (a running gateway, or `npm run audit:verify`). */
export class EmbeddedStoreInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`embedded store ${dataDir} is in use by another process (a running gateway?); stop it first, or use the admin API`);
    this.name = 'EmbeddedStoreInUseError';
  }
}

/**
 * The embedded store: a whole PostgreSQL in-process, one session. PGlite
 * serializes everything itself: a transaction holds the session until it
 * ends, and queries from outside wait for it.
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  const release = options.dataDir === undefined ? undefined : await lockDataDir(options.dataDir, options.onLockCompromised);
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir);
  } catch (error) {
    // The error worth reporting is PGlite's, not a failed unlock.
    await release?.().catch(() => undefined);
    throw error;
  }

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
    close: () =>
      (closing ??= db.close().finally(async () => {
        await release?.().catch(() => undefined);
      })),
  };
}

/** How long a lock left by a killed process keeps others out. */
export const staleLockMs = 30_000;

/**
 * PGlite is one process's database: a second process opening the same files
 * (a second gateway, the audit verifier while the gateway runs) corrupts
 * them. A lock directory next to the data (proper-lockfile: atomic mkdir,
 * refreshed every 15 s, removed on exit and on SIGTERM/SIGINT; after a
 * SIGKILL it goes stale in 30 s — long enough that a long synchronous step
 * such as a migration never loses it) makes the second opener fail at once.
 */
async function lockDataDir(dataDir: string, onCompromised?: (error: Error) => void): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, { stale: staleLockMs, onCompromised: onCompromised ?? ((error) => process.emitWarning(`embedded store lock lost: ${error.message}`)) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new EmbeddedStoreInUseError(dataDir);
    throw error;
  }
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
