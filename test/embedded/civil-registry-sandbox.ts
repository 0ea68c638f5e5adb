import type { SandboxModule } from '../../src/connector-kit/index.js';
import { startPopulationSandbox } from '../../connectors/population/sandbox/server.js';

/**
 * The test-only connector's sandbox module, shaped like a real one
 * (connectors/<id>/sandbox/embedded.ts): the population simulator under other
 * development credentials, so a test can tell that the connector's config
 * came from this module and nowhere else.
 */
export const start: SandboxModule['start'] = (options) => startPopulationSandbox({ host: options.host, port: options.port, credentials: options.credentials as never });

export const devConfig: SandboxModule['devConfig'] = {
  credentials: {
    clientId: 'lgsp-dev-civil-registry',
    clientSecret: 'dev-only-civil-registry-client-secret',
    accessKey: 'dev-only-civil-registry-access-key',
    secretKey: 'dev-only-civil-registry-secret-key',
    appName: 'LGSP-DEV-CIVIL',
    partnerCode: '000.00.00.H00',
    partnerCodeCus: '000.00.01.H00',
  },
  settings: { integrationCode: 'LGSP-DEV-CIVIL' },
  resilience: { timeoutMs: 4000 },
};
