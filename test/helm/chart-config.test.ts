import { connectorDescriptors } from '../../connectors/registry.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import type { JsonSchema } from '../../src/contracts/json-schema.js';
import { configDocument, containerEnvironment, find, gatewayContainer, loadAsTheGatewayDoes, productionExample, render, requiredValues, testSecretData } from './chart-support.js';

/**
 * The chart produces a configuration the gateway accepts: the rendered ConfigMap's file plus the
 * environment the Deployment (and the migration Job) maps from the Secret — filled from a test Secret —
 * go through the gateway's own loader (src/config/load-config.ts, the composed schema of every
 * registered connector) and its production guard, as src/main.ts runs them at start.
 */
type Doc = Record<string, any>;

const secretName = requiredValues.secrets.existingSecret;
const example = productionExample();
const withPaymentPlatform = {
  config: { connectors: { paygov: { baseUrl: 'https://paygov.example.gov.vn/api', credentials: { partnerCode: 'LGSP-PROVINCE' } } } },
  secrets: { extraEnv: [...(example.secrets as Doc).extraEnv, { env: 'LGSP__CONNECTORS__PAYGOV__CREDENTIALS__SECRET_KEY', key: 'paygov-secret-key' }] },
};
const vaultFiles = { secrets: { keys: { vaultMasterKeys: '' }, files: [{ key: 'vault-k2026-01' }] }, config: { vault: { masterKeys: [{ id: 'k2026-01', file: '/run/secrets/lgsp/vault-k2026-01' }] } } };

const cases: Array<[string, Array<Record<string, unknown>>]> = [
  ['the required values', [requiredValues]],
  ['the production example', [example]],
  ['the production example with the payment platform', [example, withPaymentPlatform]],
  ['migrations by the pods', [requiredValues, { migrations: { enabled: false } }]],
  ['without redis', [requiredValues, { config: { redis: null } }]],
  ['vault master keys as mounted files', [requiredValues, vaultFiles]],
  ['other ports and graces, autoscaling, a fingerprint key', [requiredValues, { config: { server: { port: 9090, opsPort: 9400, shutdownGraceMs: 31000 }, outbox: { shutdownGraceMs: 4500 } }, autoscaling: { enabled: true, maxReplicas: 9 }, secrets: { keys: { vaultFingerprintKey: 'vault-fingerprint-key' } } }]],
];

/** Paths of settings marked x-secret in the gateway's schema that `document` holds as plain values (not { fromEnv } / { fromFile }). */
function plainSecrets(document: unknown, schema: JsonSchema | undefined, path = ''): string[] {
  if (!schema || document === null || typeof document !== 'object') return schema?.['x-secret'] === true && typeof document === 'string' ? [path] : [];
  if (schema['x-secret'] === true && typeof document === 'string') return [path];
  const branches = [schema, ...((schema.oneOf ?? []) as JsonSchema[]), ...((schema.anyOf ?? []) as JsonSchema[])];
  if (Array.isArray(document)) {
    const items = branches.map((branch) => branch.items as JsonSchema | undefined).find(Boolean);
    return document.flatMap((item, index) => plainSecrets(item, items, `${path}[${index}]`));
  }
  return Object.entries(document as Doc).flatMap(([key, value]) => {
    const child =
      branches.map((branch) => (branch.properties as Record<string, JsonSchema> | undefined)?.[key]).find(Boolean) ??
      branches.map((branch) => (typeof branch.additionalProperties === 'object' ? (branch.additionalProperties as JsonSchema) : undefined)).find(Boolean);
    return plainSecrets(value, child, path ? `${path}.${key}` : key);
  });
}

