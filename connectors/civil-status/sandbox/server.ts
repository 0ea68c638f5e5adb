import type { FaultController } from '../../../simulators/kit/fault-injection.js';
import type { PasswordGrantAccount, PasswordGrantAuthority } from '../../../simulators/kit/password-grant-authority.js';
import { startPasswordGrantRestSandbox } from '../../../simulators/kit/password-grant-rest-sandbox.js';
import type { RestSandboxRoute } from '../../../simulators/kit/rest-sandbox.js';
import { answerLookup, civilStatusSystemBusy } from './operations.js';
import { seededCivilStatus } from './seed.js';

/**
 * Simulator of the electronic civil-status database (CSDL hộ tịch điện tử
 * toàn quốc, Ministry of Justice) as the gateway reaches it: a token login
 * (OAuth2 password grant) in front of JSON lookups of the birth, marriage
 * and death registers, seeded from the shared people (seed.ts), with the
 * fault switches every sandbox has. In-process only; embedded mode starts
 * it, tests on port 0.
 */

/** Development credentials; embedded mode's config for this connector (embedded.ts). */
export const civilStatusSandboxDevCredentials: Readonly<Required<PasswordGrantAccount>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-civil-status-client-secret',
  username: 'lgsp.dev',
  password: 'dev-only-civil-status-password',
});

export const civilStatusApiPath = '/api/hotich/v1';
export const civilStatusTokenPath = '/oauth2/token';
/** Operation names for fault scopes (`{ operation: 'TraCuuKhaiSinh' }`); `token` is the token endpoint. */
export const civilStatusOperations = { births: 'TraCuuKhaiSinh', marriages: 'TraCuuKetHon', deaths: 'TraCuuKhaiTu' } as const;
/** The register paths under the API path. */
export const civilStatusResources = { births: 'khai-sinh', marriages: 'ket-hon', deaths: 'khai-tu' } as const;

export interface CivilStatusSandboxOptions {
  host?: string;
  port?: number;
  credentials?: Partial<PasswordGrantAccount>;
  tokenTtlSeconds?: number;
}

export interface CivilStatusSandbox {
  baseUrl: string;
  tokenUrl: string;
  /** `{baseUrl}/api/hotich/v1`. */
  apiUrl: string;
  faults: FaultController;
  authority: PasswordGrantAuthority;
  close(): Promise<void>;
}

const registers = ['births', 'marriages', 'deaths'] as const;
const routes: Record<string, RestSandboxRoute> = Object.fromEntries(
  registers.map((register) => [
    `${civilStatusApiPath}/${civilStatusResources[register]}/tra-cuu`,
    { operation: civilStatusOperations[register], method: 'POST', answer: (_url, request) => answerLookup(register, request) } satisfies RestSandboxRoute,
  ]),
);

export async function startCivilStatusSandbox(options: CivilStatusSandboxOptions = {}): Promise<CivilStatusSandbox> {
  seededCivilStatus(); // build the registers now, not on the first call
  const sandbox = await startPasswordGrantRestSandbox({
    ...options,
    account: civilStatusSandboxDevCredentials,
    tokenPath: civilStatusTokenPath,
    systemError: civilStatusSystemBusy,
    routes,
  });
  return { ...sandbox, apiUrl: `${sandbox.baseUrl}${civilStatusApiPath}` };
}
