import { connectorDescriptors } from '../../connectors/registry.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import { importEmbeddedModule } from '../../src/config/development-install.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { loadConfig, mergeConfigLayers, readConfigDocument } from '../../src/config/load-config.js';
import { assertProductionReady } from '../../src/config/production-guard.js';
import { fromProjectRoot } from '../../src/paths.js';

/**
 * The gateway's configuration as src/main.ts reads it, for the operators'
 * scripts (LGSP_CONFIG or config/default.yaml, then the environment): the
 * mode decides whether embedded mode's development defaults go under the
 * document. `productionGuard`: refuse development settings in production
 * mode, as the gateway's start does (a script that touches the store must).
 */
export async function loadGatewayConfig(options: { productionGuard: boolean }): Promise<GatewayConfig> {
  const configFile = process.env.LGSP_CONFIG ?? fromProjectRoot('config/default.yaml');
  const document = readConfigDocument(configFile);
  const schema = composeConfigSchema(connectorDescriptors);
  if (mergeConfigLayers({ schema, document, env: process.env }).mode !== 'embedded') {
    const config = loadConfig({ schema, document, env: process.env });
    if (options.productionGuard) assertProductionReady(config, { fileDocument: document, connectors: connectorDescriptors });
    return config;
  }
  // dev-defaults only: the full embedded launcher would load the development IdP and the sandboxes for nothing.
  const { loadEmbeddedConfig } = await importEmbeddedModule(() => import('../../simulators/embedded/dev-defaults.js'));
  return loadEmbeddedConfig({ document, env: process.env, connectors: connectorDescriptors });
}
