import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { seededShipments } from './order-book.js';
import { postalSandboxDevCredentials, startPostalSandbox } from './server.js';

/**
 * Runs the VNPost sandbox on its own:
 *   node dist/connectors/postal-delivery/sandbox/main.js --port 8210 [--host 127.0.0.1]
 */
runStandaloneSandbox({
  title: 'Postal delivery sandbox (VNPost, results by post)',
  defaultPort: 8210,
  start: (settings) => startPostalSandbox(settings),
  describe: (postal) => [
    `base URL:  ${postal.baseUrl}`,
    `token:     POST ${postal.baseUrl}/token  (grant_type=client_credentials, client ${postalSandboxDevCredentials.clientId} by HTTP Basic; lgspaccesstoken on every call)`,
    `order:     POST ${postal.apiUrl}/order/post   cancel: POST ${postal.apiUrl}/order/cancel`,
    `tracking:  GET ${postal.apiUrl}/order/tracking?orderNumber=${seededShipments.inTransit.dossierCode}`,
    `faults:    POST/DELETE ${postal.baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`postal delivery sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
