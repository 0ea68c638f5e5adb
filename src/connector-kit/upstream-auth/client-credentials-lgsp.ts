import type { Dispatcher } from 'undici';
import type { JsonSchema } from '../json-schema.js';
import { basicClientAuthorization, refreshMoment, requestOAuth2Token } from './oauth2-token-endpoint.js';
import { SharedLogin } from './shared-login.js';
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

export function createClientCredentialsLgspAuth(options: {
  tokenUrl: string;
  credentials: ClientCredentialsLgspCredentials;
  timeoutMs?: number;
  /** Opens the connection like the upstream's own calls (address guard, client certificate): createUpstreamDispatcher. Absent: undici's global one. */
  dispatcher?: Dispatcher;
  now?: () => number;
}): UpstreamAuth {
  const { tokenUrl, credentials } = options;
  const now = options.now ?? Date.now;
  const lgspAccessToken = encodeLgspAccessToken(credentials);
  const authorization = basicClientAuthorization(credentials.clientId, credentials.clientSecret);

  let cached: CachedToken | undefined;

  async function login(): Promise<CachedToken> {
    const issued = await requestOAuth2Token({
      tokenUrl,
      form: { grant_type: 'client_credentials' },
      headers: { authorization },
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    });
    return { value: issued.accessToken, refreshAt: refreshMoment(now(), issued.expiresInSeconds) };
  }
  const shared = new SharedLogin(login, (token) => {
    cached = token;
  });

  return {
    scheme: 'oauth2-client-credentials+lgspaccesstoken',
    async headers(signal) {
      const token = cached && now() < cached.refreshAt ? cached : await shared.join(signal);
      return { authorization: `Bearer ${token.value}`, lgspaccesstoken: lgspAccessToken };
    },
    invalidate() {
      cached = undefined;
    },
  };
}
