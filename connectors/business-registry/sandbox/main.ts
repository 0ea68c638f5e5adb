import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { businessRegistryLoginPath, businessRegistryServicePath, startBusinessRegistrySandbox } from './server.js';

/**
 * Runs the business-registry sandbox on its own:
 *   node dist/connectors/business-registry/sandbox/main.js --port 8202 [--host 127.0.0.1]
 */
runStandaloneSandbox({
  title: 'Business registry sandbox (CSDL quốc gia về đăng ký doanh nghiệp, via the provincial proxy)',
  defaultPort: 8202,
  start: ({ host, port }) => startBusinessRegistrySandbox({ host, port }),
  describe: ({ baseUrl }) => [
    `login:     POST ${baseUrl}${businessRegistryLoginPath}  (JSON {username,password} + dstcode header)`,
    `services:  GET ${baseUrl}${businessRegistryServicePath}/DoanhNghiep/chiTietDoanhNghiep?msdn=…`,
    `           GET ${baseUrl}${businessRegistryServicePath}/HoKinhDoanh/chiTietHoKinhDoanh?mst=…`,
    `           GET ${baseUrl}${businessRegistryServicePath}/HopTacXa/chiTietHopTacXa?mst=…`,
    `faults:    POST/DELETE ${baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`business-registry sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
