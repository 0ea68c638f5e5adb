import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { judicialRecordsSandboxDevCredentials, judicialRecordsServicePath, startJudicialRecordsSandbox } from './server.js';

/** What the embedded launcher starts for this connector (loaded through the descriptor's sandbox.load). */
export const start: SandboxModule['start'] = (options) => startJudicialRecordsSandbox({ host: options.host, port: options.port, credentials: options.credentials as never });

/** This connector's section in embedded mode unless the document points it elsewhere (simulators/embedded/dev-defaults.ts). */
export const devConfig: SandboxModule['devConfig'] = {
  credentials: judicialRecordsSandboxDevCredentials,
  settings: { provinceCode: '22', provinceName: 'tỉnh Quảng Ninh', servicePath: judicialRecordsServicePath },
  resilience: { timeoutMs: 5000 },
};
