import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { startBusinessRegistrySandbox } from './server.js';

/** What the embedded launcher starts for this connector (loaded through the descriptor's sandbox.load). */
export const start: SandboxModule['start'] = (options) => startBusinessRegistrySandbox({ host: options.host, port: options.port, credentials: options.credentials as never });
