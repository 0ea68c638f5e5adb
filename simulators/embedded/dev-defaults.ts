import type { Grant } from '../../contracts/types.generated.js';
import type { AccessSeed } from '../../src/access/access-seed.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { ConfigError, loadConfig, mergeConfigLayers, type LoadConfigOptions } from '../../src/config/load-config.js';
import type { ConnectorDescriptor } from '../../src/connector-kit/index.js';
import { httpOrigin } from '../../src/util/http-url.js';

/**
 * Embedded mode's development defaults, derived from the connector registry,
 * so that a new connector is its folder plus one line in connectors/registry.ts:
 * no section in config/default.yaml, no grant in config/access-seed.yaml.
 * Production never reaches this module (src/main.ts imports the embedded
 * launcher only in embedded mode).
 */

export interface EmbeddedLayers {
  /** Goes under the document (loadConfig's `defaults`): a `connectors.<id>` section per sandboxed connector. */
  defaults: { connectors: Record<string, Record<string, unknown>> };
  /** The connectors whose upstream is their sandbox here (their baseUrl is the running sandbox's). */
  sandboxed: ReadonlySet<string>;
}

type ConfigLayers = Pick<LoadConfigOptions, 'document' | 'env' | 'overrides'>;

/**
 * For every connector that declares a sandbox: its sandbox module's dev config
 * (credentials, settings, resilience), with the address the sandbox will
 * listen on as a stand-in baseUrl until it does. The document, environment
 * and overrides win key by key, so a developer can change one setting or one
 * credential. A connector whose baseUrl they set is pointed at a real upstream:
 * it gets no defaults at all (its section is as explicit as in production, so
 * no development credential is sent there by accident) and no sandbox. So
 * does one marked `sandbox: false`, whose section must then name its
 * upstream (a province trying its test credentials against the national
 * platform's test environment while everything else stays local).
 */
export async function embeddedLayers(options: ConfigLayers & { connectors: ReadonlyArray<ConnectorDescriptor<any>> }): Promise<EmbeddedLayers> {
  const merged = mergeConfigLayers({ ...options, schema: composeConfigSchema(options.connectors) });
  // Checked before any sandbox module is loaded: production never gets these defaults.
  if (merged.mode !== 'embedded') throw new Error('embedded development defaults need mode: embedded');
  const configured = (merged.connectors ?? {}) as Record<string, { baseUrl?: unknown; sandbox?: unknown } | undefined>;
  const sandboxes = (merged.sandboxes ?? {}) as { host?: string; ports?: Record<string, number> };
  const host = sandboxes.host ?? '127.0.0.1';
  const defaults: EmbeddedLayers['defaults'] = { connectors: {} };
  const sandboxed = new Set<string>();
  for (const connector of options.connectors) {
    const section = configured[connector.id];
    // `false` from the file, 'false' from the environment (the schema coerces it only later).
    const sandboxRefused = section?.sandbox === false || section?.sandbox === 'false';
    if (sandboxRefused && section?.baseUrl === undefined) {
      throw new ConfigError(
        `invalid configuration:\n  - connectors.${connector.id}.baseUrl: is required with connectors.${connector.id}.sandbox: false (embedded mode then starts no sandbox for ${connector.id} and uses its section as written: baseUrl, credentials, settings)`,
      );
    }
    if (!connector.sandbox || sandboxRefused || section?.baseUrl !== undefined) continue;
    const { devConfig } = await connector.sandbox.load();
    const port = sandboxes.ports?.[connector.id] ?? connector.sandbox.port;
    defaults.connectors[connector.id] = structuredClone({ baseUrl: httpOrigin(host, port), ...devConfig });
    sandboxed.add(connector.id);
  }
  return { defaults, sandboxed };
}

/** The configuration embedded mode runs with, validated: the dev defaults under the document, environment and overrides. */
export async function loadEmbeddedConfig(options: ConfigLayers & { connectors: ReadonlyArray<ConnectorDescriptor<any>> }): Promise<GatewayConfig> {
  const { defaults } = await embeddedLayers(options);
  return loadConfig({ ...options, schema: composeConfigSchema(options.connectors), defaults });
}

/** The consumer of config/access-seed.yaml and of the realm export's `one-stop` client. */
export const devConsumerId = 'one-stop';
const devQuota = { limit: 3000, windowSeconds: 60 };

/**
 * The dev consumer may call every operation: all fields, personal-data
 * operations for dossier processing, the others with no purpose (purposes
 * apply to personal data only, src/access/grant-rules.ts). Added after the
 * seed file and only where the store has no grant yet, so a grant written
 * there (population.citizen.verify also for identity verification) or
 * changed by an administrator wins; operations not mounted are skipped.
 */
export function devGrants(connectors: ReadonlyArray<ConnectorDescriptor<any>>): AccessSeed {
  return {
    grants: connectors.flatMap((connector) =>
      connector.operations.map(
        (operation): Grant => ({
          consumerId: devConsumerId,
          operation: operation.id,
          ...(operation.personalData && { purposes: ['DOSSIER-PROCESSING'] }),
          fields: ['*'],
          quota: { ...devQuota },
        }),
      ),
    ),
  };
}
