import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { startSocialInsuranceSandbox } from './server.js';

/**
 * Runs the social-insurance sandbox on its own:
 *   node dist/connectors/social-insurance/sandbox/main.js --port 8203 [--host 127.0.0.1] [--token-ttl 3600]
 */
runStandaloneSandbox({
  title: 'Social-insurance sandbox (BHXH Việt Nam)',
  defaultPort: 8203,
  start: (settings) => startSocialInsuranceSandbox(settings),
  describe: (sandbox) => [
    `base URL:  ${sandbox.baseUrl}`,
    `token:     POST ${sandbox.tokenUrl}  (grant_type=client_credentials, HTTP Basic)`,
    `endpoint:  POST ${sandbox.endpointUrl}`,
    `WSDL:      ${sandbox.wsdlUrl}`,
    `faults:    POST/DELETE ${sandbox.baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`social-insurance sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
