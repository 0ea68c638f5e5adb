import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody, sendJson } from '../../../simulators/kit/http-helpers.js';
import { PlatformAuthority, sendPlatformRejection, type PlatformCredentials } from '../../../simulators/kit/platform-auth.js';
import { seededPeople } from '../../../simulators/kit/people.js';
import { startRestSandbox, type RestAnswer, type RestSandbox } from '../../../simulators/kit/rest-sandbox.js';
import { judicialRecordsServices } from '../client.js';
import { lltpAnswers, RequestRegistry, type JournalEntry, type StoredRequest } from './request-registry.js';
import type { Advance } from './seed.js';

/**
 * Simulator of the judicial records system as a province reaches it through
 * the national data-sharing platform: OAuth2 token endpoint + lgspaccesstoken,
 * then JSON POSTs under one service path answered `{statusCode, errorDetail,
 * data}`. Applicants are the seeded citizens (simulators/kit/people.ts).
 * Keeps every request (request-registry.ts), the shared fault switches, and
 * can lose the answer of a lodging it stored (`loseNextSubmitAnswers`), the
 * case that makes re-delivery dangerous. In-process only.
 */

/** Development credentials; embedded mode's config for this connector (embedded.ts). */
export const judicialRecordsSandboxDevCredentials: Readonly<Required<PlatformCredentials>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-judicial-records-client-secret',
  accessKey: 'dev-only-judicial-records-access-key',
  secretKey: 'dev-only-judicial-records-secret-key',
  appName: 'LGSP-DEV',
  partnerCode: '000.00.00.H22',
  partnerCodeCus: '000.00.01.H22',
});

export const judicialRecordsServicePath = '/lltp/v2';
/** POST `{dossierCode, to, reason?, dueDate?, criminalRecord?}`: moves a request on, for a developer clicking through (tests call advance()). */
export const advanceControlPath = '/__sandbox/requests/advance';
const advanceSteps = new Set(['processing', 'supplement-requested', 'refused', 'result-ready', 'result-returned']);

export interface JudicialRecordsSandbox extends RestSandbox {
  tokenUrl: string;
  /** `{baseUrl}/lltp/v2`: the services are POSTs below it. */
  serviceUrl: string;
  requests: ReadonlyMap<string, StoredRequest>;
  /** Every lodging attempt that reached the registry, in order: `lodged` once per dossier, `refused-duplicate` for each repeat. */
  journal: readonly JournalEntry[];
  /** Moves a request on (processing, refused, result ready...). */
  advance(dossierCode: string, step: Advance): void;
  /** The next `times` lodgings are stored, then their connection is dropped before any answer. */
  loseNextSubmitAnswers(times: number): void;
  /** Back to the seeded requests alone (seed.ts), journal emptied. */
  resetRequests(): void;
}

export async function startJudicialRecordsSandbox(
  options: { host?: string; port?: number; credentials?: Partial<PlatformCredentials>; tokenTtlSeconds?: number; now?: () => number } = {},
): Promise<JudicialRecordsSandbox> {
  seededPeople(); // build the people now, not on the first call
  const defined = Object.fromEntries(Object.entries(options.credentials ?? {}).filter(([, value]) => value !== undefined));
  const authority = new PlatformAuthority({
    credentials: { ...judicialRecordsSandboxDevCredentials, ...defined },
    ...(options.tokenTtlSeconds !== undefined && { tokenTtlSeconds: options.tokenTtlSeconds }),
    ...(options.now && { now: options.now }),
  });
  const registry = new RequestRegistry();
  let answersToLose = 0;

  const jsonRoute = (operation: string, handle: (body: unknown, request: IncomingMessage) => RestAnswer) => ({
    operation,
    method: 'POST' as const,
    async answer(_url: URL, request: IncomingMessage): Promise<RestAnswer> {
      let body: unknown;
      try {
        body = JSON.parse((await readRequestBody(request, 2_000_000)).toString('utf8'));
      } catch {
        return { status: 400, body: lltpAnswers.invalid('JSON') };
      }
      return handle(body, request);
    },
  });

  async function advanceControl(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' }, { allow: 'POST' });
    let body: { dossierCode?: unknown; to?: unknown; reason?: unknown; dueDate?: unknown; criminalRecord?: unknown };
    try {
      body = JSON.parse((await readRequestBody(request, 10_000)).toString('utf8')) as typeof body;
    } catch {
      return sendJson(response, 400, { error: 'body must be JSON' });
    }
    const needsReason = body.to === 'refused' || body.to === 'supplement-requested';
    if (typeof body.dossierCode !== 'string' || typeof body.to !== 'string' || !advanceSteps.has(body.to) || (needsReason && typeof body.reason !== 'string')) {
      return sendJson(response, 400, { error: `dossierCode and to (${[...advanceSteps].join(', ')}) are required; refused and supplement-requested need a reason` });
    }
    if (!registry.requests.has(body.dossierCode)) return sendJson(response, 404, { error: 'no such request' });
    registry.advance(body.dossierCode, { to: body.to, reason: body.reason, criminalRecord: body.criminalRecord === true, ...(typeof body.dueDate === 'string' && { dueDate: body.dueDate }) } as Advance);
    sendJson(response, 200, { dossierCode: body.dossierCode, status: registry.requests.get(body.dossierCode)!.status });
  }

  const sandbox = await startRestSandbox(
    {
      authRoutes: { '/token': (request, response) => authority.handleTokenRequest(request, response) },
      authorize(request, response) {
        const check = authority.checkCall(request);
        if (!check.ok) sendPlatformRejection(response, check);
        return check.ok;
      },
      rejectExpired: (response) => sendPlatformRejection(response, { ok: false, status: 401, reason: 'expired' }),
      systemError: () => ({ status: 500, body: lltpAnswers.interrupted }),
      controlRoutes: { [advanceControlPath]: advanceControl },
      routes: {
        [`${judicialRecordsServicePath}/${judicialRecordsServices.submit}`]: jsonRoute(judicialRecordsServices.submit, (body, request) => {
          const answer = registry.submit(body);
          if (answersToLose > 0) {
            // Stored above; the answer never leaves: the client sees a dropped connection.
            answersToLose -= 1;
            request.socket.destroy();
          }
          return answer;
        }),
        [`${judicialRecordsServicePath}/${judicialRecordsServices.lookUp}`]: jsonRoute(judicialRecordsServices.lookUp, (body) => registry.lookUp(body)),
      },
    },
    options,
  );
  return {
    ...sandbox,
    tokenUrl: `${sandbox.baseUrl}/token`,
    serviceUrl: `${sandbox.baseUrl}${judicialRecordsServicePath}`,
    get requests() {
      return registry.requests;
    },
    get journal() {
      return registry.journal;
    },
    advance: (dossierCode, step) => registry.advance(dossierCode, step),
    loseNextSubmitAnswers(times) {
      if (!Number.isInteger(times) || times < 1) throw new TypeError('times must be a positive integer');
      answersToLose = times;
    },
    resetRequests: () => registry.reset(),
  };
}
