import { request } from 'undici';
import type { JsonSchema } from '../../contracts/json-schema.js';
import { UpstreamError } from '../upstream-errors.js';
import type { UpstreamAuth } from './upstream-auth.js';

/**
 * The national data-sharing platform's scheme (REFERENCE.md): an OAuth2
 * client-credentials bearer token plus the `lgspaccesstoken` header, base64 of
 * the partner's access keys.
 */
export interface ClientCredentialsLgspCredentials {
  clientId: string;
  clientSecret: string;
  accessKey: string;
  secretKey: string;
  appName: string;
  partnerCode: string;
  partnerCodeCus?: string;
}

export const clientCredentialsLgspCredentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['clientId', 'clientSecret', 'accessKey', 'secretKey', 'appName', 'partnerCode'],
  properties: {
    clientId: { type: 'string', minLength: 1, description: 'OAuth2 client id issued by the data-sharing platform.' },
    clientSecret: { type: 'string', minLength: 1, 'x-secret': true, writeOnly: true },
    accessKey: { type: 'string', minLength: 1, description: 'AccessKey inside the lgspaccesstoken header.' },
    secretKey: { type: 'string', minLength: 1, 'x-secret': true, writeOnly: true },
    appName: { type: 'string', minLength: 1 },
    partnerCode: { type: 'string', minLength: 1, description: 'PartnerCode (the province).' },
    partnerCodeCus: { type: 'string', description: 'PartnerCodeCus (the calling unit), when the platform asks for it.' },
  },
} as const satisfies JsonSchema;

/** The `lgspaccesstoken` header value: base64 of the partner's keys as JSON, field names as the platform spells them. */
export function encodeLgspAccessToken(credentials: Omit<ClientCredentialsLgspCredentials, 'clientId' | 'clientSecret'>): string {
  return Buffer.from(
    JSON.stringify({
      AccessKey: credentials.accessKey,
      SecretKey: credentials.secretKey,
      AppName: credentials.appName,
      PartnerCode: credentials.partnerCode,
      PartnerCodeCus: credentials.partnerCodeCus ?? '',
    }),
  ).toString('base64');
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

/** Real clients refresh about five minutes early; short-lived tokens at 80 % of their life. */
function refreshMoment(now: number, expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return now + Math.max(Math.min(lifetimeMs - 300_000, lifetimeMs * 0.8), 0);
}

export function createClientCredentialsLgspAuth(options: {
  tokenUrl: string;
  credentials: ClientCredentialsLgspCredentials;
  timeoutMs?: number;
  now?: () => number;
}): UpstreamAuth {
  const { tokenUrl, credentials } = options;
  const now = options.now ?? Date.now;
  const lgspAccessToken = encodeLgspAccessToken(credentials);
  const basic = Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64');

  let cached: CachedToken | undefined;
  // One login at a time: a burst of calls after expiry must not stampede the token endpoint.
  let pending: Promise<CachedToken> | undefined;

  // Shared by every waiting call, so no single caller's abort may cancel it: it has its own timeout.
  async function login(): Promise<CachedToken> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 5000);
    let response;
    try {
      response = await request(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: 'grant_type=client_credentials',
        signal: timeout,
      });
    } catch (error) {
      const kind = timeout.aborted ? 'timeout' : 'connection';
      throw new UpstreamError(kind, `token endpoint unreachable (${kind})`, { cause: error });
    }
    const text = await response.body.text();
    if (response.statusCode === 400 || response.statusCode === 401 || response.statusCode === 403) {
      throw new UpstreamError('auth', `token endpoint refused the gateway's credentials (HTTP ${response.statusCode})`);
    }
    if (response.statusCode !== 200) {
      throw new UpstreamError('http', `token endpoint answered HTTP ${response.statusCode}`);
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new UpstreamError('garbage', 'token endpoint answered with a body that is not JSON', { cause: error });
    }
    if (typeof body.access_token !== 'string' || body.access_token.length === 0) {
      throw new UpstreamError('garbage', 'token endpoint answered without access_token');
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
    return { value: body.access_token, refreshAt: refreshMoment(now(), expiresIn) };
  }

  return {
    scheme: 'oauth2-client-credentials+lgspaccesstoken',
    async headers() {
      if (!cached || now() >= cached.refreshAt) {
        pending ??= login().finally(() => {
          pending = undefined;
        });
        cached = await pending;
      }
      return { authorization: `Bearer ${cached.value}`, lgspaccesstoken: lgspAccessToken };
    },
    invalidate() {
      cached = undefined;
    },
  };
}
