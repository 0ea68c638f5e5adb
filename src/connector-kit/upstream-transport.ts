import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { UpstreamTransport } from './descriptor.js';
import { defaultResiliencePolicy } from './resilience-policy.js';
import { UpstreamAddressRefusedError } from './upstream-address-guard.js';
import { UpstreamError } from './upstream-errors.js';

/**
 * How every connection to an upstream is opened, the same for its calls
 * (rest-upstream.ts, soap-upstream.ts) and its logins (upstream-auth/*): the
 * connect timeout, the address guard's lookup and the mTLS client
 * certificate, from ConnectorClientContext.transport.
 */
export function upstreamConnector(transport?: UpstreamTransport): buildConnector.connector {
  const timeout = transport?.connectTimeoutMs ?? defaultResiliencePolicy.connectTimeoutMs;
  const lookup = transport?.connect?.lookup;
  const tls = transport?.connect?.tls;
  const connect = buildConnector({
    timeout,
    ...(lookup && { lookup }),
    ...(tls && { cert: tls.cert, key: tls.key, ...(tls.ca !== undefined && { ca: tls.ca }) }),
  });
  if (!lookup) return connect;
  return (options, callback) => {
    // net and tls never call `lookup` for an IP literal (http://169.254.169.254/): the guard is asked here instead.
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) === 0) return connect(options, callback);
    lookup(host, { all: true }, (error) => {
      if (error) callback(error, null);
      else connect(options, callback);
    });
  };
}

/**
 * An undici dispatcher opening connections like the upstream's own pool: the
 * upstream's logins go through it (createUpstreamAuth's `dispatcher`), so a
 * token endpoint is guarded and presents the client certificate too.
 */
export function createUpstreamDispatcher(transport?: UpstreamTransport): Agent {
  return new Agent({ connect: upstreamConnector(transport), keepAliveTimeout: 10_000 });
}

/**
 * The UpstreamError for an exchange that got no answer: the deadline fired
 * (`timeout`), the address guard refused the address (its own message, which
 * says what to configure), or the connection failed (`connection`, with the
 * system or TLS error code; the cause keeps the rest for classifyConnectionOutcome).
 */
export function noAnswerFailure(error: unknown, options: { timedOut: boolean; what?: string }): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const what = options.what ?? 'upstream';
  const refused = addressRefusalIn(error);
  if (refused) return new UpstreamError('connection', refused.message, { cause: refused });
  if (options.timedOut) return new UpstreamError('timeout', `${what} call aborted at its deadline`, { cause: error });
  const code = (error as { code?: unknown } | undefined)?.code;
  return new UpstreamError('connection', `${what} connection failed (${typeof code === 'string' ? code : 'unknown'})`, { cause: error });
}

/** The guard's refusal, when it is this error or one of its causes (undici may wrap a connect error). */
export function addressRefusalIn(error: unknown): UpstreamAddressRefusedError | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof UpstreamAddressRefusedError) return current;
  }
  return undefined;
}
