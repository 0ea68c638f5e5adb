/**
 * How calls to one upstream are protected. Declared with defaults in each
 * connector descriptor (per connector, with per-operation overrides of the
 * per-call parts) and overridable per deployment in config; one shared schema
 * fragment so every connector is tuned with the same words.
 *
 * Per connector: connect timeout, breaker and bulkhead (they protect one
 * upstream, whatever the operation). Per operation: the attempt timeout and
 * the retry budget (a slow search and a quick lookup differ).
 */
export interface ResiliencePolicy {
  /** Time to open a TCP (and TLS) connection to the upstream; a refused or silent host fails fast. */
  connectTimeoutMs: number;
  /** Time one attempt may take, connection included; the request is aborted after it (never past the caller's deadline). */
  timeoutMs: number;
  breaker: {
    /** Failure percentage within the rolling window that opens the breaker. */
    errorThresholdPercentage: number;
    /** Calls needed in the window before the percentage counts at all. */
    volumeThreshold: number;
    rollingWindowMs: number;
    /** How long the breaker stays open before letting one trial call through. */
    resetTimeoutMs: number;
  };
  retry: RetryPolicy;
  bulkhead: {
    /** Calls in flight to this upstream at once. */
    maxConcurrent: number;
    /** Calls waiting for a slot (each at most until its deadline); beyond it: 503 LGSP_UPSTREAM_BUSY at once. */
    maxQueue: number;
  };
}

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = never retry). Only idempotent operations retry. */
  maxAttempts: number;
  /** Backoff before retry n is a random time in [0, min(maxDelayMs, baseDelayMs·2^(n-1))) (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What one operation may change: the per-call parts. */
export interface OperationPolicyOverride {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

/** The part of a policy one call uses. */
export type CallPolicy = Pick<ResiliencePolicy, 'timeoutMs' | 'retry'>;

export interface ResiliencePolicyOverride {
  connectTimeoutMs?: number;
  timeoutMs?: number;
  breaker?: Partial<ResiliencePolicy['breaker']>;
  retry?: Partial<RetryPolicy>;
  bulkhead?: Partial<ResiliencePolicy['bulkhead']>;
  /** Per operation id (e.g. `population.citizen.get`). */
  operations?: Record<string, OperationPolicyOverride>;
}

/**
 * The kit's defaults, for what a descriptor does not declare. One retry with
 * a short backoff: enough to ride over a dropped keep-alive socket or a
 * single 503, not enough to multiply the load on an upstream that struggles.
 */
export const defaultResiliencePolicy: ResiliencePolicy = {
  connectTimeoutMs: 2000,
  timeoutMs: 5000,
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, rollingWindowMs: 30_000, resetTimeoutMs: 10_000 },
  retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1000 },
  bulkhead: { maxConcurrent: 64, maxQueue: 256 },
};
