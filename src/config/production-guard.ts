import type { GatewayConfig } from './gateway-config.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import { isCredentialReference } from '../connector-runtime/config-credentials.js';
import { secretFieldsOf } from '../connector-runtime/credential-schema.js';
import { ConfigError } from './load-config.js';

/** Values in config/default.yaml that must never protect real data. */
const devOnlyMarker = 'dev-only';

/**
 * Production refuses the development defaults: a gateway that hashes real
 * subject ids with a key published in its own repository protects nothing.
 */
export function assertProductionReady(config: GatewayConfig, options: { fileDocument?: Record<string, unknown>; connectors?: ReadonlyArray<ConnectorDescriptor<any>> } = {}): void {
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
  // A secret written in the file travels with every copy of it (git, backups, tickets): production takes it from the vault, an environment variable or a mounted file.
  offending.push(
    ...plainSecretsInFile(options.fileDocument, options.connectors ?? []),
    ...plainAlertingSecretsInFile(options.fileDocument),
    ...plainPaymentSecretsInFile(options.fileDocument),
    ...plainConsoleSecretsInFile(options.fileDocument),
  );
  offending.push(...developmentConsoleSecrets(config));
  if (config.devIdp || config.sandboxes) {
    // Harmless but misleading: say so rather than silently ignoring them.
    offending.push(...(config.devIdp ? ['devIdp (not used in production: remove it)'] : []), ...(config.sandboxes ? ['sandboxes (not used in production: remove it)'] : []));
  }
  if (offending.length > 0) {
    throw new ConfigError(`production mode refuses development settings:\n${offending.map((key) => `  - ${key}`).join('\n')}\nSet real values through the environment (e.g. LGSP__AUDIT__SUBJECT_HASH_KEY).`);
  }
}

/** `connectors.<id>.credentials.<secret field>` written as a value (not a { fromEnv } / { fromFile } reference) in the configuration file itself. */
function plainSecretsInFile(fileDocument: Record<string, unknown> | undefined, connectors: ReadonlyArray<ConnectorDescriptor<any>>): string[] {
  const sections = (fileDocument?.connectors ?? {}) as Record<string, { credentials?: Record<string, unknown> } | undefined>;
  return connectors.flatMap((connector) => {
    const credentials = sections[connector.id]?.credentials ?? {};
    return secretFieldsOf(connector.credentialSchema)
      .filter((field) => credentials[field] !== undefined && !isCredentialReference(credentials[field]))
      .map((field) => `connectors.${connector.id}.credentials.${field} (a secret in the configuration file: use the vault, { fromEnv: NAME } or { fromFile: /path })`);
  });
}

/** Alert receivers' secrets and the SMTP password written as values in the configuration file (the same rule as connector credentials). */
function plainAlertingSecretsInFile(fileDocument: Record<string, unknown> | undefined): string[] {
  const alerting = (fileDocument?.alerting ?? {}) as { receivers?: Array<{ id?: unknown; secrets?: Record<string, unknown> }>; smtp?: { password?: unknown } };
  const advice = 'a secret in the configuration file: use { fromEnv: NAME } or { fromFile: /path }';
  const receivers = (Array.isArray(alerting.receivers) ? alerting.receivers : []).flatMap((receiver) =>
    Object.entries(receiver?.secrets ?? {})
      .filter(([, value]) => value !== undefined && !isCredentialReference(value))
      .map(([field]) => `alerting.receivers.${String(receiver.id)}.secrets.${field} (${advice})`),
  );
  const password = alerting.smtp?.password;
  return [...receivers, ...(password !== undefined && !isCredentialReference(password) ? [`alerting.smtp.password (${advice})`] : [])];
}

/** The payment notices' HMAC key written as a value in the configuration file (the same rule: it signs notices about money). */
function plainPaymentSecretsInFile(fileDocument: Record<string, unknown> | undefined): string[] {
  const secret = ((fileDocument?.payments ?? {}) as { notifications?: { secret?: unknown } }).notifications?.secret;
  if (secret === undefined || isCredentialReference(secret)) return [];
  return ['payments.notifications.secret (a secret in the configuration file: use { fromEnv: NAME } or { fromFile: /path })'];
}

/** The console's client and session secrets written as values in the configuration file. */
function plainConsoleSecretsInFile(fileDocument: Record<string, unknown> | undefined): string[] {
  const section = (fileDocument?.console ?? {}) as { clientSecret?: unknown; sessionSecret?: unknown };
  return (['clientSecret', 'sessionSecret'] as const)
    .filter((key) => section[key] !== undefined && !isCredentialReference(section[key]))
    .map((key) => `console.${key} (a secret in the configuration file: use { fromEnv: NAME } or { fromFile: /path })`);
}

/** The realm export's published console secret and the default session secret (they may also arrive through the environment). */
function developmentConsoleSecrets(config: GatewayConfig): string[] {
  if (!config.console.enabled) return [];
  const published = (value: unknown) => typeof value === 'string' && (value.includes(devOnlyMarker) || value === 'lgsp-console-dev-secret');
  return (['clientSecret', 'sessionSecret'] as const).filter((key) => published(config.console[key])).map((key) => `console.${key}`);
}
