/**
 * How the gateway proves itself to an upstream. The core builds one from the
 * connector's credentials; connectors only ask it for headers, so no
 * connector code ever holds a secret.
 */
export type UpstreamAuthSchemeId = 'oauth2-client-credentials+lgspaccesstoken' | 'oauth2-password' | 'session-login+dstcode' | 'message-checksum' | 'none';

export interface UpstreamAuth {
  readonly scheme: UpstreamAuthSchemeId;
  /** Headers to add to the next upstream call (logging in first when needed). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** The upstream answered 401: drop the cached session so the next call logs in again. */
  invalidate(): void;
  /**
   * 'message-checksum' only: upstreams that authenticate each message by a
   * checksum over its fields with a shared secret (the payment platform's
   * MaXacThuc). Lower-case hex SHA-256 of the parts and the secret joined by
   * '|', so the connector builds the parts and never holds the secret.
   */
  seal?(parts: readonly string[]): string;
  /** 'message-checksum' only: the non-secret identity the upstream registered us under (the partner code). */
  account?: string;
}

export const noUpstreamAuth: UpstreamAuth = {
  scheme: 'none',
  headers: async () => ({}),
  invalidate: () => undefined,
};
