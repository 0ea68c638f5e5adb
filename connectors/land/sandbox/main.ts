import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { landSandboxDevCredentials, startLandSandbox } from './server.js';

/**
 * Runs the land sandbox on its own:
 *   node dist/connectors/land/sandbox/main.js --port 8204 [--host 127.0.0.1] [--token-ttl 60]
 */
runStandaloneSandbox({
  title: 'Land sandbox (CSDL đất đai)',
  defaultPort: 8204,
  start: (settings) => startLandSandbox(settings),
  describe: (land) => [
    `base URL:  ${land.baseUrl}`,
    `token:     POST ${land.tokenUrl}  (grant_type=password, user ${landSandboxDevCredentials.username}, client ${landSandboxDevCredentials.clientId} by HTTP Basic)`,
    `parcels:   GET ${land.apiUrl}/thua-dat?maXa=00004&soTo=12&soThua=345`,
    `cert:      GET ${land.apiUrl}/giay-chung-nhan?soPhatHanh=DA%20123456`,
    `faults:    POST/DELETE ${land.baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`land sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
