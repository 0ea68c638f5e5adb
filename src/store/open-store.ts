import type { Logger } from '../observability/logger.js';
import { migrate, type Migration } from './migrate.js';
import { migrations as allMigrations } from './migrations/index.js';
import { createPgStore } from './pg-store.js';
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
  const store =
    config.driver === 'pg'
      ? await createPgStore({
          connectionString: config.url,
          logger,
          ...(config.poolSize !== undefined ? { max: config.poolSize } : {}),
          ...(config.statementTimeoutMs !== undefined ? { statementTimeoutMs: config.statementTimeoutMs } : {}),
          ...(config.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: config.connectionTimeoutMs } : {}),
          ...(config.schema !== undefined ? { schema: config.schema } : {}),
        })
      : await createPgliteStore({
          ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
          onLockCompromised: (error) => logger.error({ err: error }, 'embedded store lock lost: another process may open the same files'),
        });
  try {
    const report = await migrate(store, migrations, logger);
    logger.info({ driver: store.driver, schemaVersion: report.current, applied: report.applied }, 'store ready');
    return store;
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}
