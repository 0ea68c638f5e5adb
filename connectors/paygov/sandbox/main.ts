import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { defaultPaths } from '../client.js';
import { paygovSandboxDevCredentials, sandboxControlPaths, startPaygovSandbox } from './server.js';

/**
 * Runs the payment platform sandbox on its own:
 *   node dist/connectors/paygov/sandbox/main.js --port 8207 [--host 127.0.0.1]
 * then point its IPNs at the gateway: POST {baseUrl}/__sandbox/ipn-url {"url":"http://127.0.0.1:8080/callbacks/paygov/ipn"}
 */
runStandaloneSandbox({
  title: 'Payment platform sandbox (Paygov)',
  defaultPort: 8207,
  start: (settings) => startPaygovSandbox({ host: settings.host, port: settings.port }),
  describe: (paygov) => [
    `base URL:  ${paygov.baseUrl}  (MaDoiTac ${paygovSandboxDevCredentials.partnerCode}, development secret in server.ts)`,
    `INIT:      POST ${paygov.baseUrl}${defaultPaths.init}`,
    `QUERY:     POST ${paygov.baseUrl}${defaultPaths.query}`,
    `GET_BILL:  POST ${paygov.baseUrl}${defaultPaths.getBill}`,
    `IPN to:    POST ${paygov.baseUrl}${sandboxControlPaths.ipnUrl} {"url": "..."}`,
    `hostile:   POST/DELETE ${paygov.baseUrl}${sandboxControlPaths.hostile} {"mode": "duplicate"}`,
    `faults:    POST/DELETE ${paygov.baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`paygov sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
