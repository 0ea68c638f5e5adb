import { Writable } from 'node:stream';
import { startDevIdp, type DevIdp } from '../../simulators/dev-idp/index.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { defineConnector, type ConnectorDescriptor } from '../../src/connector-kit/descriptor.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { oneStopClient } from './embedded-harness.js';

export interface ScriptedGateway {
  gateway: RunningGateway;
  /** A one-stop client-credentials token from the dev IdP. */
  token: string;
  /** Every log line, raw (only when `captureLogs` was asked for). */
  logs: string[];
  close(): Promise<void>;
}

type ScriptedClient = Record<string, never>;

/**
 * A connector with no upstream behind it (id `scripted`, no auth, no
 * credentials or settings): the test writes its operations, and each
 * operation's invoke answers what the test scripts.
 */
export function defineScriptedConnector(definition: Pick<ConnectorDescriptor<ScriptedClient>, 'title' | 'resilience' | 'operations'>): ConnectorDescriptor<ScriptedClient> {
  return defineConnector<ScriptedClient>({
    id: 'scripted',
    upstream: 'none: answers chosen by the test',
    protocol: 'rest',
    authScheme: 'none',
    credentialSchema: { type: 'object', additionalProperties: false, properties: {} },
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    createClient: async () => ({}),
    probe: async () => undefined,
    ...definition,
  });
}

/**
 * The real gateway (PGlite store, dev IdP) in front of one connector written
 * by a test — a descriptor with no upstream behind it whose answers the test
 * scripts — so the pipeline's steps after the upstream call can be driven
 * into branches the sandboxes cannot show on demand.
 */
export async function startScriptedGateway(options: {
  connector: ConnectorDescriptor<any>;
  /** Access seed granting the one-stop client the scripted operations. */
  seedFile: string;
  logLevel?: 'info' | 'warn';
  captureLogs?: boolean;
  /** Extra top-level config sections (e.g. `health`). */
  config?: Record<string, unknown>;
}): Promise<ScriptedGateway> {
  const logs: string[] = [];
  const level = options.logLevel ?? 'warn';
  const destination = new Writable({
    write: (chunk, _encoding, callback) => {
      if (options.captureLogs) logs.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level, destination });
  const idp: DevIdp = await startDevIdp({ realmExportPath: fromProjectRoot('config/keycloak/lgsp-realm.json'), logger });
  const { connector } = options;
  const config = loadConfig({
    schema: composeConfigSchema([connector]),
    document: {
      mode: 'embedded',
      server: { host: '127.0.0.1', port: 0, opsPort: 0, shutdownGraceMs: 1000 },
      log: { level },
      store: { driver: 'pglite' },
      auth: { issuer: idp.issuer, audience: 'lgsp-gateway' },
      access: { seedFile: options.seedFile },
      audit: { subjectHashKey: 'scripted-test-key-0123456789abcdef0123456' },
      connectors: { [connector.id]: { baseUrl: 'http://127.0.0.1:1', credentials: {} } },
      ...options.config,
    },
  });
  const gateway = await startGateway({ config, connectors: [connector], logger });
  const token = (await requestClientCredentialsToken(idp.tokenUrl, oneStopClient)).access_token;
  return {
    gateway,
    token,
    logs,
    async close() {
      await gateway.close();
      await idp.close();
    },
  };
}
