import { startLandSandbox } from '../../connectors/land/sandbox/server.js';
import { startBusinessRegistrySandbox } from '../../connectors/business-registry/sandbox/server.js';
import { startPopulationSandbox } from '../../connectors/population/sandbox/server.js';
import { startPublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { startSocialInsuranceSandbox } from '../../connectors/social-insurance/sandbox/server.js';
import { startTaxSandbox } from '../../connectors/tax/sandbox/server.js';

export interface RunningSandbox {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Simulated upstreams, one per connector id. Only the embedded launcher and
 * tests import sandboxes; production never starts them.
 */
export const sandboxStarters: Record<string, (options: { host: string; port: number; credentials: Record<string, unknown> }) => Promise<RunningSandbox>> = {
  population: (options) => startPopulationSandbox({ host: options.host, port: options.port, credentials: options.credentials as never }),
  'social-insurance': (options) => startSocialInsuranceSandbox({ host: options.host, port: options.port, credentials: options.credentials as never }),
  'business-registry': (options) => startBusinessRegistrySandbox({ host: options.host, port: options.port, credentials: options.credentials as never }),
  tax: (options) => startTaxSandbox({ host: options.host, port: options.port, credentials: options.credentials as never }),
  land: (options) => startLandSandbox({ host: options.host, port: options.port, credentials: options.credentials as never }),
  'public-service-portal': (options) => startPublicServicePortalSandbox({ host: options.host, port: options.port, credentials: options.credentials as never }),
};
