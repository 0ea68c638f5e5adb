import { Pool } from 'undici';
import type { InvocationContext, UpstreamTransport } from './descriptor.js';
import { boundedRequest, defaultMaxResponseBytes } from './bounded-body.js';
import { deadlineHeaders } from './deadline-header.js';
import { sessionRefused, withOneRelogin } from './relogin.js';
import { retryAfterMs, UpstreamError } from './upstream-errors.js';
import { redirectRefused } from './upstream-redirect.js';
import { noAnswerFailure, upstreamConnector } from './upstream-transport.js';
import { requestTarget, upstreamUrl } from './upstream-url.js';
import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';

/**
 * A REST/JSON upstream reached with undici: one keep-alive connection pool per
 * upstream, created once; authentication headers come from UpstreamAuth; the
 * call is aborted (and its socket destroyed) when the deadline signal fires;
 * an answer is read up to maxResponseBytes while it arrives (bounded-body.ts);
 * a 401 drops the session and retries exactly once (relogin.ts); a redirect
 * is refused, never followed (upstream-redirect.ts); every
 * failure leaves as a classified UpstreamError, the same kinds as
 * soap-upstream.ts.
 */
export interface RestUpstream {
  request<Body>(request: RestRequest, context: RestCallContext): Promise<RestResponse<Body>>;
  /** Closes the pool; calls still in flight are aborted. */
  close(): Promise<void>;
}

export type RestCallContext = Pick<InvocationContext, 'signal' | 'requestId' | 'traceparent' | 'deadline'>;

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Path under the base URL's path, e.g. `/api/v1/land/parcels`; a leading
   * slash is optional; '' is the base URL itself, exactly as configured (upstream-url.ts).
   */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Instead of `body`: built on each attempt from the authentication headers,
   * for schemes whose session also rides in the body (the portal adapter), so
   * the retry after a 401 carries the fresh session, not the refused one.
   */
  bodyWithAuth?: (authHeaders: Record<string, string>) => unknown;
  headers?: Record<string, string>;
}

export interface RestResponse<Body> {
  status: number;
  body: Body;
}

/**
 * What an answer that is not a 2xx (nor a 401/403) means, decided by the
 * connector from the status and the parsed body (JSON, or the text when it is
 * not JSON):
 *   answer    hand it to the connector as a normal response (e.g. a 404 "no such record")
 *   rejected  the upstream refused this request as invalid: the caller's fault
 *   fault     a business error envelope that says the upstream is unwell
 *   http      an unexpected status (the default)
 */
export type RestAnswerVerdict = 'answer' | 'rejected' | 'fault' | 'http';

/** A verdict alone, or with the upstream's own error code (e.g. a business code from the body) for the problem detail. */
export type RestErrorClassifier = (answer: { status: number; body: unknown }) => RestAnswerVerdict | { verdict: RestAnswerVerdict; upstreamCode?: string } | undefined;

export function createRestUpstream(options: {
  /** Origin plus an optional path prefix, e.g. `https://lgsp.example.gov.vn/dat-dai`. */
  baseUrl: string;
  auth: UpstreamAuth;
  classifyError?: RestErrorClassifier;
  /** Most sockets kept open to this upstream. */
  connections?: number;
  /** Largest answer read, in bytes; a larger one is cut off while streaming, as `too_large` (protects the gateway's memory). */
  maxResponseBytes?: number;
  /** From the connector's resilience policy (ConnectorClientContext.transport). */
  transport?: UpstreamTransport;
}): RestUpstream {
  const base = new URL(options.baseUrl);
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 256,
    keepAliveTimeout: 10_000,
    // Connect timeout (a host that does not accept fails in connectTimeoutMs, not at the attempt's longer deadline), address guard, client certificate.
    connect: upstreamConnector(options.transport),
  });
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const classifyError = options.classifyError ?? (() => undefined);

  function urlOf(request: RestRequest): URL {
    const url = upstreamUrl(options.baseUrl, request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.append(name, String(value));
    }
    return url;
  }

  async function attempt<Body>(request: RestRequest, context: RestCallContext): Promise<RestResponse<Body>> {
    const { signal } = context;
    const authHeaders = await options.auth.headers(signal);
    const body = request.bodyWithAuth ? request.bodyWithAuth(authHeaders) : request.body;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...request.headers,
      ...authHeaders,
      traceparent: context.traceparent,
      'x-request-id': context.requestId,
      ...deadlineHeaders(context.deadline),
    };
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';

    let status: number;
    let retryAfter: string | string[] | undefined;
    let location: string | string[] | undefined;
    let bytes: Buffer;
    const url = urlOf(request);
    try {
      // undici destroys the socket of an aborted exchange, so a hung upstream keeps nothing of ours.
      const response = await boundedRequest(
        pool,
        { method: request.method, path: requestTarget(url), headers, body: body === undefined ? undefined : JSON.stringify(body) },
        { maxBytes: maxResponseBytes, signal },
      );
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      location = response.headers.location;
      bytes = response.body;
    } catch (error) {
      throw noAnswerFailure(error, { timedOut: signal.aborted });
    }
    const redirect = redirectRefused({ status, location, requestUrl: url });
    if (redirect) throw redirect;
    return interpret<Body>(status, bytes.toString('utf8'), retryAfter);
  }

  function interpret<Body>(status: number, text: string, retryAfter: string | string[] | undefined): RestResponse<Body> {
    if (status === 401) throw sessionRefused();
    if (status === 403) throw new UpstreamError('auth', 'upstream refused the gateway credentials (HTTP 403)', { upstreamCode: '403' });
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (parsed.ok) return { status, body: parsed.value as Body };
      if (text.trim() === '') return { status, body: undefined as Body };
      // The same rule as SOAP's: a success that cannot be read breaks the upstream's contract.
      throw new UpstreamError('contract', 'upstream answer is not JSON', { upstreamCode: String(status) });
    }
    const classified = classifyError({ status, body: parsed.ok ? parsed.value : text }) ?? 'http';
    const { verdict, upstreamCode = String(status) } = typeof classified === 'string' ? { verdict: classified } : classified;
    if (verdict === 'answer') return { status, body: (parsed.ok ? parsed.value : text) as Body };
    const message = verdict === 'http' ? `upstream answered HTTP ${status}` : `upstream ${verdict === 'rejected' ? 'rejected the request' : 'reported an error'} (HTTP ${status})`;
    throw new UpstreamError(verdict, message, { upstreamCode, retryAfterMs: retryAfterMs(retryAfter) });
  }

  return {
    request<Body>(request: RestRequest, context: RestCallContext) {
      return withOneRelogin(options.auth, context.signal, () => attempt<Body>(request, context));
    },
    close: () => pool.destroy(),
  };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
