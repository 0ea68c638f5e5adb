import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from './support/load-gateway-config.js';
import { createLogger } from '../src/observability/logger.js';
import { connectStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { MasterKeyring } from '../src/vault/master-keyring.js';
import { rewrapAll } from '../src/vault/rewrap.js';

/**
 * npm run vault:rewrap [-- --retire <key id> ...] [--batch-size N]
 *
 * Master-key rotation of the credential vault, with the gateway's own
 * configuration (LGSP_CONFIG + LGSP__* environment, read as `npm start`
 * reads it):
 *   1. add the new key to vault.masterKeys and make it vault.activeKeyId
 *      (e.g. LGSP__VAULT__MASTER_KEYS='[{"id":"k1","file":"/run/secrets/k1"},{"id":"k2","file":"/run/secrets/k2"}]'
 *      LGSP__VAULT__ACTIVE_KEY_ID=k2), roll it out to every replica;
 *   2. run this: every record's data key is re-wrapped under the active key,
 *      then every other configured key (or only those named by --retire) is
 *      retired: the gateway refuses it from then on, even if still configured;
 *   3. remove the old key from the configuration and destroy it.
 * Prints counts as JSON (never a key). Exit 0: done; 2: nothing retired
 * (usage, configuration, a record under a key not configured, database).
 * Embedded mode: the PGlite data directory is locked while the gateway runs:
 * stop it first.
 */
const usage = 'usage: npm run vault:rewrap [-- --retire <key id> ...] [--batch-size N]';

function fail(message: string): never {
  process.stderr.write(`vault:rewrap: ${message}\n${usage}\n`);
  process.exit(2);
}


function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { retire: { type: 'string', multiple: true }, 'batch-size': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const batchSize = args['batch-size'] === undefined ? undefined : Number(args['batch-size']);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)) fail('--batch-size must be an integer from 1 to 10000');

  let store: Store | undefined;
  try {
    const config = await loadGatewayConfig({ productionGuard: true });
    if (!config.vault) fail('the configuration has no vault section');
    const vault = config.vault;
    const retire = args.retire ?? vault.masterKeys.map((key) => key.id).filter((id) => id !== vault.activeKeyId);
    const logger = createLogger({ level: 'warn', destination: process.stderr });
    store = await connectStore(config.store, logger, { max: 2, applicationName: 'lgsp-vault-rewrap' });
    const keyring = await MasterKeyring.load(vault, store);
    const actor = { actor: `script:vault-rewrap (${operator()})`, actorClient: 'lgsp-vault-rewrap', requestId: randomUUID() };
    const result = await rewrapAll(store, keyring, { retire, actor, ...(batchSize !== undefined && { batchSize }) });
    process.stdout.write(`${JSON.stringify({ activeKeyId: vault.activeKeyId, ...result }, null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`vault:rewrap: nothing retired: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
