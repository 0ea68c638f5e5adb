/**
 * What can go wrong on the way to an upstream, classified once so the
 * pipeline maps each kind to one problem code and the breaker counts only
 * the kinds that say the upstream is unhealthy.
 */
export type UpstreamFailureKind =
  | 'timeout' // no answer in time; the request was aborted
  | 'connection' // refused, reset, DNS
  | 'http' // 5xx or an unexpected status
  | 'fault' // SOAP server fault / error envelope
  | 'garbage' // an answer that cannot be parsed
  | 'too_large' // an answer larger than the transport reads (cut off while streaming)
  | 'contract' // parsed, but violates what the upstream promised
  | 'auth' // the gateway could not authenticate (after one re-login)
  | 'rejected'; // the upstream refused this request as invalid (caller's fault, not the upstream's)

export class UpstreamError extends Error {
  readonly kind: UpstreamFailureKind;
  readonly upstreamCode?: string;
  /** How long the upstream asked us to wait (its Retry-After), in ms. */
  readonly retryAfterMs?: number;
  /** The HTTP status of the answer, when upstreamCode holds something else (a login refusal's OAuth error code). */
  readonly httpStatus?: number;

  constructor(kind: UpstreamFailureKind, message: string, options: { upstreamCode?: string; retryAfterMs?: number; httpStatus?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.upstreamCode = options.upstreamCode;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }

  /** Whether this failure says something about the upstream's health. */
  get countsAgainstUpstream(): boolean {
    return this.kind !== 'rejected';
  }

  /**
   * Whether the same call may succeed if sent again: no answer (timeout,
   * connection), a server-side fault, HTTP 5xx or 429. Never a refusal of the
   * request itself, an unreadable, oversized or contract-breaking answer, or an auth
   * failure (already retried once with a fresh login).
   */
  get transient(): boolean {
    switch (this.kind) {
      case 'timeout':
      case 'connection':
      case 'fault':
        return true;
      case 'http': {
        const status = Number(this.upstreamCode);
        return status === 429 || (status >= 500 && status <= 599);
      }
      default:
        return false;
    }
  }
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined
 * when absent or unreadable. Capped at a day: a larger one is a misconfiguration.
 */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return Math.min(ms, 86_400_000);
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}
