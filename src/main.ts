import { readFileSync } from 'node:fs';
import { connectorDescriptors } from '../connectors/registry.js';
import { composeConfigSchema } from './config/compose-config-schema.js';
import { importEmbeddedModule } from './config/development-install.js';
import { ConfigError, loadConfig, mergeConfigLayers, readConfigDocument } from './config/load-config.js';
import { assertProductionReady } from './config/production-guard.js';
import { startGateway } from './gateway.js';
import { createLogger, type Logger } from './observability/logger.js';
import { fromProjectRoot } from './paths.js';

/**
 * Entry point of `npm start` and of the container image.
 * LGSP_CONFIG names the config file (default: config/default.yaml, embedded mode).
 */
async function main(): Promise<void> {
  const configFile = process.env.LGSP_CONFIG ?? fromProjectRoot('config/default.yaml');
  const version = (JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')) as { version: string }).version;
  const document = readConfigDocument(configFile);
  const schema = composeConfigSchema(connectorDescriptors);

  let close: () => Promise<void>;
  // The mode is read before validating: embedded mode validates with its development defaults
  // under the document (connector sections derived from the registry), production without any.
  if (mergeConfigLayers({ schema, document, env: process.env }).mode !== 'embedded') {
    const config = loadConfig({ schema, document, env: process.env });
    const logger = createLogger({ level: config.log.level });
    assertProductionReady(config, { fileDocument: document, connectors: connectorDescriptors });
    const gateway = await startGateway({ config, connectors: connectorDescriptors, logger, version });
    close = () => gateway.close();
    handleSignals(close, logger);
  } else {
    // Imported only here: production never loads the dev IdP, the sandboxes or their dev defaults
    // (a production install has none of them: importEmbeddedModule says so in one line).
    const { loadEmbeddedConfig, startEmbeddedStack } = await importEmbeddedModule(() => import('../simulators/embedded/start-embedded.js'));
    const config = await loadEmbeddedConfig({ document, env: process.env, connectors: connectorDescriptors });
    const logger = createLogger({ level: config.log.level });
    const stack = await startEmbeddedStack({ document, env: process.env, connectors: connectorDescriptors, logger, validated: config });
    close = () => stack.close();
    handleSignals(close, logger);
    printEmbeddedBanner(stack.gateway.url, stack.gateway.opsUrl, stack.idp.tokenUrl, stack.sandboxes);
  }
}

function handleSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function printEmbeddedBanner(gatewayUrl: string, opsUrl: string, tokenUrl: string, sandboxes: Record<string, { baseUrl: string }>): void {
  const idWidth = Math.max(0, ...Object.keys(sandboxes).map((id) => id.length));
  const lines = [
    '',
    'LGSP gateway (embedded mode) is ready.',
    `  gateway      ${gatewayUrl}   (docs: ${gatewayUrl}/docs)`,
    `  ops          ${opsUrl}   (metrics: ${opsUrl}/metrics, readiness detail: ${opsUrl}/readyz)`,
    `  dev IdP      ${tokenUrl}`,
    ...Object.entries(sandboxes).map(([id, sandbox]) => `  sandbox      ${id.padEnd(idWidth)} ${sandbox.baseUrl}`),
    '',
    'Get a dev token and look a citizen up (the POST form keeps the personal id out of URLs and proxy logs):',
    `  TOKEN=$(curl -s -u one-stop:one-stop-dev-secret -d grant_type=client_credentials ${tokenUrl} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H "X-End-User: officer01" -H "X-Purpose: 000.00.01.H22-261123-0001" -H "Content-Type: application/json" -d '{"personalId":"001090012345"}' ${gatewayUrl}/api/v1/population/citizens/lookup`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`lgsp-gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`lgsp-gateway: failed to start: ${(error as Error).message ?? String(error)}\n`);
  }
  process.exit(1);
});
