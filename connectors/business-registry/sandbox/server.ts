import { seededBusinesses } from '../../../simulators/kit/enterprises.js';
import { startRestSandbox, type RestSandbox } from '../../../simulators/kit/rest-sandbox.js';
import { SessionAuthority, sendSessionRejection, type SessionAccount } from '../../../simulators/kit/session-authority.js';
import { answerLookup, registers, registrySystemError } from './operations.js';

/**
 * Simulator of the national business registration database as a province
 * reaches it: through the provincial bus's adapter, REST/JSON, after a session
 * login with `dstcode`. Seeded with the shared businesses of
 * simulators/kit/enterprises.ts (the tax sandbox tells the same story) and
 * the same fault switches as every sandbox. In-process only.
 */

/** Development account; embedded mode's config for this connector (embedded.ts). */
export const businessRegistrySandboxDevCredentials: Readonly<SessionAccount> = Object.freeze({
  username: 'lgsp-dev-province',
  password: 'dev-only-business-registry-password',
  dstcode: 'VN:GOV:G06:DKKD',
});

export const businessRegistryLoginPath = '/login';
export const businessRegistryServicePath = '/dkkd';
/** Operation names for fault scopes; `token` is the login. */
export const businessRegistryOperations = {
  enterprise: 'chiTietDoanhNghiep',
  householdBusiness: 'chiTietHoKinhDoanh',
  cooperative: 'chiTietHopTacXa',
} as const;

export interface BusinessRegistrySandbox extends RestSandbox {
  loginUrl: string;
  /** `{baseUrl}/dkkd`: the registry's paths hang below it. */
  serviceUrl: string;
}

export async function startBusinessRegistrySandbox(
  options: { host?: string; port?: number; credentials?: Partial<SessionAccount>; sessionTtlSeconds?: number; now?: () => number } = {},
): Promise<BusinessRegistrySandbox> {
  seededBusinesses(); // build the businesses now, not on the first call
  const defined = Object.fromEntries(Object.entries(options.credentials ?? {}).filter(([, value]) => value !== undefined));
  const authority = new SessionAuthority(
    { ...businessRegistrySandboxDevCredentials, ...defined },
    { ...(options.sessionTtlSeconds !== undefined && { sessionTtlSeconds: options.sessionTtlSeconds }), ...(options.now && { now: options.now }) },
  );
  const route = (operation: string, register: (typeof registers)[keyof typeof registers]) => ({
    operation,
    method: 'GET' as const,
    answer: (url: URL) => answerLookup(register, url.searchParams),
  });
  const sandbox = await startRestSandbox(
    {
      authRoutes: { [businessRegistryLoginPath]: (request, response) => authority.handleLogin(request, response) },
      authorize(request, response) {
        const check = authority.checkCall(request);
        if (!check.ok) sendSessionRejection(response, check.reason);
        return check.ok;
      },
      rejectExpired: (response) => sendSessionRejection(response, 'expired'),
      systemError: registrySystemError,
      routes: {
        [`${businessRegistryServicePath}/DoanhNghiep/chiTietDoanhNghiep`]: route(businessRegistryOperations.enterprise, registers.enterprises),
        [`${businessRegistryServicePath}/HoKinhDoanh/chiTietHoKinhDoanh`]: route(businessRegistryOperations.householdBusiness, registers.householdBusinesses),
        [`${businessRegistryServicePath}/HopTacXa/chiTietHopTacXa`]: route(businessRegistryOperations.cooperative, registers.cooperatives),
      },
    },
    options,
  );
  return { ...sandbox, loginUrl: `${sandbox.baseUrl}${businessRegistryLoginPath}`, serviceUrl: `${sandbox.baseUrl}${businessRegistryServicePath}` };
}
