import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connectorDescriptors } from '../connectors/registry.js';
import { startEmbeddedStack } from '../simulators/embedded/start-embedded.js';
import { requestClientCredentialsToken } from '../src/auth/test-support/token-client.js';
import { readConfigDocument } from '../src/config/load-config.js';
import { createLogger } from '../src/observability/logger.js';
import { fromProjectRoot } from '../src/paths.js';
import { sendDossierLoad } from './dossier-sync-driver.js';
import { percentile, round } from './stats.js';

/**
 * `npm run bench:dossier-sync` (issue 12): accepted dossier syncs per second
 * and delivery latency (accepted → delivered to the portal, p50/p99) with a
 * healthy portal sandbox. Starts the embedded stack on the configured
 * PostgreSQL, in a throwaway schema, with the production defaults of the
 * outbox (1 s poll, 8 deliveries in flight per replica) and a pool of 20,
 * then sends N dossiers, each created then moved through its steps, C
 * dossiers at a time, through the HTTP API. Latency is read from the outbox
 * rows (created_at → delivered_at, both the database clock). See
 * bench/README.md.
 */

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.LGSP_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    dossiers: { type: 'string', default: '200' },
    steps: { type: 'string', default: '9', description: 'progress steps per dossier (after its creation)' },
    concurrency: { type: 'string', default: '32', description: 'dossiers in flight at once (each sends its requests one after the other)' },
  },
});

const dossiers = positiveInteger('dossiers', args.dossiers);
const steps = positiveInteger('steps', args.steps);
const concurrency = positiveInteger('concurrency', args.concurrency);
const messages = dossiers * (1 + steps);
// The dev grant's quota (3000 calls per 60 s, config/access-seed.yaml) bounds one run.
if (messages > 2_900) fail(`${messages} messages exceed the one-stop dev grant's quota (3000 per minute): lower --dossiers or --steps`);

const url = args['database-url'];
const schema = `bench_dossier_${randomBytes(4).toString('hex')}`;
await withPg(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
const logger = createLogger({ level: 'warn' });
const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
delete (document.devIdp as Record<string, unknown>).keyStorePath;
document.store = { driver: 'pg', url, schema, poolSize: 20 };
const stack = await startEmbeddedStack({
  document,
  env: {},
  connectors: connectorDescriptors,
  logger,
  overrides: { server: { port: 0, opsPort: 0 }, devIdp: { port: 0 }, sandboxes: { ports: Object.fromEntries(connectorDescriptors.map((connector) => [connector.id, 0])) } },
});
try {
  const { access_token: token } = await requestClientCredentialsToken(stack.idp.tokenUrl, { clientId: 'one-stop', clientSecret: 'one-stop-dev-secret' });
  const started = performance.now();
  const { accepted } = await sendDossierLoad({ url: stack.gateway.url, token, dossiers, stepsPerDossier: steps, concurrency });
  const sendSeconds = (performance.now() - started) / 1000;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await stack.gateway.store.query<{ undelivered: string }>(`SELECT count(*) AS undelivered FROM outbox_messages WHERE state <> 'delivered'`);
    if (Number(rows[0]!.undelivered) === 0) break;
    if (Date.now() > deadline) fail(`${rows[0]!.undelivered} messages still undelivered after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const drainedSeconds = (performance.now() - started) / 1000;
  const { rows } = await stack.gateway.store.query<{ ms: number }>(`SELECT (extract(epoch FROM delivered_at - created_at) * 1000)::float8 AS ms FROM outbox_messages`);
  const latencies = rows.map((row) => Number(row.ms));
  const result = {
    dossiers,
    stepsPerDossier: steps,
    messages: accepted.length,
    concurrency,
    acceptedPerSecond: round(accepted.length / sendSeconds, 0),
    sendSeconds: round(sendSeconds, 2),
    allDeliveredAfterSeconds: round(drainedSeconds, 2),
    deliveryLatencyMs: { p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2), max: round(Math.max(...latencies), 2) },
    outbox: { pollIntervalMs: stack.config.outbox.pollIntervalMs, maxConcurrent: stack.config.outbox.maxConcurrent },
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stack.close();
  await withPg(url, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
}

async function withPg<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function positiveInteger(name: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) fail(`--${name} must be a positive integer, got ${value}`);
  return parsed;
}

function fail(message: string): never {
  process.stderr.write(`bench:dossier-sync: ${message}\n`);
  process.exit(2);
}
