import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { publicServicePortalLoginPath, publicServicePortalSandboxDevCredentials, publicServicePortalServicePath, startPublicServicePortalSandbox } from './server.js';

/** What the embedded launcher starts for this connector (loaded through the descriptor's sandbox.load). */
export const start: SandboxModule['start'] = (options) => startPublicServicePortalSandbox({ host: options.host, port: options.port, credentials: options.credentials as never });

/** This connector's section in embedded mode unless the document points it elsewhere (simulators/embedded/dev-defaults.ts). */
export const devConfig: SandboxModule['devConfig'] = {
  credentials: publicServicePortalSandboxDevCredentials,
  settings: { unitCode: '000.00.00.H22', servicePath: publicServicePortalServicePath, loginPath: publicServicePortalLoginPath },
  resilience: { timeoutMs: 5000 },
};
