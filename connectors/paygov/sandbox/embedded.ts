import type { SandboxModule } from '../../../src/connector-kit/index.js';
import { paygovSandboxDevCredentials, startPaygovSandbox } from './server.js';

/**
 * What the embedded launcher starts for this connector (loaded through the
 * descriptor's sandbox.load). IPNs go to the connector's `callbackUrl`
 * setting when the section has one, else to the gateway's own
 * /callbacks/paygov/ipn once the launcher says where the gateway listens
 * (RunningSandbox.gatewayListening).
 */
export const start: SandboxModule['start'] = (options) => {
  const settings = options.settings ?? {};
  const callbackUrl = settings.callbackUrl;
  const path = (name: string) => (typeof settings[name] === 'string' ? (settings[name] as string).replace(/\/+$/, '') : undefined);
  return startPaygovSandbox({
    paths: { init: path('initPath'), query: path('queryPath'), getBill: path('billPath') },
    host: options.host,
    port: options.port,
    credentials: options.credentials as never,
    ...(typeof callbackUrl === 'string' && callbackUrl !== '' && { ipnUrl: callbackUrl }),
  });
};

/** This connector's section in embedded mode unless the document points it elsewhere (simulators/embedded/dev-defaults.ts). */
export const devConfig: SandboxModule['devConfig'] = {
  credentials: paygovSandboxDevCredentials,
  settings: {},
  resilience: { timeoutMs: 5000 },
};
