import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fromProjectRoot } from '../../src/paths.js';
import { fencedBlocks } from './shell-blocks.js';

/**
 * The deployment docs/operations.md describes, as data for the tests that
 * follow it: its Helm values file (the `yaml` block that starts with
 * `# lgsp-values.yaml`), the gateway configuration the chart renders from
 * it, and the environment a gateway pod gets from the Secret of §4.
 */

export const operationsDocPath = 'docs/operations.md';

export function operationsDoc(): string {
  return readFileSync(fromProjectRoot(operationsDocPath), 'utf8');
}

export interface DocValues {
  replicaCount?: number;
  autoscaling?: { enabled?: boolean; maxReplicas?: number };
  secrets: { existingSecret: string; extraEnv?: Array<{ env: string; key: string }>; files?: Array<{ key: string; path?: string }> };
  config: Record<string, any>;
  [key: string]: unknown;
}

/** The values file of §5, parsed. */
export function docValues(): DocValues {
  const block = fencedBlocks(operationsDoc()).find((candidate) => candidate.language === 'yaml' && candidate.lines[0]?.trim() === '# lgsp-values.yaml');
  if (!block) throw new Error(`${operationsDocPath}: no yaml block starting with "# lgsp-values.yaml" (the values file of "Install")`);
  return parseYaml(block.lines.join('\n')) as DocValues;
}

/**
 * The configuration file the chart mounts (helm/lgsp-gateway, template
 * "lgsp-gateway.config"): `config` plus what the chart owns — both listeners
 * on 0.0.0.0, and redis.replicas = the replica count unless given. (The
 * chart also sets store.migrateOnStart: false for its migration Job; that
 * key comes with the container work of issue 17 and is left out here.)
 */
export function chartGatewayConfig(values: DocValues): Record<string, any> {
  const config = structuredClone(values.config);
  config.server = { ...(config.server ?? {}), host: '0.0.0.0', opsHost: '0.0.0.0' };
  if (config.redis && config.redis.replicas === undefined) {
    config.redis.replicas = values.autoscaling?.enabled ? values.autoscaling.maxReplicas : (values.replicaCount ?? 3);
  }
  return config;
}

/**
 * The chart's `secrets.keys` defaults: Secret key → environment variable, each
 * mapped only when the configuration uses that part (template
 * "lgsp-gateway.secretEnv").
 */
export function chartSecretKeys(config: Record<string, any>): Record<string, string> {
  return {
    'store-url': 'LGSP__STORE__URL',
    'audit-subject-hash-key': 'LGSP__AUDIT__SUBJECT_HASH_KEY',
    'audit-checkpoint-signing-key': 'LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY',
    'vault-master-keys': 'LGSP__VAULT__MASTER_KEYS',
    ...(config.redis ? { 'redis-url': 'LGSP__REDIS__URL', 'cache-key-hash-key': 'LGSP__CACHE__KEY_HASH_KEY', 'cache-entry-encryption-key': 'LGSP__CACHE__ENTRY_ENCRYPTION_KEY' } : {}),
    ...(config.console?.enabled ? { 'console-client-secret': 'LGSP__CONSOLE__CLIENT_SECRET', 'console-session-secret': 'LGSP__CONSOLE__SESSION_SECRET' } : {}),
    ...(config.alerting?.smtp ? { 'smtp-password': 'LGSP__ALERTING__SMTP__PASSWORD' } : {}),
  };
}

/** The pod's environment from the Secret's data (key → value): the mapped keys and secrets.extraEnv. A key the pod needs but the Secret lacks is an error, as it is for the kubelet. */
export function podSecretEnvironment(values: DocValues, secret: Readonly<Record<string, string>>): Record<string, string> {
  const mapping: Array<[string, string]> = [...Object.entries(chartSecretKeys(values.config)), ...(values.secrets.extraEnv ?? []).map(({ env, key }): [string, string] => [key, env])];
  const missing = mapping.filter(([key]) => secret[key] === undefined).map(([key]) => key);
  if (missing.length > 0) throw new Error(`the Secret lacks key(s) the pods read: ${missing.join(', ')}`);
  return Object.fromEntries(mapping.map(([key, env]) => [env, secret[key]!]));
}
