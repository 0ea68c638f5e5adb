import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';
import { assertSchemaCurrent, migrate, type Migration, type MigrationReport } from './migrate.js';
import { migrations as allMigrations } from './migrations/index.js';
import { createPgStore, type PgStoreOptions } from './pg-store.js';
import { createPgliteStore, EmbeddedStoreInUseError, staleLockMs } from './pglite-store.js';
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
      /** false: openStore only checks that the schema is current (migrations run apart: scripts/store-migrate.ts). Default true. */
      migrateOnStart?: boolean;
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
 * uses it, or, with `migrateOnStart: false` (migrations run by a job of their
 * own before the rollout), only checks that it is: a schema behind the code
 * refuses the start. A store whose migrations or check fail is closed again,
 * so a failed start leaves no pool behind.
 */
export async function openStore(
  config: StoreConfig,
  logger: Logger,
  migrations: readonly Migration[] = allMigrations,
): Promise<Store> {
  const store = await connectWaitingForLock(config, logger);
  try {
    const migrateOnStart = config.driver === 'pglite' || config.migrateOnStart !== false;
    const report: MigrationReport = migrateOnStart ? await migrate(store, migrations, logger) : await assertSchemaCurrent(store, migrations);
    if (report.ahead && report.ahead.length > 0) {
      logger.warn(
        { schemaVersion: report.current, newerMigrations: report.ahead, knownUpTo: migrations.at(-1)?.version ?? 0 },
        'the database schema is newer than this gateway (a rolling upgrade or a rollback): starting on it, as the migration rule allows',
      );
    }
    logger.info({ driver: store.driver, schemaVersion: report.current, applied: report.applied, migrated: migrateOnStart }, 'store ready');
    return store;
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

/**
 * The gateway's start waits out an embedded-store lock for as long as a lock
 * left by a killed process stays fresh, so a supervisor restarting a gateway
 * that was just `kill -9`ed (OOM, a container stop timeout) does not
 * crash-loop; a lock still held after that belongs to a live process, and the
 * start fails naming it. Read-only tools call connectStore and fail at once.
 */
async function connectWaitingForLock(config: StoreConfig, logger: Logger, waitMs = staleLockMs + 5_000): Promise<Store> {
  const giveUpAt = Date.now() + waitMs;
  let warned = false;
  for (;;) {
    try {
      return await connectStore(config, logger);
    } catch (error) {
      if (!(error instanceof EmbeddedStoreInUseError) || Date.now() >= giveUpAt) throw error;
      if (!warned) logger.warn({ dataDir: error.dataDir, waitMs }, 'embedded store locked (another process, or one that was killed): waiting for the lock');
      warned = true;
      await delay(1_000);
    }
  }
}
