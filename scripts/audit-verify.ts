import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connectorDescriptors } from '../connectors/registry.js';
import { loadVerificationKeys } from '../src/audit/chain/checkpoint-key.js';
import { chainStreams, isChainStreamName } from '../src/audit/chain/chain-streams.js';
import { timestampTokenMatches } from '../src/audit/chain/tsa-client.js';
import { verifyChain } from '../src/audit/chain/verify-chain.js';
import { composeConfigSchema } from '../src/config/compose-config-schema.js';
import { loadConfig, readConfigDocument } from '../src/config/load-config.js';
import { createLogger } from '../src/observability/logger.js';
import { fromProjectRoot } from '../src/paths.js';
import { connectStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';

/**
 * npm run audit:verify -- --stream data_access [--from N] [--to M] [--public-key key.pem ...]
 *
 * Walks one stream's hash chain and its signed checkpoints (docs/audit-chain.md)
 * with the gateway's own configuration (LGSP_CONFIG + LGSP__* environment),
 * read-only, and prints the JSON report. Exit 0: the chain holds; 1: it is
 * broken (firstBroken / checkpoints.firstInvalid say where); 2: it could not
 * be verified (usage, configuration or database error).
 */
const usage = `usage: npm run audit:verify -- --stream ${Object.keys(chainStreams).join('|')} [--from N] [--to M] [--public-key file.pem ...]`;

function fail(message: string): never {
  process.stderr.write(`audit:verify: ${message}\n${usage}\n`);
  process.exit(2);
}

function seqArgument(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) fail(`--${name} must be a positive integer`);
  return Number(value);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        stream: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'public-key': { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
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
  if (!args.stream || !isChainStreamName(args.stream)) fail(`--stream must be one of ${Object.keys(chainStreams).join(', ')}`);
  const stream = args.stream;
  const from = seqArgument('from', args.from);
  const to = seqArgument('to', args.to);
  if (from !== undefined && to !== undefined && from > to) fail('--from must not be after --to');

  const configFile = process.env.LGSP_CONFIG ?? fromProjectRoot('config/default.yaml');
  let store: Store | undefined;
  try {
    const config = loadConfig({ schema: composeConfigSchema(connectorDescriptors), document: readConfigDocument(configFile), env: process.env });
    const logger = createLogger({ level: 'warn', destination: process.stderr });
    const extraKeys = (args['public-key'] ?? []).map((file) => readFileSync(file, 'utf8'));
    const publicKeys = await loadVerificationKeys(config.audit.checkpoints, extraKeys);
    // PGlite is one process's database: while the embedded gateway runs, its data directory is locked and
    // connectStore refuses (EmbeddedStoreInUseError, exit 2): stop it first, or use GET /admin/v1/audit/verification.
    // Read-only: connect without migrating; a small pool of its own, named so a DBA can tell it from the gateway's.
    store = await connectStore(config.store, logger, { max: 2, applicationName: 'lgsp-audit-verify' });
    const report = await verifyChain(store, { stream, publicKeys, verifyTimestamp: timestampTokenMatches, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`audit:verify: could not verify: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
