import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { sandboxCustomerCode, sandboxSender } from './order-book.js';
import { postalApiPath, postalSandboxDevCredentials, startPostalSandbox } from './server.js';

/** What the embedded launcher starts for this connector (loaded through the descriptor's sandbox.load). */
export const start: SandboxModule['start'] = (options) =>
  startPostalSandbox({ host: options.host, port: options.port, credentials: options.credentials as never, ...(typeof options.settings?.customerCode === 'string' && { customerCode: options.settings.customerCode }) });

/** This connector's section in embedded mode unless the document points it elsewhere (simulators/embedded/dev-defaults.ts). */
export const devConfig: SandboxModule['devConfig'] = {
  credentials: postalSandboxDevCredentials,
  settings: { apiPath: postalApiPath, customerCode: sandboxCustomerCode, sender: sandboxSender },
  resilience: { timeoutMs: 5000 },
};
