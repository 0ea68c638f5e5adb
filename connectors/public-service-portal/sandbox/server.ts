import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHttpFault, FaultController, handleFaultControlRequest } from '../../../simulators/kit/fault-injection.js';
import { readRequestBody, sendJson } from '../../../simulators/kit/http-helpers.js';
import { startSandboxHttpServer } from '../../../simulators/kit/sandbox-http-server.js';
import { SessionAuthority, type SessionAccount } from '../../../simulators/kit/session-authority.js';
import { catalogAnswers, portalErrors, portalSystemError, type PortalRequest } from './operations.js';
import { seededCatalog } from './seed.js';

/**
 * Simulator of the National Public Service Portal as a province reaches it:
 * through the provincial bus adapter, after a session login with `dstcode`,
 * every service one JSON POST `{session, madonvi, service, ...}` to one path.
 * Seeded with a deterministic procedure catalog (seed.ts), with sessions that
 * expire and the fault switches every sandbox shares (scoped by `service`
 * name, or `token` for the login). Counts the calls per service, so tests can
 * prove what the gateway's cache spared the upstream. In-process only.
 */

/** Development account; embedded mode's config for this connector (embedded.ts). */
export const publicServicePortalSandboxDevCredentials: Readonly<SessionAccount> = Object.freeze({
  username: 'lgsp-dev-province',
  password: 'dev-only-public-service-portal-password',
  dstcode: 'VN:GOV:G22:DVCQG',
});

export const publicServicePortalLoginPath = '/login';
export const publicServicePortalServicePath = '/dvcqg';

export interface PublicServicePortalSandbox {
  baseUrl: string;
  loginUrl: string;
  /** `{baseUrl}/dvcqg`: every service is a POST here. */
  serviceUrl: string;
  faults: FaultController;
  /** Data calls that reached a service (faulted or not) since start or the last reset. */
  calls(service?: string): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startPublicServicePortalSandbox(
  options: { host?: string; port?: number; credentials?: Partial<SessionAccount>; sessionTtlSeconds?: number; now?: () => number } = {},
): Promise<PublicServicePortalSandbox> {
  seededCatalog(); // build the catalog now, not on the first call
  const defined = Object.fromEntries(Object.entries(options.credentials ?? {}).filter(([, value]) => value !== undefined));
  const authority = new SessionAuthority(
    { ...publicServicePortalSandboxDevCredentials, ...defined },
    { ...(options.sessionTtlSeconds !== undefined && { sessionTtlSeconds: options.sessionTtlSeconds }), ...(options.now && { now: options.now }) },
  );
  const faults = new FaultController();
  const counts = new Map<string, number>();

  async function login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const outcome = await applyHttpFault(faults.next('token'), request, response);
    if (outcome === 'handled') return;
    if (outcome !== 'continue') return sendJson(response, 200, portalErrors.systemError);
    await authority.handleLogin(request, response);
  }

  async function service(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, { error_code: 405, message: 'Chỉ hỗ trợ POST' }, { allow: 'POST' });
    let body: PortalRequest;
    try {
      body = JSON.parse((await readRequestBody(request, 100_000)).toString('utf8')) as PortalRequest;
      if (!body || typeof body !== 'object') throw new TypeError('not an object');
    } catch {
      return sendJson(response, 200, portalErrors.invalidParameter);
    }
    const name = typeof body.service === 'string' ? body.service : '';
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const check = authority.checkSession(body.session, request.headers.dstcode);
    if (!check.ok) return sendJson(response, 200, portalErrors.sessionRejected);
    const outcome = await applyHttpFault(faults.next(name), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') return sendJson(response, 200, portalErrors.sessionRejected);
    const answer = outcome === 'soap-fault' ? portalSystemError() : (catalogAnswers[name]?.(body) ?? { status: 200, body: portalErrors.unknownService });
    sendJson(response, answer.status, answer.body);
  }

  const { baseUrl, close } = await startSandboxHttpServer(async (request, response) => {
    if (await handleFaultControlRequest(faults, request, response)) return;
    const pathname = new URL(request.url ?? '/', 'http://sandbox').pathname.replace(/\/$/, '');
    if (pathname === publicServicePortalLoginPath) return login(request, response);
    if (pathname === publicServicePortalServicePath) return service(request, response);
    sendJson(response, 404, { error: 'not_found' });
  }, options);

  return {
    baseUrl,
    loginUrl: `${baseUrl}${publicServicePortalLoginPath}`,
    serviceUrl: `${baseUrl}${publicServicePortalServicePath}`,
    faults,
    calls: (name) => (name === undefined ? [...counts.values()].reduce((sum, count) => sum + count, 0) : (counts.get(name) ?? 0)),
    resetCalls: () => counts.clear(),
    close,
  };
}
