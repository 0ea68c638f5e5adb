import { parseArgs } from 'node:util';
import { loadGatewayConfig } from './support/load-gateway-config.js';
import { ConfigError } from '../src/config/load-config.js';
import { createLogger } from '../src/observability/logger.js';
import { migrate } from '../src/store/migrate.js';
import { migrations } from '../src/store/migrations/index.js';
import { connectStore } from '../src/store/open-store.js';
import { SafeDbError } from '../src/store/safe-db-error.js';
import type { Store } from '../src/store/store.js';

/**
 * node dist/scripts/store-migrate.js
 *
 * Applies the store's pending migrations (src/store/migrations) with the
 * gateway's own configuration (LGSP_CONFIG + LGSP__* environment, read as
 * src/main.ts reads it), then exits: the command of a Helm pre-upgrade Job,
 * so that replicas started with `store.migrateOnStart: false` find their
 * schema ready. Safe beside running gateways and other runs (each migration
 * takes the same advisory lock as a gateway's start). It uses no secret but
 * the store's address, so it does not apply the production guard's refusal
 * of development values; it still validates the whole configuration, so the
 * Job is given the same environment as the pods (secrets it never reads
 * included) and never prints any of it.
 * Prints the result as JSON. Exit 0: the schema is current; 2: usage or
 * configuration error; 1: the migration failed (the database is left at the
 * last migration that completed; each one is all or nothing).
 */
const usage = 'usage: node dist/scripts/store-migrate.js';

async function main(): Promise<number> {
  try {
    const { values } = parseArgs({ options: { help: { type: 'boolean' } }, strict: true, allowPositionals: false });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
  } catch (error) {
    process.stderr.write(`store-migrate: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }

  let config;
  try {
    config = await loadGatewayConfig({ productionGuard: false });
  } catch (error) {
    process.stderr.write(`store-migrate: ${error instanceof ConfigError ? error.message : `cannot read the configuration: ${(error as Error).message}`}\n`);
    return 2;
  }

  const logger = createLogger({ level: config.log.level });
  let store: Store | undefined;
  try {
    // A pool of its own, named so a DBA can tell it from the gateways'; migrations lift the statement timeout themselves.
    store = await connectStore(config.store, logger, { max: 1, applicationName: 'lgsp-store-migrate' });
    const report = await migrate(store, migrations, logger);
    process.stdout.write(`${JSON.stringify({ schemaVersion: report.current, applied: report.applied })}\n`);
    return 0;
  } catch (error) {
    // Never the server's detail (it may quote a row): SafeDbError keeps the message and SQLSTATE only.
    process.stderr.write(`store-migrate: migration failed: ${new SafeDbError(error).message}\n`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
