import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { publicServicePortalLoginPath, publicServicePortalServicePath, startPublicServicePortalSandbox } from './server.js';

/**
 * Runs the public-service-portal sandbox on its own:
 *   node dist/connectors/public-service-portal/sandbox/main.js --port 8206 [--host 127.0.0.1]
 */
runStandaloneSandbox({
  title: 'National Public Service Portal sandbox (Cổng Dịch vụ công quốc gia, via the provincial bus adapter)',
  defaultPort: 8206,
  start: ({ host, port }) => startPublicServicePortalSandbox({ host, port }),
  describe: ({ baseUrl }) => [
    `login:     POST ${baseUrl}${publicServicePortalLoginPath}  (JSON {username,password} + dstcode header)`,
    `services:  POST ${baseUrl}${publicServicePortalServicePath}  JSON {session, madonvi, service: "LayThuTuc", maTTHC} + dstcode header`,
    `           service: LayDanhSachTTHC {tuKhoa, maLinhVuc, maCoQuan, trang, soLuong}, LayDanhMucLinhVuc, LayDanhMucCoQuan`,
    `           dossiers: TraCuuHoSo {mahoso}, DongBoHoSoMC {isUpdating, data[]}, CapNhatTienDoHoSoMC {data[]}`,
    `faults:    POST/DELETE ${baseUrl}/__sandbox/faults`,
    `chaos:     POST/DELETE ${baseUrl}/__sandbox/chaos  {acceptThenTimeOut?, randomFailures?: {rate, seed}}`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`public-service-portal sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
