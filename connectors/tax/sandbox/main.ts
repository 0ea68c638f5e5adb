import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { startTaxSandbox, taxEndpointPath } from './server.js';

/**
 * Runs the tax sandbox on its own:
 *   node dist/connectors/tax/sandbox/main.js --port 8205 [--host 127.0.0.1] [--token-ttl 3600]
 */
runStandaloneSandbox({
  title: 'Tax sandbox (tra cứu người nộp thuế)',
  defaultPort: 8205,
  start: (settings) => startTaxSandbox(settings),
  describe: ({ baseUrl }) => [
    `base URL:  ${baseUrl}`,
    `token:     POST ${baseUrl}/token  (grant_type=client_credentials, HTTP Basic)`,
    `endpoint:  POST ${baseUrl}${taxEndpointPath}`,
    `WSDL:      ${baseUrl}${taxEndpointPath}?wsdl`,
    `faults:    POST/DELETE ${baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`tax sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
