import type { ConnectorConfig } from '../../config/gateway-config.js';
import { createClientCredentialsLgspAuth, type ClientCredentialsLgspCredentials } from './client-credentials-lgsp.js';
import { createPasswordGrantAuth, type PasswordGrantCredentials } from './password-grant.js';
import { createSessionDstcodeAuth, type SessionDstcodeCredentials } from './session-dstcode.js';
import { noUpstreamAuth, type UpstreamAuth, type UpstreamAuthSchemeId } from './upstream-auth.js';

/**
 * The only place that reads a connector's credentials: it turns them into an
 * UpstreamAuth, which is all the connector ever gets.
 */
export function createUpstreamAuth(scheme: UpstreamAuthSchemeId, config: ConnectorConfig): UpstreamAuth {
  switch (scheme) {
    case 'oauth2-client-credentials+lgspaccesstoken':
      return createClientCredentialsLgspAuth({
        tokenUrl: String(config.settings.tokenUrl ?? new URL('token', withTrailingSlash(config.baseUrl)).href),
        credentials: config.credentials as unknown as ClientCredentialsLgspCredentials,
      });
    case 'oauth2-password':
      return createPasswordGrantAuth({
        // settings.tokenPath (relative to baseUrl) keeps the token endpoint beside a sandbox on any port.
        tokenUrl: String(config.settings.tokenUrl ?? new URL(String(config.settings.tokenPath ?? 'token').replace(/^\//, ''), withTrailingSlash(config.baseUrl)).href),
        credentials: config.credentials as unknown as PasswordGrantCredentials,
      });
    case 'session-login+dstcode':
      return createSessionDstcodeAuth({
        // settings.loginPath (relative to baseUrl) keeps the adapter's login beside a sandbox on any port.
        loginUrl: String(config.settings.loginUrl ?? new URL(String(config.settings.loginPath ?? 'login').replace(/^\//, ''), withTrailingSlash(config.baseUrl)).href),
        credentials: config.credentials as unknown as SessionDstcodeCredentials,
      });
    case 'none':
      return noUpstreamAuth;
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
