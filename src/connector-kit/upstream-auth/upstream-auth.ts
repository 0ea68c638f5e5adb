/**
 * How the gateway proves itself to an upstream. The core builds one from the
 * connector's credentials; connectors only ask it for headers, so no
 * connector code ever holds a secret.
 */
export type UpstreamAuthSchemeId = 'oauth2-client-credentials+lgspaccesstoken' | 'oauth2-password' | 'session-login+dstcode' | 'none';

export interface UpstreamAuth {
  readonly scheme: UpstreamAuthSchemeId;
  /** Headers to add to the next upstream call (logging in first when needed). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** The upstream answered 401: drop the cached session so the next call logs in again. */
  invalidate(): void;
}

export const noUpstreamAuth: UpstreamAuth = {
  scheme: 'none',
  headers: async () => ({}),
  invalidate: () => undefined,
};
