import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody, sendJson } from './http-helpers.js';

/**
 * How the national data-sharing platform (NDXP/LGSP) guards the services behind
 * it (REFERENCE.md, "How provinces reach national systems"): an OAuth2
 * client-credentials token endpoint, and on every call both
 * `Authorization: Bearer <token>` and `lgspaccesstoken` = base64 of
 * `{"AccessKey","SecretKey","AppName","PartnerCode","PartnerCodeCus"}`.
 * Every sandbox of a national upstream reuses this.
 *
 * Rejections are answered by the platform's gateway, not by the SOAP service:
 * plain HTTP 401/403 with a small JSON body, never a SOAP Fault. The body
 * shape (RFC 6750 error codes) is an assumption.
 */
export interface PlatformCredentials {
  clientId: string;
  clientSecret: string;
  accessKey: string;
  secretKey: string;
  appName: string;
  partnerCode: string;
  /** Checked only when set: many provinces are not issued one. */
  partnerCodeCus?: string;
}

export interface PlatformAuthOptions {
  credentials: PlatformCredentials;
  tokenTtlSeconds?: number;
  now?: () => number;
}

export type CallCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string };

const defaultTokenTtlSeconds = 3600;

export class PlatformAuthority {
  private readonly tokens = new Map<string, number>();
  private readonly credentials: PlatformCredentials;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(options: PlatformAuthOptions) {
    this.credentials = options.credentials;
    this.ttlSeconds = options.tokenTtlSeconds ?? defaultTokenTtlSeconds;
    this.now = options.now ?? Date.now;
  }

  /** `POST /token`: form `grant_type=client_credentials`, client authenticated by HTTP Basic (or form fields). */
  async handleTokenRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      sendJson(response, 405, { error: 'invalid_request', error_description: 'use POST' }, { allow: 'POST' });
      return;
    }
    const form = new URLSearchParams((await readRequestBody(request, 10_000)).toString('utf8'));
    const client = basicClient(request.headers.authorization) ?? formClient(form);
    if (!client || !safeEqual(client.id, this.credentials.clientId) || !safeEqual(client.secret, this.credentials.clientSecret)) {
      sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' }, {
        'www-authenticate': 'Basic realm="token"',
      });
      return;
    }
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
      return;
    }
    this.pruneExpired();
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + this.ttlSeconds * 1000);
    sendJson(response, 200, { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds, scope: 'default' });
  }

  /** Checks the two headers of a data call; the bearer token first, as the platform's gateway does. */
  checkCall(request: IncomingMessage): CallCheck {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer) return { ok: false, status: 401, reason: 'missing' };
    const expiresAt = this.tokens.get(bearer);
    if (expiresAt === undefined) return { ok: false, status: 401, reason: 'invalid' };
    if (this.now() >= expiresAt) return { ok: false, status: 401, reason: 'expired' };
    return this.lgspAccessTokenMatches(request.headers.lgspaccesstoken) ? { ok: true } : { ok: false, status: 403, reason: 'lgspaccesstoken' };
  }

  private lgspAccessTokenMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string' || header === '') return false;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
    } catch {
      return false;
    }
    const expected: Array<[string, string | undefined]> = [
      ['AccessKey', this.credentials.accessKey],
      ['SecretKey', this.credentials.secretKey],
      ['AppName', this.credentials.appName],
      ['PartnerCode', this.credentials.partnerCode],
      ['PartnerCodeCus', this.credentials.partnerCodeCus || undefined],
    ];
    return expected.every(([key, value]) => value === undefined || (typeof claims[key] === 'string' && safeEqual(claims[key], value)));
  }

  /** Forgets every token, as a restarted upstream does: the next call with an old token gets a 401. */
  revokeAll(): void {
    this.tokens.clear();
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.tokens) if (now >= expiresAt) this.tokens.delete(token);
  }
}

/** The 401/403 the platform's gateway answers; also used for the `expired-token` fault. */
export function sendPlatformRejection(response: ServerResponse, check: Exclude<CallCheck, { ok: true }>): void {
  if (check.status === 403) {
    sendJson(response, 403, { error: 'access_denied', error_description: 'lgspaccesstoken is missing or does not match the partner' });
    return;
  }
  const description =
    check.reason === 'expired' ? 'The access token expired' : check.reason === 'missing' ? 'Bearer token required' : 'The access token is invalid';
  sendJson(response, 401, { error: 'invalid_token', error_description: description }, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  });
}

export function basicClient(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function formClient(form: URLSearchParams): { id: string; secret: string } | undefined {
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}

export function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The header value a client sends (the gateway's own encoder: sandbox and client must agree byte for byte). */
export { encodeLgspAccessToken } from '../../src/connector-kit/upstream-auth/client-credentials-lgsp.js';
