import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyHttpFault, FaultController, handleFaultControlRequest } from '../../../src/sandbox-kit/fault-injection.js';
import { sendJson } from '../../../src/sandbox-kit/http-helpers.js';
import { PasswordGrantAuthority, sendBearerRejection, type PasswordGrantAccount } from '../../../src/sandbox-kit/password-grant-authority.js';
import { seededPeople } from '../../../src/sandbox-kit/people.js';
import { answerCertificateLookup, answerParcelSearch, landSystemBusy, type LandAnswer } from './operations.js';
import { seededLand } from './seed.js';

/**
 * Simulator of a provincial land database (CSDL đất đai) as the gateway
 * reaches it: an OAuth2 password-grant token endpoint in front of a REST/JSON
 * API with Vietnamese field names, seeded parcels and certificates of the
 * shared seeded people, and the same fault switches as every sandbox.
 * In-process only; the gateway starts it in embedded mode, tests on port 0.
 */

/** Development credentials; the same values as config/default.yaml, so embedded mode works without configuration. */
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

const routes: Record<string, { operation: string; answer: (query: URLSearchParams) => LandAnswer }> = {
  [`${landApiPath}/thua-dat`]: { operation: landOperations.parcels, answer: answerParcelSearch },
  [`${landApiPath}/giay-chung-nhan`]: { operation: landOperations.certificates, answer: answerCertificateLookup },
};

export async function startLandSandbox(options: LandSandboxOptions = {}): Promise<LandSandbox> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultController();
  const authority = new PasswordGrantAuthority({
    account: { ...landSandboxDevCredentials, ...definedOnly(options.credentials ?? {}) },
    ...(options.tokenTtlSeconds !== undefined && { accessTokenTtlSeconds: options.tokenTtlSeconds }),
    ...(options.refreshTokenTtlSeconds !== undefined && { refreshTokenTtlSeconds: options.refreshTokenTtlSeconds }),
    ...(options.now && { now: options.now }),
  });
  seededPeople();
  seededLand(); // build the land records now, not on the first call

  async function handleTokenCall(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const outcome = await applyHttpFault(faults.next('token'), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'soap-fault' || outcome === 'expired-token') {
      sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      return;
    }
    await authority.handleTokenRequest(request, response);
  }

  async function handleDataCall(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const route = routes[url.pathname]!;
    if (request.method !== 'GET') {
      sendJson(response, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      return;
    }
    const check = authority.checkBearer(request);
    if (!check.ok) {
      sendBearerRejection(response, check);
      return;
    }
    const outcome = await applyHttpFault(faults.next(route.operation), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') {
      sendBearerRejection(response, { ok: false, reason: 'expired' });
      return;
    }
    // The REST counterpart of a SOAP fault: the land system's own error envelope with a 500.
    const answer = outcome === 'soap-fault' ? landSystemBusy() : route.answer(url.searchParams);
    sendJson(response, answer.status, answer.body);
  }

  const server = http.createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: 'sandbox_error' });
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (await handleFaultControlRequest(faults, request, response)) return;
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const pathname = url.pathname.replace(/\/$/, '');
    if (pathname === landTokenPath) return handleTokenCall(request, response);
    if (routes[pathname]) return handleDataCall(request, response, new URL(pathname + url.search, url));
    sendJson(response, 404, { error: 'not_found' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    baseUrl,
    tokenUrl: `${baseUrl}${landTokenPath}`,
    apiUrl: `${baseUrl}${landApiPath}`,
    faults,
    authority,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging exchanges and keep-alive sockets would otherwise hold close() forever.
        server.closeAllConnections();
      }),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
