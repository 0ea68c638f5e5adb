import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { civilStatusSandboxDevCredentials, civilStatusTokenPath, startCivilStatusSandbox } from './server.js';

/** What the embedded launcher starts for this connector (loaded through the descriptor's sandbox.load). */
export const start: SandboxModule['start'] = (options) => startCivilStatusSandbox({ host: options.host, port: options.port, credentials: options.credentials as never });

/** This connector's section in embedded mode unless the document points it elsewhere (simulators/embedded/dev-defaults.ts). */
export const devConfig: SandboxModule['devConfig'] = {
  credentials: civilStatusSandboxDevCredentials,
  settings: { tokenPath: civilStatusTokenPath, unitCode: '000.00.01.H22' },
  resilience: { timeoutMs: 5000 },
};
