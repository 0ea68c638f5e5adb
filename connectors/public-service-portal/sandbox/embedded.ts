import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { startPublicServicePortalSandbox } from './server.js';

/** What the embedded launcher starts for this connector (loaded through the descriptor's sandbox.load). */
export const start: SandboxModule['start'] = (options) => startPublicServicePortalSandbox({ host: options.host, port: options.port, credentials: options.credentials as never });
