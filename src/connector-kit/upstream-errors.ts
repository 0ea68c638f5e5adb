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
  | 'contract' // parsed, but violates what the upstream promised
  | 'auth' // the gateway could not authenticate (after one re-login)
  | 'rejected'; // the upstream refused this request as invalid (caller's fault, not the upstream's)

export class UpstreamError extends Error {
  readonly kind: UpstreamFailureKind;
  readonly upstreamCode?: string;

  constructor(kind: UpstreamFailureKind, message: string, options: { upstreamCode?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.upstreamCode = options.upstreamCode;
  }

  /** Whether this failure says something about the upstream's health. */
  get countsAgainstUpstream(): boolean {
    return this.kind !== 'rejected';
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}
