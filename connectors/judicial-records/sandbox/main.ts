import { runStandaloneSandbox } from '../../../simulators/kit/standalone.js';
import { judicialRecordsServices } from '../client.js';
import { advanceControlPath, judicialRecordsServicePath, startJudicialRecordsSandbox } from './server.js';

/**
 * Runs the judicial-records sandbox on its own:
 *   node dist/connectors/judicial-records/sandbox/main.js --port 8208 [--host 127.0.0.1]
 */
runStandaloneSandbox({
  title: 'Judicial records sandbox (phần mềm lý lịch tư pháp, via the national data-sharing platform)',
  defaultPort: 8208,
  start: ({ host, port, tokenTtlSeconds }) => startJudicialRecordsSandbox({ host, port, ...(tokenTtlSeconds !== undefined && { tokenTtlSeconds }) }),
  describe: ({ baseUrl }) => [
    `token:     POST ${baseUrl}/token  (client_credentials)`,
    `lodge:     POST ${baseUrl}${judicialRecordsServicePath}/${judicialRecordsServices.submit}  JSON {maTinh, tenTinh, maHoSoMCDT, nguonDangKy, ngayTiepNhan, toKhai{...}} + lgspaccesstoken`,
    `look up:   POST ${baseUrl}${judicialRecordsServicePath}/${judicialRecordsServices.lookUp}  JSON {maTinh, maHoSoMCDT}`,
    `advance:   POST ${baseUrl}${advanceControlPath}  {dossierCode, to: processing|supplement-requested|refused|result-ready|result-returned, reason?, criminalRecord?}`,
    `faults:    POST/DELETE ${baseUrl}/__sandbox/faults`,
  ],
}).catch((error: unknown) => {
  process.stderr.write(`judicial-records sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
