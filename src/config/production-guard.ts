import type { GatewayConfig } from './gateway-config.js';
import { ConfigError } from './load-config.js';

/** Values in config/default.yaml that must never protect real data. */
const devOnlyMarker = 'dev-only';

/**
 * Production refuses the development defaults: a gateway that hashes real
 * subject ids with a key published in its own repository protects nothing.
 */
export function assertProductionReady(config: GatewayConfig): void {
  if (config.mode !== 'production') return;
  const offending: string[] = [];
  if (config.audit.subjectHashKey.includes(devOnlyMarker)) offending.push('audit.subjectHashKey');
  // A generated key kept beside the data proves nothing to an auditor: production signs checkpoints with a managed key.
  if (!config.audit.checkpoints.signingKey) offending.push('audit.checkpoints.signingKey (required: set LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY)');
  else if (config.audit.checkpoints.signingKey.includes(devOnlyMarker)) offending.push('audit.checkpoints.signingKey');
  if (config.audit.checkpoints.keyFile) offending.push('audit.checkpoints.keyFile (development only: use signingKey)');
  // Replicas sharing Redis must agree on these, and the shared copy of a personal-data answer is only as safe as they are.
  for (const [key, env] of [['keyHashKey', 'LGSP__CACHE__KEY_HASH_KEY'], ['entryEncryptionKey', 'LGSP__CACHE__ENTRY_ENCRYPTION_KEY']] as const) {
    const value = config.cache[key];
    if (value === undefined) {
      if (config.cache.enabled && config.redis) offending.push(`cache.${key} (required with redis: set ${env})`);
    } else if (value.includes(devOnlyMarker)) offending.push(`cache.${key}`);
  }
  // Connector credentials at rest are only as safe as the master key: the one in config/default.yaml is public.
  if (!config.vault) offending.push('vault (required: set LGSP__VAULT__MASTER_KEYS and LGSP__VAULT__ACTIVE_KEY_ID)');
  else {
    for (const key of config.vault.masterKeys) {
      if (key.id.includes(devOnlyMarker) || key.key?.includes(devOnlyMarker)) offending.push(`vault.masterKeys (${key.id})`);
    }
    if (config.vault.fingerprintKey?.includes(devOnlyMarker)) offending.push('vault.fingerprintKey');
  }
  for (const [id, connector] of Object.entries(config.connectors)) {
    for (const [key, value] of Object.entries(connector.credentials)) {
      if (typeof value === 'string' && value.includes(devOnlyMarker)) offending.push(`connectors.${id}.credentials.${key}`);
    }
  }
  if (config.devIdp || config.sandboxes) {
    // Harmless but misleading: say so rather than silently ignoring them.
    offending.push(...(config.devIdp ? ['devIdp (not used in production: remove it)'] : []), ...(config.sandboxes ? ['sandboxes (not used in production: remove it)'] : []));
  }
  if (offending.length > 0) {
    throw new ConfigError(`production mode refuses development settings:\n${offending.map((key) => `  - ${key}`).join('\n')}\nSet real values through the environment (e.g. LGSP__AUDIT__SUBJECT_HASH_KEY).`);
  }
}
