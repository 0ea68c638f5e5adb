import { startDevIdp, type DevIdp } from '../dev-idp/index.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ConnectorDescriptor, RunningSandbox } from '../../src/connector-kit/index.js';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../../src/gateway.js';
import type { Logger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { resolveConfigCredentials } from '../../src/connector-runtime/config-credentials.js';
import { devGrants, embeddedLayers } from './dev-defaults.js';
import { catalogsDescriptor } from '../../src/catalogs/catalogs-descriptor.js';

export { loadEmbeddedConfig } from './dev-defaults.js';

export interface EmbeddedStack {
  config: GatewayConfig;
  gateway: RunningGateway;
  idp: DevIdp;
  sandboxes: Record<string, RunningSandbox>;
  close(): Promise<void>;
}

/**
 * `npm start` in embedded mode: the local OIDC provider and every sandbox
 * first (their real ports are only known once they listen), then the
 * gateway configured to use them. Connector sections and the dev consumer's
 * grants come from the registry (./dev-defaults.ts), under the document.
 */
export async function startEmbeddedStack(options: {
  document: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  connectors: ReadonlyArray<ConnectorDescriptor<any>>;
  logger: Logger;
  overrides?: Record<string, unknown>;
  /** The same document already validated by the caller with loadEmbeddedConfig (skips validating it twice at start). */
  validated?: GatewayConfig;
  /** Handed to the gateway (src/payments/payments-wiring.ts). */
  paymentHooks?: StartGatewayOptions['paymentHooks'];
}): Promise<EmbeddedStack> {
  const schema = composeConfigSchema(options.connectors);
  const { defaults, sandboxed } = await embeddedLayers(options);
  // Validate once before starting anything, so a bad key fails before ports are taken.
  const draft = options.validated ?? loadConfig({ schema, document: options.document, env: options.env, overrides: options.overrides, defaults });
  if (draft.mode !== 'embedded') throw new Error('startEmbeddedStack needs mode: embedded');
  const idpSettings = draft.devIdp ?? { host: '127.0.0.1', port: 0, realmExport: 'config/keycloak/lgsp-realm.json', accessTokenTtlSeconds: 300 };
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const idp = await startDevIdp({
      realmExportPath: fromProjectRoot(idpSettings.realmExport),
      host: idpSettings.host,
      port: idpSettings.port,
      keyStorePath: idpSettings.keyStorePath,
      accessTokenTtlSeconds: idpSettings.accessTokenTtlSeconds,
      logger: options.logger.child({ component: 'dev-idp' }),
    });
    started.push(idp);

    const sandboxes: Record<string, RunningSandbox> = {};
    const connectorOverrides: Record<string, unknown> = {};
    for (const connector of options.connectors) {
      const connectorConfig = draft.connectors[connector.id];
      // Each descriptor declares its simulator (a lazy import), so a new connector needs no line here;
      // one the document points at a real upstream (its own baseUrl, or `sandbox: false`) gets none.
      if (!connectorConfig?.enabled || connectorConfig.sandbox === false || !connector.sandbox || !sandboxed.has(connector.id)) continue;
      const { start } = await connector.sandbox.load();
      const sandbox = await start({
        host: draft.sandboxes?.host ?? '127.0.0.1',
        port: draft.sandboxes?.ports?.[connector.id] ?? connector.sandbox.port,
        // The sandbox accepts what the gateway will send: references ({ fromEnv }, { fromFile }) resolved as the runtime resolves them.
        credentials: resolveConfigCredentials(connector.id, connectorConfig.credentials, options.env).fields,
        // Its section's settings (defaults filled), for simulators that need them (the payment platform's callbackUrl).
        settings: connectorConfig.settings,
      });
      started.push(sandbox);
      sandboxes[connector.id] = sandbox;
      connectorOverrides[connector.id] = { baseUrl: sandbox.baseUrl };
    }

    const config = loadConfig({
      schema,
      document: options.document,
      env: options.env,
      defaults,
      overrides: [options.overrides, { auth: { issuer: idp.issuer, jwksUri: idp.jwksUri }, connectors: connectorOverrides }],
    });
    const gateway = await startGateway({ config, connectors: options.connectors, logger: options.logger, env: options.env, accessDefaults: devGrants([...options.connectors, catalogsDescriptor]), ...(options.paymentHooks && { paymentHooks: options.paymentHooks }) });
    started.push(gateway);
    // Simulators that call the gateway back (the payment platform's IPN) learn its address only now that it listens.
    const gatewayUrl = callableUrl(gateway.url);
    for (const sandbox of Object.values(sandboxes)) sandbox.gatewayListening?.(gatewayUrl);
    // The console's sign-in returns to the gateway's real address (tests listen on ephemeral ports).
    if (config.console.enabled) idp.allowLoopbackRedirects(config.console.clientId, gatewayUrl, '/console/');

    return {
      config,
      gateway,
      idp,
      sandboxes,
      async close() {
        await closeAll(started);
      },
    };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

/** A listener on every interface (0.0.0.0, ::) is called on loopback: a wildcard is an address to bind, not one to send to. */
export function callableUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0') parsed.hostname = '127.0.0.1';
  else if (parsed.hostname === '[::]') parsed.hostname = '[::1]';
  return parsed.origin;
}

async function closeAll(parts: Array<{ close(): Promise<void> }>): Promise<void> {
  // Gateway first (it drains requests that still need the upstreams), then the rest.
  for (const part of [...parts].reverse()) await part.close().catch(() => undefined);
}
