import type { PlatformCredentials } from '../../../simulators/kit/platform-auth.js';
import { soapArgumentText, startSoapSandbox, type SoapSandbox } from '../../../simulators/kit/soap-sandbox.js';
import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { businessFault, lookUpParticipant } from './operations.js';
import { renderLookup } from './responses.js';
import { seededParticipants } from './seed.js';

/**
 * Simulator of Vietnam Social Security's participant lookup (BHXH Việt Nam)
 * as a province would reach it through the national data-sharing platform:
 * OAuth2 token endpoint + `lgspaccesstoken` in front of a document/literal
 * SOAP service, with the shared fault switches. The interface itself is an
 * assumption (README.md beside the connector).
 */

export type SocialInsuranceSandbox = SoapSandbox;

/** Development credentials; embedded mode's config for this connector (embedded.ts), so it works without configuration. */
export const socialInsuranceSandboxDevCredentials: Readonly<Required<PlatformCredentials>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-social-insurance-client-secret',
  accessKey: 'dev-only-bhxh-access-key',
  secretKey: 'dev-only-bhxh-secret-key',
  appName: 'LGSP-DEV',
  partnerCode: '000.00.00.H00',
  partnerCodeCus: '000.00.01.H00',
});

export const socialInsuranceEndpointPath = '/bhxh/1.0/TraCuuBHXHService';
export const socialInsuranceOperation = 'TraCuuThongTinNguoiThamGia';

export interface SocialInsuranceSandboxOptions {
  host?: string;
  port?: number;
  /** Merged over the development credentials. */
  credentials?: Partial<PlatformCredentials>;
  tokenTtlSeconds?: number;
  now?: () => number;
}

export function startSocialInsuranceSandbox(options: SocialInsuranceSandboxOptions = {}): Promise<SocialInsuranceSandbox> {
  seededParticipants(); // build the records now, not on the first call
  return startSoapSandbox(
    {
      wsdlPath: connectorFile('social-insurance', 'social-insurance.wsdl'),
      endpointPath: socialInsuranceEndpointPath,
      serviceName: 'TraCuuBHXHService',
      portName: 'TraCuuBHXHPort',
      operations: { [socialInsuranceOperation]: (args) => renderLookup(lookUpParticipant(args)) },
      injectedFault: (args) => businessFault('systemBusy', 'Server', soapArgumentText(args.MaYeuCau)),
    },
    {
      ...options,
      credentials: { ...socialInsuranceSandboxDevCredentials, ...options.credentials },
    },
  );
}
