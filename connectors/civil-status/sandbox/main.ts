import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { civilStatusSandboxDevCredentials, startCivilStatusSandbox } from './server.js';

/**
 * Runs the civil-status sandbox on its own:
 *   node dist/connectors/civil-status/sandbox/main.js --port 8209 [--host 127.0.0.1] [--token-ttl 60]
 */
runStandaloneSandbox({
  title: 'Civil-status sandbox (CSDL hộ tịch điện tử)',
  defaultPort: 8209,
  start: (settings) => startCivilStatusSandbox(settings),
  describe: (sandbox) => [
    `base URL:  ${sandbox.baseUrl}`,
    `token:     POST ${sandbox.tokenUrl}  (grant_type=password, user ${civilStatusSandboxDevCredentials.username}, client ${civilStatusSandboxDevCredentials.clientId} by HTTP Basic)`,
    `births:    POST ${sandbox.apiUrl}/khai-sinh/tra-cuu  {"maDonVi":"000.00.01.H22","maHoSo":"...","data":{"noiDangKy":"00001","quyenSo":"01/1990","so":"30"}}`,
    `marriages: POST ${sandbox.apiUrl}/ket-hon/tra-cuu   {"maDonVi":"000.00.01.H22","maHoSo":"...","data":{"soDinhDanh":"001090012345"}}`,
    `deaths:    POST ${sandbox.apiUrl}/khai-tu/tra-cuu`,
    `faults:    POST/DELETE ${sandbox.baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`civil-status sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
