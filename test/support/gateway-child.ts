import { readFileSync } from 'node:fs';
import { connectorDescriptors } from '../../connectors/registry.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { startGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';

/**
 * A whole gateway in a process of its own (argv: a JSON file holding the
 * validated config), so a test can SIGKILL it: it prints `ready <url> <opsUrl>`
 * once it listens, then serves and delivers until killed. Run as plain JavaScript
 * (test/support/gateway-child-process.ts): nothing here may depend on jest.
 */
const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as GatewayConfig;
const gateway = await startGateway({ config, connectors: connectorDescriptors, logger: createLogger({ level: 'silent' }) });
process.stdout.write(`ready ${gateway.url} ${gateway.opsUrl}\n`);
