import type { Logger } from '../observability/logger.js';
import { migrate, type Migration } from './migrate.js';
import { migrations as allMigrations } from './migrations/index.js';
import { createPgStore, type PgStoreOptions } from './pg-store.js';
import { createPgliteStore } from './pglite-store.js';
import type { Store } from './store.js';

export type StoreConfig =
  | {
      driver: 'pg';
      url: string;
      poolSize?: number;
      statementTimeoutMs?: number;
      connectionTimeoutMs?: number;
      /** See PgStoreOptions.schema. */
      schema?: string;
    }
  | {
      driver: 'pglite';
      /** Undefined keeps the database in memory (tests, throwaway runs). */
      dataDir?: string;
    };

/** A PostgreSQL pool of a caller's own, instead of the one the configuration describes for the gateway. */
export type OwnPoolSettings = Pick<PgStoreOptions, 'max' | 'statementTimeoutMs' | 'connectionTimeoutMs' | 'applicationName'>;

/**
 * Connects to the configured store (driver, address, schema) without
 * touching its schema. openStore uses it for the gateway; a read-only tool
 * (audit:verify) uses it directly, because migrating is the gateway's job.
 * With `ownPool`, the configured pool size and timeouts, tuned for the
 * gateway's hot path, are replaced by the caller's (unset ones take the
 * pg-store defaults).
 */
export function connectStore(config: StoreConfig, logger: Logger, ownPool?: OwnPoolSettings): Promise<Store> {
  if (config.driver === 'pglite') {
    return createPgliteStore({
      ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
      onLockCompromised: (error) => logger.error({ err: error }, 'embedded store lock lost: another process may open the same files'),
    });
  }
  const pool: OwnPoolSettings = ownPool ?? {
    ...(config.poolSize !== undefined ? { max: config.poolSize } : {}),
    ...(config.statementTimeoutMs !== undefined ? { statementTimeoutMs: config.statementTimeoutMs } : {}),
    ...(config.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: config.connectionTimeoutMs } : {}),
  };
  return createPgStore({ connectionString: config.url, logger, ...pool, ...(config.schema !== undefined ? { schema: config.schema } : {}) });
}

/**
 * Opens the configured store and brings its schema up to date before anyone
 * uses it. A store whose migrations fail is closed again, so a failed start
 * leaves no pool behind.
 */
export async function openStore(
  config: StoreConfig,
  logger: Logger,
  migrations: readonly Migration[] = allMigrations,
): Promise<Store> {
  const store = await connectStore(config, logger);
  try {
    const report = await migrate(store, migrations, logger);
    logger.info({ driver: store.driver, schemaVersion: report.current, applied: report.applied }, 'store ready');
    return store;
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}
