import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { connectorDescriptors } from '../../connectors/registry.js';
import type { PopulationSandbox } from '../../connectors/population/sandbox/server.js';
import type { ConnectorDescriptor } from '../../src/connector-kit/index.js';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { readConfigDocument } from '../../src/config/load-config.js';
import { startEmbeddedStack, type EmbeddedStack } from '../../simulators/embedded/start-embedded.js';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import type { PaymentHooks } from '../../src/payments/payments-wiring.js';

export const testDatabaseUrl = process.env.LGSP_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The realm export's one-stop client (dev secret). */
export const oneStopClient = { clientId: 'one-stop', clientSecret: 'one-stop-dev-secret' };

export interface Harness {
  stack: EmbeddedStack;
  url: string;
  /** The ops listener: /metrics, /readyz with detail. */
  opsUrl: string;
  sandbox: PopulationSandbox;
  /** Every log line the stack wrote, raw. */
  logs: string[];
  token(): Promise<string>;
  /** Access tokens of the realm's console users with the lgsp-admin, lgsp-operator and lgsp-auditor roles (password login at the dev IdP). */
  staffTokens(): Promise<{ admin: string; operator: string; auditor: string }>;
  close(): Promise<void>;
}

/**
 * The whole embedded stack as `npm start` runs it — dev IdP, sandboxes,
 * gateway — on ephemeral ports, with logs captured for redaction checks.
 * `store: 'pg'` runs it on the real PostgreSQL in a schema of its own.
 */
export async function startHarness(options: {
  store: 'pglite' | 'pg';
  overrides?: Record<string, unknown>;
  /** Where the dev IdP keeps its private signing keys (tests that forge tokens with the real key read them). */
  idpKeyStorePath?: string;
  /** `store: 'pg'` on another PostgreSQL than the test machine's (e.g. a private instance a test stops and starts). */
  databaseUrl?: string;
  /** The connectors to mount (default: the registry), e.g. with a test-only one added. */
  connectors?: ReadonlyArray<ConnectorDescriptor<any>>;
  /** The stack's environment, e.g. what `{ fromEnv: NAME }` credential references read (default: empty, so the machine's own never leaks in). */
  env?: NodeJS.ProcessEnv;
  /** Where a test listens to the payments (payment anomalies). */
  paymentHooks?: PaymentHooks;
}): Promise<Harness> {
  const connectors = options.connectors ?? connectorDescriptors;
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl;
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
  const devIdp = document.devIdp as Record<string, unknown>;
  if (options.idpKeyStorePath) devIdp.keyStorePath = options.idpKeyStorePath;
  else delete devIdp.keyStorePath;

  let schema: string | undefined;
  if (options.store === 'pg') {
    schema = `e2e_${randomBytes(6).toString('hex')}`;
    await withPg(databaseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  }
  // Replaced whole, not merged: the default's PGlite dataDir must not leak into tests (in-memory here).
  document.store = options.store === 'pg' ? { driver: 'pg', url: databaseUrl, schema, poolSize: 5 } : { driver: 'pglite' };
  const stack = await startEmbeddedStack({
    document,
    env: options.env ?? {},
    connectors,
    logger,
    ...(options.paymentHooks && { paymentHooks: options.paymentHooks }),
    overrides: {
      server: { port: 0, opsPort: 0 },
      devIdp: { port: 0 },
      // Every sandbox on a free port: test files run in parallel.
      sandboxes: { ports: Object.fromEntries(connectors.map((connector) => [connector.id, 0])) },
      ...options.overrides,
    },
  });

  let cachedToken: string | undefined;
  return {
    stack,
    url: stack.gateway.url,
    opsUrl: stack.gateway.opsUrl,
    sandbox: stack.sandboxes.population as unknown as PopulationSandbox,
    logs,
    async token() {
      cachedToken ??= (await requestClientCredentialsToken(stack.idp.tokenUrl, oneStopClient)).access_token;
      return cachedToken;
    },
    async staffTokens() {
      const { issuer, tokenUrl } = stack.idp;
      const [admin, operator, auditor] = await Promise.all(['admin', 'operator', 'auditor'].map((user) => consoleUserToken(issuer, tokenUrl, user)));
      return { admin: admin!, operator: operator!, auditor: auditor! };
    },
    async close() {
      await stack.close();
      if (schema) await withPg(databaseUrl, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

/** One short-lived connection to `url` for `fn` (database and schema housekeeping in tests). */
export async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Headers of a well-formed personal-data call. */
export function personalDataHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-end-user': 'officer01', 'x-purpose': '000.00.01.H22-261123-0001' };
}
