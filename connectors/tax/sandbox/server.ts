import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { seededBusinesses } from '../../../simulators/kit/enterprises.js';
import type { PlatformCredentials } from '../../../simulators/kit/platform-auth.js';
import { soapArgumentText, startSoapSandbox, type SoapSandbox } from '../../../simulators/kit/soap-sandbox.js';
import { listObligations, lookUpTaxpayer, taxFault } from './operations.js';

/**
 * Simulator of a taxpayer lookup at the tax authority as a province would
 * reach it through the national data-sharing platform: OAuth2 token endpoint
 * + `lgspaccesstoken` in front of a document/literal SOAP service (WSDL at
 * `{endpoint}?wsdl`), with the shared fault switches. In-process only; the
 * gateway starts it in embedded mode and tests start it on port 0.
 */

/** Development credentials; embedded mode's config for this connector (embedded.ts), so it works without configuration. */
export const taxSandboxDevCredentials: Readonly<Required<PlatformCredentials>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-tax-client-secret',
  accessKey: 'dev-only-tax-access-key',
  secretKey: 'dev-only-tax-secret-key',
  appName: 'LGSP-DEV',
  partnerCode: '000.00.00.H00',
  partnerCodeCus: '000.00.01.H00',
});

export const taxEndpointPath = '/gdt/tracuunnt/1.0/TraCuuNNTService';
export const taxOperations = ['TraCuuThongTinNNT', 'TraCuuNghiaVuThue'] as const;

export type TaxSandbox = SoapSandbox;

export async function startTaxSandbox(
  options: { host?: string; port?: number; credentials?: Partial<PlatformCredentials>; tokenTtlSeconds?: number; now?: () => number } = {},
): Promise<TaxSandbox> {
  seededBusinesses(); // build the businesses now, not on the first call
  return startSoapSandbox(
    {
      wsdlPath: connectorFile('tax', 'tax.wsdl'),
      endpointPath: taxEndpointPath,
      serviceName: 'TraCuuNNTService',
      portName: 'TraCuuNNTPort',
      operations: { TraCuuThongTinNNT: lookUpTaxpayer, TraCuuNghiaVuThue: listObligations },
      injectedFault: (args) => taxFault('systemBusy', 'Server', soapArgumentText(args.MA_YEU_CAU)),
    },
    {
      ...options,
      credentials: { ...taxSandboxDevCredentials, ...options.credentials },
    },
  );
}
