import { PasswordGrantAuthority, sendBearerRejection, type PasswordGrantAccount } from './password-grant-authority.js';
import { startRestSandbox, type RestAnswer, type RestSandbox, type RestSandboxRoute } from './rest-sandbox.js';

/**
 * A REST/JSON upstream behind an OAuth2 password-grant token endpoint (the
 * provincial land system, the civil-status database): the token route, the
 * bearer check on every data call and the expired-token answer, shared, so a
 * sandbox of such an upstream brings only its routes and its error envelope.
 */
export interface PasswordGrantRestSandboxOptions {
  /** The development account; `credentials` are merged over it. */
  account: Required<PasswordGrantAccount>;
  credentials?: Partial<PasswordGrantAccount>;
  tokenPath: string;
  routes: Record<string, RestSandboxRoute>;
  /** The upstream's own "system error" envelope (the REST counterpart of a SOAP fault). */
  systemError(): RestAnswer;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  tokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  now?: () => number;
}

export interface PasswordGrantRestSandbox extends RestSandbox {
  tokenUrl: string;
  authority: PasswordGrantAuthority;
}

export async function startPasswordGrantRestSandbox(options: PasswordGrantRestSandboxOptions): Promise<PasswordGrantRestSandbox> {
  const authority = new PasswordGrantAuthority({
    account: { ...options.account, ...definedOnly(options.credentials ?? {}) },
    ...(options.tokenTtlSeconds !== undefined && { accessTokenTtlSeconds: options.tokenTtlSeconds }),
    ...(options.refreshTokenTtlSeconds !== undefined && { refreshTokenTtlSeconds: options.refreshTokenTtlSeconds }),
    ...(options.now && { now: options.now }),
  });
  const sandbox = await startRestSandbox(
    {
      authRoutes: { [options.tokenPath]: (request, response) => authority.handleTokenRequest(request, response) },
      authorize(request, response) {
        const check = authority.checkBearer(request);
        if (!check.ok) sendBearerRejection(response, check);
        return check.ok;
      },
      rejectExpired: (response) => sendBearerRejection(response, { ok: false, reason: 'expired' }),
      systemError: options.systemError,
      routes: options.routes,
    },
    { ...(options.host !== undefined && { host: options.host }), ...(options.port !== undefined && { port: options.port }) },
  );
  return { ...sandbox, tokenUrl: `${sandbox.baseUrl}${options.tokenPath}`, authority };
}

/** A token from such a sandbox for the given account (client by HTTP Basic), as fixture recorders need one. */
export async function fetchPasswordGrantToken(tokenUrl: string, account: Required<PasswordGrantAccount>): Promise<string> {
  const { clientId, clientSecret, username, password } = account;
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });
  if (response.status !== 200) throw new Error(`token endpoint ${tokenUrl} answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
