import type { Dispatcher } from 'undici';
import type { JsonSchema } from '../json-schema.js';
import { UpstreamError } from '../upstream-errors.js';
import { basicClientAuthorization, refreshMoment, requestOAuth2Token, type IssuedToken } from './oauth2-token-endpoint.js';
import { SharedLogin } from './shared-login.js';
import type { UpstreamAuth } from './upstream-auth.js';

/**
 * OAuth2 resource-owner password grant (RFC 6749 §4.3), as provincial land
 * systems use it (REFERENCE.md): the province logs in with a service account
 * of the land system, gets an access token and a refresh token, renews with
 * the refresh token before the access token expires, and logs in with the
 * password again when the refresh token is refused or gone.
 */
export interface PasswordGrantCredentials {
  clientId: string;
  /** Absent for a public client: client_id then rides in the form. */
  clientSecret?: string;
  username: string;
  password: string;
  scope?: string;
}

export const passwordGrantCredentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['clientId', 'username', 'password'],
  properties: {
    clientId: { type: 'string', minLength: 1, description: 'OAuth2 client id of the gateway at the upstream token endpoint.' },
    clientSecret: { type: 'string', minLength: 1, 'x-secret': true, writeOnly: true, description: 'Absent for a public client.' },
    username: { type: 'string', minLength: 1, description: 'Service account the upstream issued to the province.' },
    password: { type: 'string', minLength: 1, 'x-secret': true, writeOnly: true },
    scope: { type: 'string', description: 'Scopes to ask for, space-separated, when the upstream wants them.' },
  },
} as const satisfies JsonSchema;

interface Session {
  accessToken: string;
  refreshAt: number;
  refreshToken?: string;
  /** Past this moment the refresh token is known dead: log in instead. */
  refreshUntil?: number;
}

export function createPasswordGrantAuth(options: {
  tokenUrl: string;
  credentials: PasswordGrantCredentials;
  timeoutMs?: number;
  /** Opens the connection like the upstream's own calls (address guard, client certificate): createUpstreamDispatcher. Absent: undici's global one. */
  dispatcher?: Dispatcher;
  now?: () => number;
}): UpstreamAuth {
  const { tokenUrl, credentials } = options;
  const now = options.now ?? Date.now;
  const clientAuthentication: { headers: Record<string, string>; form: Record<string, string> } = credentials.clientSecret
    ? { headers: { authorization: basicClientAuthorization(credentials.clientId, credentials.clientSecret) }, form: {} }
    : { headers: {}, form: { client_id: credentials.clientId } };

  let session: Session | undefined;

  const grant = (form: Record<string, string>): Promise<IssuedToken> =>
    requestOAuth2Token({
      tokenUrl,
      form: { ...form, ...clientAuthentication.form, ...(credentials.scope && { scope: credentials.scope }) },
      headers: clientAuthentication.headers,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    });

  function sessionOf(issued: IssuedToken, previousRefreshToken?: string): Session {
    const issuedAt = now();
    // Some servers rotate refresh tokens, some keep the first: keep whichever is current.
    const refreshToken = issued.refreshToken ?? previousRefreshToken;
    return {
      accessToken: issued.accessToken,
      refreshAt: refreshMoment(issuedAt, issued.expiresInSeconds),
      ...(refreshToken !== undefined && { refreshToken }),
      ...(issued.refreshExpiresInSeconds !== undefined && { refreshUntil: issuedAt + issued.refreshExpiresInSeconds * 1000 }),
    };
  }

  const login = async (): Promise<Session> =>
    sessionOf(await grant({ grant_type: 'password', username: credentials.username, password: credentials.password }));

  async function renew(current: Session | undefined): Promise<Session> {
    const refreshToken = current?.refreshToken;
    if (refreshToken === undefined || (current?.refreshUntil !== undefined && now() >= current.refreshUntil)) return login();
    try {
      return sessionOf(await grant({ grant_type: 'refresh_token', refresh_token: refreshToken }), refreshToken);
    } catch (error) {
      // A refused refresh token (expired, revoked, server restarted) is routine: log in with the password.
      if (error instanceof UpstreamError && error.kind === 'auth') return login();
      throw error;
    }
  }

  const shared = new SharedLogin(
    () => renew(session),
    (renewed) => {
      session = renewed;
    },
  );

  return {
    scheme: 'oauth2-password',
    async headers(signal) {
      const current = session && now() < session.refreshAt ? session : await shared.join(signal);
      return { authorization: `Bearer ${current.accessToken}` };
    },
    invalidate() {
      // The upstream refused the access token: its refresh token is not to be trusted either.
      session = undefined;
    },
  };
}
