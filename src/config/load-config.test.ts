import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeConfigSchema } from './compose-config-schema.js';
import { ConfigError, loadConfig, readConfigDocument } from './load-config.js';
import { assertProductionReady } from './production-guard.js';
import { fromProjectRoot } from '../paths.js';
import { clientCredentialsLgspCredentialSchema } from '../connector-kit/upstream-auth/client-credentials-lgsp.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import { connectorDescriptors } from '../../connectors/registry.js';
import { embeddedLayers } from '../../simulators/embedded/dev-defaults.js';

const fakeConnector = {
  id: 'population',
  title: 'Population',
  upstream: 'test upstream',
  protocol: 'soap',
  authScheme: 'oauth2-client-credentials+lgspaccesstoken',
  credentialSchema: clientCredentialsLgspCredentialSchema,
  settingsSchema: { type: 'object', additionalProperties: false, properties: { integrationCode: { type: 'string' } } },
  resilience: { timeoutMs: 1000, breaker: { errorThresholdPercentage: 50, volumeThreshold: 5, rollingWindowMs: 10000, resetTimeoutMs: 1000 } },
  operations: [],
  createClient: async () => ({}),
  probe: async () => undefined,
} as ConnectorDescriptor;

// The fake stands in for population; the shipped connectors' sections come from embedded mode's
// development defaults (their sandbox modules' devConfig), layered under default.yaml as `npm start` does.
const schema = composeConfigSchema([fakeConnector, ...connectorDescriptors.filter((connector) => connector.id !== fakeConnector.id)]);
const defaults = readConfigDocument(fromProjectRoot('config/default.yaml'));
let devDefaults: Awaited<ReturnType<typeof embeddedLayers>>['defaults'];

beforeAll(async () => {
  ({ defaults: devDefaults } = await embeddedLayers({ document: defaults, env: {}, connectors: connectorDescriptors }));
});

/** default.yaml made production-ready, but for what a test puts in. */
function productionDocument(): Record<string, unknown> {
  const { devIdp: _devIdp, sandboxes: _sandboxes, ...rest } = defaults;
  return {
    ...rest,
    mode: 'production',
    store: { driver: 'pg', url: 'postgres://db/lgsp' },
    audit: { subjectHashKey: 'k'.repeat(40), checkpoints: { signingKey: 'pem' } },
    cache: { enabled: true },
    vault: { masterKeys: [{ id: 'k2026', file: '/run/secrets/k2026' }], activeKeyId: 'k2026' },
    console: { clientSecret: { fromEnv: 'LGSP_CONSOLE_CLIENT_SECRET' }, sessionSecret: { fromFile: '/run/secrets/console-session' } },
  };
}