describe.each(cases)('the chart rendered with %s', (_name, values) => {
  const chart = render(values);
  const secret = testSecretData();
  const container = gatewayContainer(chart);
  const document = configDocument(chart);
  const env = containerEnvironment(container, secretName, secret);
  // Loading compiles the whole configuration schema: once per case.
  let loaded: ReturnType<typeof loadAsTheGatewayDoes> | undefined;
  const load = () => (loaded ??= loadAsTheGatewayDoes(document, env));

  it('gives the pods a configuration and an environment the gateway loads and its production guard accepts', () => {
    const config = load();
    expect(config.mode).toBe('production');
    expect(config.store).toMatchObject({ driver: 'pg', url: secret['store-url'] });
    expect(config.audit.subjectHashKey).toBe(secret['audit-subject-hash-key']);
    expect(config.audit.checkpoints.signingKey).toBe(secret['audit-checkpoint-signing-key']);
    expect(config.vault?.activeKeyId).toBe('k2026-01');
    expect(config.server).toMatchObject({ host: '0.0.0.0', opsHost: '0.0.0.0' });
    const ports = Object.fromEntries((container.ports as Doc[]).map((port) => [port.name, port.containerPort]));
    expect(ports).toEqual({ http: config.server.port, ops: config.server.opsPort });
    if (config.redis) {
      expect(config.redis.url).toBe(secret['redis-url']);
      expect(config.cache).toMatchObject({ keyHashKey: secret['cache-key-hash-key'], entryEncryptionKey: secret['cache-entry-encryption-key'] });
      const deployment = find(chart, 'Deployment');
      expect(config.redis.replicas).toBe(deployment.spec.replicas ?? find(chart, 'HorizontalPodAutoscaler').spec.maxReplicas);
    }
    if (config.console.enabled) expect([config.console.clientSecret, config.console.sessionSecret]).toEqual([secret['console-client-secret'], secret['console-session-secret']]);
    if (config.alerting.smtp) expect(config.alerting.smtp.password).toBe(secret['smtp-password']);
  });

  it('keeps every secret setting out of the ConfigMap (none is a plain value in the file)', () => {
    expect(plainSecrets(document, composeConfigSchema(connectorDescriptors))).toEqual([]);
    for (const value of Object.values(secret)) expect(JSON.stringify(document)).not.toContain(value);
  });

  it('waits for the drains the loaded configuration asks for before killing a pod', () => {
    const config = load();
    const termination = (chart.values.termination ?? {}) as { preStopSleepSeconds: number; marginSeconds: number };
    const expected = termination.preStopSleepSeconds + Math.ceil(config.server.shutdownGraceMs / 1000) + Math.ceil(config.outbox.shutdownGraceMs / 1000) + (config.audit.checkpoints.tsaUrl ? Math.ceil(config.audit.checkpoints.tsaTimeoutMs / 1000) : 0) + termination.marginSeconds;
    expect(find(chart, 'Deployment').spec.template.spec.terminationGracePeriodSeconds).toBe(expected);
  });

  it('gives the migration Job (when there is one) what the gateway needs to load the same configuration', () => {
    const jobs = chart.manifests.filter((m) => m.document.kind === 'Job');
    const migrateOnStart = (load().store as { migrateOnStart?: boolean }).migrateOnStart;
    if (jobs.length === 0) {
      expect(migrateOnStart).toBeUndefined();
      return;
    }
    expect(migrateOnStart).toBe(false);
    const job = jobs[0]!.document as Doc;
    const jobConfig = loadAsTheGatewayDoes(configDocument(chart, '-migrations'), containerEnvironment(job.spec.template.spec.containers[0], secretName, secret));
    expect(jobConfig.store).toEqual(load().store);
  });
});

describe('the acceptance check can fail', () => {
  const secret = testSecretData();

  it('a secret written into the configuration is found', () => {
    const document = { audit: { subjectHashKey: 'x'.repeat(40) }, connectors: { population: { credentials: { clientId: 'c', clientSecret: 'plain', secretKey: { fromEnv: 'X' } } } }, alerting: { smtp: { password: 'pw' } } };
    expect(plainSecrets(document, composeConfigSchema(connectorDescriptors)).sort()).toEqual(['alerting.smtp.password', 'audit.subjectHashKey', 'connectors.population.credentials.clientSecret']);
  });

  it('a secret setting left unmapped: the gateway refuses to start', () => {
    const chart = render([requiredValues, { secrets: { keys: { auditCheckpointSigningKey: '' } } }]);
    expect(() => loadAsTheGatewayDoes(configDocument(chart), containerEnvironment(gatewayContainer(chart), secretName, secret))).toThrow(/audit\.checkpoints\.signingKey/);
  });

  it('a variable named after no setting: the loader refuses it', () => {
    const chart = render([requiredValues, { secrets: { extraEnv: [{ env: 'LGSP__AUDIT__SUBJECT_HASH', key: 'audit-subject-hash-key' }] } }]);
    expect(() => loadAsTheGatewayDoes(configDocument(chart), containerEnvironment(gatewayContainer(chart), secretName, secret))).toThrow(/no config key matches 'subjecthash'/);
  });

  it('a connector secret the Secret does not provide: the gateway refuses to start', () => {
    const chart = render([requiredValues, { config: { connectors: { paygov: withPaymentPlatform.config.connectors.paygov } } }]);
    expect(() => loadAsTheGatewayDoes(configDocument(chart), containerEnvironment(gatewayContainer(chart), secretName, secret))).toThrow(/secretKey/);
  });
});
