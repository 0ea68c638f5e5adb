import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { connectorDescriptors } from '../../connectors/registry.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { assertProductionReady } from '../../src/config/production-guard.js';
import { chartDir } from '../../scripts/support/helm-chart-generated.js';
import { renderChart, type RenderChartOptions, type RenderedChart } from '../support/helm-template.js';

export { chartDir };

// YAML documents of the chart, read by the tests field by field.
export const readChartYaml = (file: string) => parseYaml(readFileSync(join(chartDir, file), 'utf8')) as Record<string, any>;

/** The three values without a default. */
export const requiredValues = {
  secrets: { existingSecret: 'lgsp-gateway-secrets' },
  config: { auth: { issuer: 'https://sso.example.gov.vn/realms/lgsp' }, vault: { activeKeyId: 'k2026-01' } },
};

export const productionExample = () => readChartYaml('values-production.example.yaml');

export function render(values: ReadonlyArray<Record<string, unknown>>, options: Omit<RenderChartOptions, 'chartDir' | 'values'> = {}): RenderedChart {
  return renderChart({ chartDir, values, releaseName: 'lgsp', namespace: 'lgsp', ...options });
}

type Doc = Record<string, any>;

export function find(chart: RenderedChart, kind: string, nameSuffix = ''): Doc {
  const found = chart.manifests.filter((m) => m.document.kind === kind && String((m.document as Doc).metadata?.name ?? '').endsWith(nameSuffix)).map((m) => m.document as Doc);
  if (found.length !== 1) throw new Error(`expected one ${kind} named …${nameSuffix}, found ${found.length}`);
  return found[0]!;
}

export const kinds = (chart: RenderedChart) => chart.manifests.map((m) => `${String(m.document.kind)}/${String((m.document.metadata as Doc | undefined)?.name)}`).sort();

export const gatewayContainer = (chart: RenderedChart) => find(chart, 'Deployment').spec.template.spec.containers[0] as Doc;

/** The pods' configuration document, as the ConfigMap holds it. */
export function configDocument(chart: RenderedChart, configMapSuffix = '-config'): Record<string, unknown> {
  return parseYaml(find(chart, 'ConfigMap', configMapSuffix).data['config.yaml']) as Record<string, unknown>;
}

/** What a test cluster's Secret would hold, for every key the chart's defaults and the example name. */
export function testSecretData(): Record<string, string> {
  const text = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
  return {
    'store-url': 'postgres://lgsp:db-password@postgres.databases:5432/lgsp',
    'audit-subject-hash-key': text(48),
    'audit-checkpoint-signing-key': generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    'vault-master-keys': JSON.stringify([{ id: 'k2026-01', key: randomBytes(32).toString('base64') }]),
    'vault-fingerprint-key': text(40),
    'redis-url': 'redis://:redis-password@redis.databases:6379/0',
    'cache-key-hash-key': text(40),
    'cache-entry-encryption-key': text(40),
    'console-client-secret': text(32),
    'console-session-secret': text(48),
    'smtp-password': text(20),
    'population-client-secret': text(24),
    'population-secret-key': text(24),
    'public-service-portal-password': text(16),
    'paygov-secret-key': text(32),
    'telegram-bot-token': `123456:${text(30)}`,
    'payment-notice-key': text(64),
  };
}

/**
 * The environment a container gets: plain values as written, secretKeyRef values from `secret`
 * (every reference must name secrets.existingSecret and a key it holds).
 */
export function containerEnvironment(container: Doc, secretName: string, secret: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env as Doc[]) {
    if (variable.valueFrom) {
      const ref = variable.valueFrom.secretKeyRef;
      if (!ref || ref.name !== secretName) throw new Error(`${variable.name}: not a secretKeyRef to ${secretName}: ${JSON.stringify(variable.valueFrom)}`);
      if (!(ref.key in secret)) throw new Error(`${variable.name}: the Secret has no key ${ref.key} (the kubelet would not start the container)`);
      env[variable.name] = secret[ref.key]!;
    } else env[variable.name] = variable.value;
  }
  return env;
}

/**
 * Writes the files the container's Secret volumes mount (each item's key at
 * `<mountPath>/<path>`, or every key without items) under `root`, as the
 * kubelet would: a `{ fromFile: /run/… }` reference then reads `root` + that path.
 */
export function mountSecretFiles(podSpec: Doc, container: Doc, secretName: string, secret: Record<string, string>, root: string): void {
  for (const mount of (container.volumeMounts ?? []) as Doc[]) {
    const volume = ((podSpec.volumes ?? []) as Doc[]).find((candidate) => candidate.name === mount.name);
    if (!volume?.secret) continue;
    if (volume.secret.secretName !== secretName) throw new Error(`volume ${mount.name}: not the Secret ${secretName}: ${JSON.stringify(volume.secret)}`);
    const items = (volume.secret.items ?? Object.keys(secret).map((key) => ({ key, path: key }))) as Array<{ key: string; path: string }>;
    for (const { key, path } of items) {
      if (!(key in secret)) throw new Error(`volume ${mount.name}: the Secret has no key ${key} (the kubelet would not start the pod)`);
      const file = join(root, mount.mountPath, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, secret[key]!);
    }
  }
}

/** The Secret keys a pod spec uses: its containers' secretKeyRefs and its Secret volumes' items. */
export function secretKeysUsed(podSpec: Doc): string[] {
  const fromEnv = ((podSpec.containers ?? []) as Doc[]).flatMap((container) => ((container.env ?? []) as Doc[]).map((variable) => variable.valueFrom?.secretKeyRef?.key as string | undefined));
  const fromVolumes = ((podSpec.volumes ?? []) as Doc[]).flatMap((volume) => ((volume.secret?.items ?? []) as Doc[]).map((item) => item.key as string));
  return [...new Set([...fromEnv, ...fromVolumes].filter((key): key is string => key !== undefined))].sort();
}

/** The gateway's own loader and production guard over the chart's configuration and the container's environment, as src/main.ts runs them. */
export function loadAsTheGatewayDoes(document: Record<string, unknown>, env: Record<string, string>): GatewayConfig {
  const config = loadConfig({ schema: composeConfigSchema(connectorDescriptors), document, env });
  assertProductionReady(config, { fileDocument: document, connectors: connectorDescriptors });
  return config;
}