function load(document: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({ schema, document, env, ...(document.mode === 'embedded' && { defaults: devDefaults }) });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('loads the shipped embedded defaults, fills defaults and freezes the result', () => {
    const config = load(defaults);
    expect(config.mode).toBe('embedded');
    expect(config.server.port).toBe(8080);
    expect(config.auth.clockToleranceSeconds).toBe(5);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.connectors.population!.credentials)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names an unknown key and why it is refused', () => {
    const message = errorOf(() => load({ ...defaults, server: { host: '127.0.0.1', port: 8080, prot: 1 } }));
    expect(message).toContain('server.prot: unknown key');
  });

  it("accepts per-operation resilience only under the connector's own operation ids, and names an unknown one", () => {
    const shipped = composeConfigSchema(connectorDescriptors);
    const withOperations = (operations: Record<string, unknown>) => () =>
      loadConfig({ schema: shipped, document: defaults, defaults: devDefaults, overrides: { connectors: { population: { resilience: { operations } } } } });
    expect(withOperations({ 'population.citizen.get': { timeoutMs: 1500 } })().connectors.population!.resilience?.operations).toEqual({ 'population.citizen.get': { timeoutMs: 1500 } });
    const message = errorOf(withOperations({ 'population.citizen.delete': { timeoutMs: 1500 } }));
    expect(message).toContain('connectors.population.resilience.operations.population.citizen.delete: unknown key');
  });

  it('names a key with a bad value', () => {
    const message = errorOf(() => load({ ...defaults, server: { host: '127.0.0.1', port: 70000 } }));
    expect(message).toContain('server.port: must be <= 65535');
  });

  it('names a missing required secret', () => {
    const message = errorOf(() => load({ ...defaults, audit: {} }));
    expect(message).toContain('audit.subjectHashKey: is required');
  });

  it('applies environment overrides, coerced to the schema types, into nested and hyphen-free keys', () => {
    const config = load(defaults, {
      LGSP__SERVER__PORT: '9091',
      LGSP__AUDIT__SUBJECT_HASH_KEY: 'k'.repeat(40),
      LGSP__CONNECTORS__POPULATION__CREDENTIALS__CLIENT_SECRET: 'from-env',
      LGSP__AUTH__ALGORITHMS: '["RS256","ES256"]',
      UNRELATED: 'ignored',
    });
    expect(config.server.port).toBe(9091);
    expect(config.audit.subjectHashKey).toBe('k'.repeat(40));
    expect(config.connectors.population!.credentials.clientSecret).toBe('from-env');
    // Key by key: the other development credentials stay.
    expect(config.connectors.population!.credentials.clientId).toBe('lgsp-dev-province');
    expect(config.auth.algorithms).toEqual(['RS256', 'ES256']);
  });

  it('refuses an environment variable that matches no key', () => {
    expect(errorOf(() => load(defaults, { LGSP__SERVER__PROT: '1' }))).toContain('LGSP__SERVER__PROT');
  });

  it('store.migrateOnStart: absent by default (the store migrates at start), false from the file or the environment', () => {
    expect((load(productionDocument()).store as { migrateOnStart?: boolean }).migrateOnStart).toBeUndefined();
    const fromEnv = load(productionDocument(), { LGSP__STORE__MIGRATE_ON_START: 'false' });
    expect(fromEnv.store).toMatchObject({ driver: 'pg', migrateOnStart: false });
    expect(errorOf(() => load({ ...productionDocument(), store: { driver: 'pg', url: 'postgres://db/lgsp', migrateOnStart: 'sometimes' } }))).toContain('store.migrateOnStart: must be boolean');
  });

  it('production mode requires PostgreSQL', () => {
    const message = errorOf(() => load({ ...defaults, mode: 'production' }));
    expect(message).toContain('store.driver');
  });

  it('production mode refuses the development secrets of default.yaml and of the sandboxes, even when copied into its file', () => {
    const { devIdp: _devIdp, sandboxes: _sandboxes, ...rest } = defaults;
    // Production never gets the embedded defaults: its connector sections are only what its file says.
    expect(load({ ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' } }).connectors).toEqual({});
    const config = load({ ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' }, connectors: devDefaults.connectors });
    expect(() => assertProductionReady(config)).toThrow(/audit\.subjectHashKey[\s\S]*connectors\.population\.credentials\.clientSecret/);
  });

  it('production mode refuses a connector secret written in the configuration file, and accepts it as a reference or from the loader\'s environment', () => {
    const production = productionDocument();
    const portal = { baseUrl: 'https://dvc.example.gov.vn/adapter', settings: { unitCode: '000.00.00.H22' }, credentials: { username: 'h22', dstcode: 'DVCQG', password: 'written-in-the-file' } };
    const inFile = { ...production, connectors: { 'public-service-portal': portal } };
    expect(errorOf(() => assertProductionReady(load(inFile), { fileDocument: inFile, connectors: connectorDescriptors }))).toContain(
      'connectors.public-service-portal.credentials.password (a secret in the configuration file',
    );

    const asReference = { ...production, connectors: { 'public-service-portal': { ...portal, credentials: { ...portal.credentials, password: { fromFile: '/run/secrets/portal-password' } } } } };
    expect(() => assertProductionReady(load(asReference), { fileDocument: asReference, connectors: connectorDescriptors })).not.toThrow();

    const { password: _password, ...withoutPassword } = portal.credentials;
    const fileWithout = { ...production, connectors: { 'public-service-portal': { ...portal, credentials: withoutPassword } } };
    const fromEnvironment = load(fileWithout, { LGSP__CONNECTORS__PUBLIC_SERVICE_PORTAL__CREDENTIALS__PASSWORD: 'from-the-environment' });
    expect(() => assertProductionReady(fromEnvironment, { fileDocument: fileWithout, connectors: connectorDescriptors })).not.toThrow();
  });

  it('production mode refuses alert receiver secrets and the SMTP password written in the file, and accepts references', () => {
    const production = productionDocument();
    const alerting = (secret: unknown, password: unknown) => ({
      smtp: { host: 'mail.example.gov.vn', from: 'lgsp@example.gov.vn', user: 'lgsp', password },
      receivers: [{ id: 'on-call', kind: 'telegram', settings: { chatId: '-100123' }, secrets: { botToken: secret } }],
    });
    const inFile = { ...production, alerting: alerting('123:written-in-the-file', 'smtp-in-the-file') };
    const message = errorOf(() => assertProductionReady(load(inFile), { fileDocument: inFile, connectors: connectorDescriptors }));
    expect(message).toContain('alerting.receivers.on-call.secrets.botToken (a secret in the configuration file');
    expect(message).toContain('alerting.smtp.password (a secret in the configuration file');
    expect(message).not.toContain('written-in-the-file');
    const asReferences = { ...production, alerting: alerting({ fromEnv: 'LGSP_TELEGRAM_TOKEN' }, { fromFile: '/run/secrets/smtp' }) };
    expect(() => assertProductionReady(load(asReferences), { fileDocument: asReferences, connectors: connectorDescriptors })).not.toThrow();
  });

  it('production mode refuses the payment notices\' secret written in the file, and accepts it as a reference or from the loader\'s environment', () => {
    const production = productionDocument();
    const payments = (secret?: unknown) => ({ notifications: { url: 'https://motcua.example.gov.vn/hooks/payments', ...(secret !== undefined && { secret }) } });
    const inFile = { ...production, payments: payments('hmac-written-in-the-file') };
    const message = errorOf(() => assertProductionReady(load(inFile), { fileDocument: inFile, connectors: connectorDescriptors }));
    expect(message).toContain('payments.notifications.secret (a secret in the configuration file');
    expect(message).not.toContain('hmac-written-in-the-file');
    for (const reference of [{ fromEnv: 'LGSP_PAYMENT_NOTICE_SECRET' }, { fromFile: '/run/secrets/payment-notice-secret' }]) {
      const asReference = { ...production, payments: payments(reference) };
      expect(() => assertProductionReady(load(asReference), { fileDocument: asReference, connectors: connectorDescriptors })).not.toThrow();
    }
    const fileWithout = { ...production, payments: payments() };
    const fromEnvironment = load(fileWithout, { LGSP__PAYMENTS__NOTIFICATIONS__SECRET: 'from-the-environment' });
    expect(fromEnvironment.payments.notifications.secret).toBe('from-the-environment');
    expect(() => assertProductionReady(fromEnvironment, { fileDocument: fileWithout, connectors: connectorDescriptors })).not.toThrow();
  });

  it('production mode refuses the console secrets written in the file or left at the realm export\'s published values, and accepts references', () => {
    const production = productionDocument();
    const inFile = { ...production, console: { clientSecret: 'client-secret-in-the-file', sessionSecret: 's'.repeat(40) } };
    const message = errorOf(() => assertProductionReady(load(inFile), { fileDocument: inFile, connectors: connectorDescriptors }));
    expect(message).toContain('console.clientSecret (a secret in the configuration file');
    expect(message).toContain('console.sessionSecret (a secret in the configuration file');
    expect(message).not.toContain('client-secret-in-the-file');
    // The realm export's dev secret and default.yaml's session secret, even arriving through the environment.
    const fileWithout = { ...production, console: { enabled: true } };
    const published = load(fileWithout, { LGSP__CONSOLE__CLIENT_SECRET: 'lgsp-console-dev-secret', LGSP__CONSOLE__SESSION_SECRET: 'dev-only-console-session-secret-change-me-in-production' });
    expect(errorOf(() => assertProductionReady(published, { fileDocument: fileWithout, connectors: connectorDescriptors }))).toMatch(/console\.clientSecret\n[\s\S]*console\.sessionSecret/);
    expect(() => assertProductionReady(load(production), { fileDocument: production, connectors: connectorDescriptors })).not.toThrow();
    // A deployment without the console needs neither.
    const withoutConsole = { ...production, console: { enabled: false } };
    expect(() => assertProductionReady(load(withoutConsole), { fileDocument: withoutConsole, connectors: connectorDescriptors })).not.toThrow();
  });

  it('the production example validates against the schema and is production-ready once its environment is set (its alerting and payments sections included)', () => {
    const example = readConfigDocument(fromProjectRoot('config/production.example.yaml'));
    // The secrets the example leaves to the environment, as a deployment sets them.
    const env = {
      LGSP__AUDIT__SUBJECT_HASH_KEY: 'k'.repeat(40),
      LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      LGSP__CACHE__KEY_HASH_KEY: 'h'.repeat(40),
      LGSP__CACHE__ENTRY_ENCRYPTION_KEY: 'e'.repeat(40),
      LGSP__CONNECTORS__POPULATION__CREDENTIALS__CLIENT_SECRET: 'from-env',
      LGSP__CONNECTORS__POPULATION__CREDENTIALS__SECRET_KEY: 'from-env',
      LGSP__CONNECTORS__PUBLIC_SERVICE_PORTAL__CREDENTIALS__PASSWORD: 'from-env',
    };
    const config = loadConfig({ schema: composeConfigSchema(connectorDescriptors), document: example, env });
    expect(config.alerting.receivers.map((receiver) => receiver.id)).toEqual(['on-call-mail', 'on-call-telegram']);
    expect(config.alerting.smtp).toMatchObject({ host: 'mail.example.gov.vn', port: 587, requireTLS: true, password: { fromEnv: 'LGSP_SMTP_PASSWORD' } });
    // Its payments section: notices signed with a key from a mounted file, reconciliation as the design says.
    expect(config.payments.notifications).toMatchObject({ url: 'https://motcua.example.gov.vn/api/lgsp/payment-notices', secret: { fromFile: '/run/secrets/lgsp-payment-notice-key' }, portalProgress: true });
    expect(config.payments.reconciliation).toMatchObject({ enabled: true, minAgeMs: 1_800_000, maxAgeMs: 259_200_000 });
    expect(() => assertProductionReady(config, { fileDocument: example, connectors: connectorDescriptors })).not.toThrow();
  });

  it('reads YAML files and reports a missing one clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-config-'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, 'mode: embedded\nserver: { host: 127.0.0.1, port: 1 }\n');
    expect(readConfigDocument(file)).toEqual({ mode: 'embedded', server: { host: '127.0.0.1', port: 1 } });
    expect(errorOf(() => readConfigDocument(join(dir, 'missing.yaml')))).toContain('cannot read config file');
  });
});
