import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { seededPeople } from '../../../simulators/kit/people.js';
import type { PlatformCredentials } from '../../../simulators/kit/platform-auth.js';
import { businessSoapFault, soapArgumentText, startSoapSandbox, type SandboxSoapFault, type SoapSandbox } from '../../../simulators/kit/soap-sandbox.js';
import { lookUpCitizen, PopulationBusinessError, verifyCitizen } from './operations.js';
import { danCuNamespace, renderCongdanCollection, renderVerification } from './responses.js';

export { soapOperationOf } from '../../../simulators/kit/soap-sandbox.js';

/**
 * Simulator of the national population database (CSDL quốc gia về dân cư) as a
 * province reaches it through the national data-sharing platform: OAuth2
 * token endpoint + `lgspaccesstoken` in front of a document/literal SOAP
 * service (WSDL at `{endpoint}?wsdl`), with fault injection for resilience
 * tests — all from the shared SOAP sandbox kit. In-process only; the gateway
 * starts it in embedded mode and tests start it on port 0.
 */

export type PopulationSandboxCredentials = PlatformCredentials;

/** Development credentials; embedded mode's config for this connector (embedded.ts), so it works without configuration. */
export const populationSandboxDevCredentials: Readonly<Required<PopulationSandboxCredentials>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-population-client-secret',
  accessKey: 'dev-only-access-key',
  secretKey: 'dev-only-secret-key',
  appName: 'LGSP-DEV',
  partnerCode: '000.00.00.H00',
  partnerCodeCus: '000.00.01.H00',
});

export interface PopulationSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Merged over the development credentials. */
  credentials?: Partial<PopulationSandboxCredentials>;
  tokenTtlSeconds?: number;
  /** Clock for token expiry (tests). */
  now?: () => number;
  /** How the sandbox answers from the start (tests switch them later with `modes`). */
  modes?: PopulationSandboxModes;
}

/**
 * Switches for answering as other upstreams do, beside the fault injection:
 * `verifyAnswer: 'tontai-only'` answers a verification with MaYeuCau and TonTai
 * alone, as the real service is documented to (REFERENCE.md); 'per-field'
 * (the default) adds this sandbox's assumed KetQuaKhop flags and result code.
 * `lookupAnswersWith` answers every lookup with that seeded citizen's record,
 * whoever was asked for: an upstream that mixes requests up.
 */
export interface PopulationSandboxModes {
  verifyAnswer?: 'per-field' | 'tontai-only';
  lookupAnswersWith?: string;
}

export interface PopulationSandboxModeSwitch {
  set(modes: PopulationSandboxModes): void;
  /** Back to the modes the sandbox started with. */
  clear(): void;
}

export type PopulationSandbox = SoapSandbox & { modes: PopulationSandboxModeSwitch };

export const populationEndpointPath = '/dancuquocgia/1.0/DanCuQuocGiaService';
export const populationOperations = ['TraCuuThongTinCongDan', 'XacThucThongTinCongDan'] as const;

/** A population business error as the service writes it: `LoiNghiepVu{MaLoi, MoTaLoi, MaYeuCau}` in the fault detail. */
function populationFault(error: PopulationBusinessError): SandboxSoapFault {
  return businessSoapFault(error.side, error.message, {
    element: 'LoiNghiepVu',
    fields: { MaLoi: error.code, MoTaLoi: error.message, MaYeuCau: error.requestId },
    namespace: { prefix: 'dan', uri: danCuNamespace },
  });
}

function answering(render: (args: Record<string, unknown>) => string) {
  return (args: Record<string, unknown>): string => {
    try {
      return render(args);
    } catch (error) {
      throw error instanceof PopulationBusinessError ? populationFault(error) : error;
    }
  };
}

export async function startPopulationSandbox(options: PopulationSandboxOptions = {}): Promise<PopulationSandbox> {
  seededPeople(); // build the population now, not on the first call
  let modes: PopulationSandboxModes = { ...options.modes };
  const modeSwitch: PopulationSandboxModeSwitch = {
    set: (next) => {
      modes = { ...modes, ...next };
    },
    clear: () => {
      modes = { ...options.modes };
    },
  };
  const lookUp = (args: Record<string, unknown>) => (modes.lookupAnswersWith === undefined ? args : { ...args, SoDinhDanh: modes.lookupAnswersWith });
  const sandbox = await startSoapSandbox(
    {
      wsdlPath: connectorFile('population', 'population.wsdl'),
      endpointPath: populationEndpointPath,
      serviceName: 'DanCuQuocGiaService',
      portName: 'DanCuQuocGiaPort',
      operations: {
        TraCuuThongTinCongDan: answering((args) => renderCongdanCollection(lookUpCitizen(lookUp(args)))),
        XacThucThongTinCongDan: answering((args) => renderVerification(verifyCitizen(args), { tonTaiOnly: modes.verifyAnswer === 'tontai-only' })),
      },
      injectedFault: (args) => populationFault(new PopulationBusinessError('systemBusy', 'Server', soapArgumentText(args.MaYeuCau))),
    },
    { ...options, credentials: { ...populationSandboxDevCredentials, ...options.credentials } },
  );
  return Object.assign(sandbox, { modes: modeSwitch });
}
