import { request, type Dispatcher } from 'undici';
import { loginAnswerMaxBytes, readBoundedBody } from '../bounded-body.js';
import { UpstreamError } from '../upstream-errors.js';
import { redirectRefused } from '../upstream-redirect.js';
import { noAnswerFailure } from '../upstream-transport.js';

/**
 * One call to an OAuth2 token endpoint (RFC 6749 §3.2), shared by every
 * upstream auth scheme that logs in with a form POST: client credentials,
 * password grant, refresh token. Failures leave as UpstreamError kinds:
 * refused credentials are `auth`, anything else the endpoint's health.
 */
export interface IssuedToken {
  accessToken: string;
  /** Seconds; 300 when the endpoint does not say. */
  expiresInSeconds: number;
  refreshToken?: string;
  /** Seconds the refresh token lives, when the endpoint says (Keycloak-style `refresh_expires_in`). */
  refreshExpiresInSeconds?: number;
}

export async function requestOAuth2Token(options: {
  tokenUrl: string;
  form: Record<string, string>;
  headers?: Record<string, string>;
  /** The login is shared by every waiting call, so no single caller's abort may cancel it: it has its own timeout. */
  timeoutMs?: number;
  /** Opens the connection like the upstream's own calls (address guard, client certificate): createUpstreamDispatcher. Absent: undici's global one. */
  dispatcher?: Dispatcher;
}): Promise<IssuedToken> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 5000);
  let response;
  try {
    response = await request(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...options.headers },
      body: new URLSearchParams(options.form).toString(),
      signal: timeout,
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    });
  } catch (error) {
    throw noAnswerFailure(error, { timedOut: timeout.aborted, what: 'token endpoint' });
  }
  const text = (await readBoundedBody(response.body, loginAnswerMaxBytes, response.headers['content-length'])).toString('utf8');
  const redirect = redirectRefused({ status: response.statusCode, location: response.headers.location, requestUrl: options.tokenUrl }, 'settings.tokenUrl');
  if (redirect) throw redirect;
  if (response.statusCode === 400 || response.statusCode === 401 || response.statusCode === 403) {
    throw new UpstreamError('auth', `token endpoint refused the gateway's credentials (HTTP ${response.statusCode})`, { upstreamCode: oauthErrorOf(text), httpStatus: response.statusCode });
  }
  if (response.statusCode !== 200) {
    throw new UpstreamError('http', `token endpoint answered HTTP ${response.statusCode}`, { upstreamCode: String(response.statusCode) });
  }
  let body: { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown; refresh_expires_in?: unknown };
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new UpstreamError('garbage', 'token endpoint answered with a body that is not JSON', { cause: error });
  }
  if (typeof body.access_token !== 'string' || body.access_token.length === 0) {
    throw new UpstreamError('garbage', 'token endpoint answered without access_token');
  }
  return {
    accessToken: body.access_token,
    expiresInSeconds: positiveSeconds(body.expires_in) ?? 300,
    ...(typeof body.refresh_token === 'string' && body.refresh_token !== '' && { refreshToken: body.refresh_token }),
    ...(positiveSeconds(body.refresh_expires_in) !== undefined && { refreshExpiresInSeconds: positiveSeconds(body.refresh_expires_in) }),
  };
}

/** Real clients refresh about five minutes early; short-lived tokens at 80 % of their life. */
export function refreshMoment(now: number, expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return now + Math.max(Math.min(lifetimeMs - 300_000, lifetimeMs * 0.8), 0);
}

/** `client_id:client_secret` for HTTP Basic, each form-encoded first (RFC 6749 §2.3.1). */
export function basicClientAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** Numbers sometimes arrive as strings ("3600"). */
function positiveSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** The RFC 6749 `error` code of a refusal (`invalid_grant`...), for diagnostics; never the description. */
function oauthErrorOf(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'string' ? error.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}
