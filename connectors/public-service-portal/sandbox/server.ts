import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHttpFault, FaultController, handleFaultControlRequest } from '../../../simulators/kit/fault-injection.js';
import { readRequestBody, sendJson } from '../../../simulators/kit/http-helpers.js';
import { startSandboxHttpServer } from '../../../simulators/kit/sandbox-http-server.js';
import { SessionAuthority, type SessionAccount } from '../../../simulators/kit/session-authority.js';
import { handleChaosControlRequest, PortalChaos } from './chaos.js';
import { DossierRegistry, type JournalEntry, type StoredDossier } from './dossier-registry.js';
import { catalogAnswers, portalErrors, portalSystemError, type PortalRequest } from './operations.js';
import { seededCatalog } from './seed.js';

/**
 * Simulator of the National Public Service Portal as a province reaches it:
 * through the provincial bus adapter, after a session login with `dstcode`,
 * every service one JSON POST `{session, madonvi, service, ...}` to one path.
 * Seeded with a deterministic procedure catalog (seed.ts), with sessions that
 * expire and the fault switches every sandbox shares (scoped by `service`
 * name, or `token` for the login). Counts the calls per service, so tests can
 * prove what the gateway's cache spared the upstream. Keeps every dossier and
 * progress step it accepted (dossier-registry.ts), and plays an answer lost
 * after the write and failures at random (chaos.ts). In-process only.
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
  /** Accept-then-time-out and failures at random (chaos.ts); `chaos.clear()` switches both off. */
  chaos: PortalChaos;
  /** Every dossier accepted, by MaHoSo: the latest item, every version, every progress step, in order. */
  dossiers: ReadonlyMap<string, StoredDossier>;
  /** Every accepted write across dossiers, in the order the portal accepted them. */
  journal: readonly JournalEntry[];
  /** Forgets every dossier (between tests). */
  clearDossiers(): void;
  /** Data calls that reached a service (faulted or not) since start or the last reset. */
  calls(service?: string): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startPublicServicePortalSandbox(
  options: {
    host?: string;
    port?: number;
    credentials?: Partial<SessionAccount>;
    sessionTtlSeconds?: number;
    now?: () => number;
    /** The dossier services' `error_code` on success: 0 (default) or "00", as the two portal versions answer. */
    successCode?: 0 | '00';
  } = {},
): Promise<PublicServicePortalSandbox> {
  seededCatalog(); // build the catalog now, not on the first call
  const defined = Object.fromEntries(Object.entries(options.credentials ?? {}).filter(([, value]) => value !== undefined));
  const authority = new SessionAuthority(
    { ...publicServicePortalSandboxDevCredentials, ...defined },
    { ...(options.sessionTtlSeconds !== undefined && { sessionTtlSeconds: options.sessionTtlSeconds }), ...(options.now && { now: options.now }) },
  );
  const faults = new FaultController();
  const chaos = new PortalChaos();
  const registry = new DossierRegistry(options.successCode);
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
      body = JSON.parse((await readRequestBody(request, 2_000_000)).toString('utf8')) as PortalRequest;
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
    if (outcome === 'soap-fault') return sendJson(response, 200, portalSystemError().body);
    if (await chaos.failAtRandom(name, request, response)) return;
    const handler = catalogAnswers[name] ?? registry.services[name];
    const answer = handler?.(body) ?? { status: 200, body: portalErrors.unknownService };
    // The write above is kept whatever happens to its answer.
    if (await chaos.loseAnswer(name, request, response)) return;
    sendJson(response, answer.status, answer.body);
  }

  const { baseUrl, close } = await startSandboxHttpServer(async (request, response) => {
    if (await handleFaultControlRequest(faults, request, response)) return;
    if (await handleChaosControlRequest(chaos, request, response)) return;
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
    chaos,
    get dossiers() {
      return registry.dossiers;
    },
    get journal() {
      return registry.journal;
    },
    clearDossiers: () => registry.clear(),
    calls: (name) => (name === undefined ? [...counts.values()].reduce((sum, count) => sum + count, 0) : (counts.get(name) ?? 0)),
    resetCalls: () => counts.clear(),
    close,
  };
}
