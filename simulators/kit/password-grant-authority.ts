import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody, sendJson } from './http-helpers.js';
import { basicClient, safeEqual } from './platform-auth.js';

/**
 * The token endpoint of an upstream that uses the OAuth2 password grant
 * (RFC 6749 §4.3 and §6), as provincial land systems do (REFERENCE.md): a
 * service account logs in with username and password, gets an access token
 * and a refresh token, and renews with `grant_type=refresh_token` (the
 * refresh token rotates). Data calls carry `Authorization: Bearer`.
 * Errors follow RFC 6749 §5.2 (`invalid_client` 401, `invalid_grant` 400...).
 */
export interface PasswordGrantAccount {
  clientId: string;
  /** When set, the client must authenticate (HTTP Basic, or client_secret in the form). */
  clientSecret?: string;
  username: string;
  password: string;
}

export interface PasswordGrantAuthorityOptions {
  account: PasswordGrantAccount;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  now?: () => number;
}

export type BearerCheck = { ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export class PasswordGrantAuthority {
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, number>();
  private account: PasswordGrantAccount;
  private readonly accessTtlSeconds: number;
  private readonly refreshTtlSeconds: number;
  private readonly now: () => number;
  /** How many tokens each grant type issued: lets tests see a refresh happen instead of a new login. */
  readonly issued = { password: 0, refresh_token: 0 };

  constructor(options: PasswordGrantAuthorityOptions) {
    this.account = options.account;
    this.accessTtlSeconds = options.accessTokenTtlSeconds ?? 1800;
    this.refreshTtlSeconds = options.refreshTokenTtlSeconds ?? 8 * 3600;
    this.now = options.now ?? Date.now;
  }

  /**
   * The upstream's own credential change (a password reset at the national
   * system): logins with the old values are refused from now on, tokens
   * already issued stay valid until they expire, as real token endpoints do.
   */
  changeAccount(changes: Partial<PasswordGrantAccount>): void {
    this.account = { ...this.account, ...changes };
  }

  async handleTokenRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      sendJson(response, 405, { error: 'invalid_request', error_description: 'use POST' }, { allow: 'POST' });
      return;
    }
    const form = new URLSearchParams((await readRequestBody(request, 10_000)).toString('utf8'));
    if (!this.clientAuthenticated(request, form)) {
      sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' }, { 'www-authenticate': 'Basic realm="token"' });
      return;
    }
    this.pruneExpired();
    switch (form.get('grant_type')) {
      case 'password': {
        const username = form.get('username') ?? '';
        const password = form.get('password') ?? '';
        if (!safeEqual(username, this.account.username) || !safeEqual(password, this.account.password)) {
          sendJson(response, 400, { error: 'invalid_grant', error_description: 'Invalid username or password' });
          return;
        }
        this.issued.password += 1;
        sendJson(response, 200, this.issueTokens());
        return;
      }
      case 'refresh_token': {
        const refreshToken = form.get('refresh_token') ?? '';
        const expiresAt = this.refreshTokens.get(refreshToken);
        if (expiresAt === undefined || this.now() >= expiresAt) {
          sendJson(response, 400, { error: 'invalid_grant', error_description: 'Invalid or expired refresh token' });
          return;
        }
        // Rotation: a refresh token is good once.
        this.refreshTokens.delete(refreshToken);
        this.issued.refresh_token += 1;
        sendJson(response, 200, this.issueTokens());
        return;
      }
      default:
        sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'grant_type must be password or refresh_token' });
    }
  }

  checkBearer(request: IncomingMessage): BearerCheck {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer) return { ok: false, reason: 'missing' };
    const expiresAt = this.accessTokens.get(bearer);
    if (expiresAt === undefined) return { ok: false, reason: 'invalid' };
    if (this.now() >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true };
  }

  /** Forgets every token, as a restarted upstream does. */
  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  private issueTokens(): Record<string, unknown> {
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    this.accessTokens.set(accessToken, this.now() + this.accessTtlSeconds * 1000);
    this.refreshTokens.set(refreshToken, this.now() + this.refreshTtlSeconds * 1000);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTtlSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: this.refreshTtlSeconds,
    };
  }

  private clientAuthenticated(request: IncomingMessage, form: URLSearchParams): boolean {
    const basic = basicClient(request.headers.authorization);
    const id = basic?.id ?? form.get('client_id');
    const secret = basic?.secret ?? form.get('client_secret') ?? undefined;
    if (id === null || !safeEqual(id, this.account.clientId)) return false;
    return this.account.clientSecret === undefined || (secret !== undefined && safeEqual(secret, this.account.clientSecret));
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const tokens of [this.accessTokens, this.refreshTokens]) {
      for (const [token, expiresAt] of tokens) if (now >= expiresAt) tokens.delete(token);
    }
  }
}

/** The 401 a bearer-protected REST upstream answers (RFC 6750 §3). */
export function sendBearerRejection(response: ServerResponse, check: Exclude<BearerCheck, { ok: true }>): void {
  const description = check.reason === 'expired' ? 'The access token expired' : check.reason === 'missing' ? 'Bearer token required' : 'The access token is invalid';
  sendJson(response, 401, { error: 'invalid_token', error_description: description }, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  });
}
