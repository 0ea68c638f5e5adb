import type { FaultController } from '../../../simulators/kit/fault-injection.js';
import type { PasswordGrantAccount, PasswordGrantAuthority } from '../../../simulators/kit/password-grant-authority.js';
import { startPasswordGrantRestSandbox } from '../../../simulators/kit/password-grant-rest-sandbox.js';
import { seededPeople } from '../../../simulators/kit/people.js';
import type { RestSandboxRoute } from '../../../simulators/kit/rest-sandbox.js';
import { answerCertificateLookup, answerParcelSearch, landSystemBusy } from './operations.js';
import { seededLand } from './seed.js';

/**
 * Simulator of a provincial land database (CSDL đất đai) as the gateway
 * reaches it: an OAuth2 password-grant token endpoint in front of a REST/JSON
 * API with Vietnamese field names, seeded parcels and certificates of the
 * shared seeded people, and the same fault switches as every sandbox.
 * In-process only; the gateway starts it in embedded mode, tests on port 0.
 */

/** Development credentials; embedded mode's config for this connector (embedded.ts), so it works without configuration. */
export const landSandboxDevCredentials: Readonly<Required<PasswordGrantAccount>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-land-client-secret',
  username: 'lgsp.dev',
  password: 'dev-only-land-password',
});

export const landApiPath = '/api/dat-dai/v1';
export const landTokenPath = '/connect/token';
/** Operation names for fault scopes (`{ operation: 'TraCuuThuaDat' }`); `token` is the token endpoint. */
export const landOperations = { parcels: 'TraCuuThuaDat', certificates: 'TraCuuGiayChungNhan' } as const;

export interface LandSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Merged over the development credentials. */
  credentials?: Partial<PasswordGrantAccount>;
  tokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  now?: () => number;
}

export interface LandSandbox {
  baseUrl: string;
  tokenUrl: string;
  /** `{baseUrl}/api/dat-dai/v1`. */
  apiUrl: string;
  faults: FaultController;
  authority: PasswordGrantAuthority;
  close(): Promise<void>;
}

const routes: Record<string, RestSandboxRoute> = {
  [`${landApiPath}/thua-dat`]: { operation: landOperations.parcels, method: 'GET', answer: (url) => answerParcelSearch(url.searchParams) },
  [`${landApiPath}/giay-chung-nhan`]: { operation: landOperations.certificates, method: 'GET', answer: (url) => answerCertificateLookup(url.searchParams) },
};

export async function startLandSandbox(options: LandSandboxOptions = {}): Promise<LandSandbox> {
  seededPeople();
  seededLand(); // build the land records now, not on the first call
  const sandbox = await startPasswordGrantRestSandbox({
    ...options,
    account: landSandboxDevCredentials,
    tokenPath: landTokenPath,
    // The REST counterpart of a SOAP fault: the land system's own error envelope with a 500.
    systemError: landSystemBusy,
    routes,
  });
  return { ...sandbox, apiUrl: `${sandbox.baseUrl}${landApiPath}` };
}
