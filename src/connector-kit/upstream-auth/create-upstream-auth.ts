import type { Dispatcher } from 'undici';
import type { SettingsOf } from '../settings.js';
import { clientCredentialsLgspCredentialSchema, createClientCredentialsLgspAuth } from './client-credentials-lgsp.js';
import { createMessageChecksumAuth, type messageChecksumCredentialSchema } from './message-checksum.js';
import { createPasswordGrantAuth, passwordGrantCredentialSchema } from './password-grant.js';
import { createSessionDstcodeAuth, sessionDstcodeCredentialSchema } from './session-dstcode.js';
import { noUpstreamAuth, type UpstreamAuth, type UpstreamAuthSchemeId } from './upstream-auth.js';
import type { UpstreamAuthConfig } from './upstream-auth-config.js';

/** How the logins of one upstream reach their endpoint. */
export interface UpstreamLoginOptions {
  /**
   * The undici dispatcher every login goes through: createUpstreamDispatcher
   * with the upstream's own transport, so a token endpoint meets the same
   * address guard and presents the same client certificate as the calls.
   * Absent: undici's global dispatcher (tests, tools).
   */
  dispatcher?: Dispatcher;
  /** Longest a login may take (default 5000 ms); it is shared by every waiting call, so no caller's deadline cuts it. */
  timeoutMs?: number;
}

/**
 * The only place that reads a connector's credentials: it turns them into an
 * UpstreamAuth, which is all the connector ever gets. The config loader has
 * validated the credentials against the scheme's schema, so they are read
 * with the type that schema describes.
 */
export function createUpstreamAuth(scheme: UpstreamAuthSchemeId, config: UpstreamAuthConfig, options: UpstreamLoginOptions = {}): UpstreamAuth {
  const login = { ...(options.dispatcher && { dispatcher: options.dispatcher }), ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) };
  switch (scheme) {
    case 'oauth2-client-credentials+lgspaccesstoken':
      return createClientCredentialsLgspAuth({
        tokenUrl: String(config.settings.tokenUrl ?? new URL('token', withTrailingSlash(config.baseUrl)).href),
        credentials: config.credentials as SettingsOf<typeof clientCredentialsLgspCredentialSchema>,
        ...login,
      });
    case 'oauth2-password':
      return createPasswordGrantAuth({
        // settings.tokenPath (relative to baseUrl) keeps the token endpoint beside a sandbox on any port.
        tokenUrl: String(config.settings.tokenUrl ?? new URL(String(config.settings.tokenPath ?? 'token').replace(/^\//, ''), withTrailingSlash(config.baseUrl)).href),
        credentials: config.credentials as SettingsOf<typeof passwordGrantCredentialSchema>,
        ...login,
      });
    case 'session-login+dstcode':
      return createSessionDstcodeAuth({
        // settings.loginPath (relative to baseUrl) keeps the adapter's login beside a sandbox on any port.
        loginUrl: String(config.settings.loginUrl ?? new URL(String(config.settings.loginPath ?? 'login').replace(/^\//, ''), withTrailingSlash(config.baseUrl)).href),
        credentials: config.credentials as SettingsOf<typeof sessionDstcodeCredentialSchema>,
        ...login,
      });
    case 'message-checksum':
      return createMessageChecksumAuth(config.credentials as SettingsOf<typeof messageChecksumCredentialSchema>);
    case 'none':
      return noUpstreamAuth;
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
