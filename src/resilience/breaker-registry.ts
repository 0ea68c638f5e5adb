import CircuitBreaker from 'opossum';
import { isUpstreamError, UpstreamError } from '../connector-kit/upstream-errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ResiliencePolicy } from './policy.js';

export type BreakerState = 'closed' | 'half-open' | 'open';

/** Outcomes of real upstream calls in the breaker's rolling window (refusals while open are not calls). */
export interface RecentOutcomes {
  windowMs: number;
  calls: number;
  failures: number;
  /** failures / calls; null while there were no calls in the window. */
  errorRate: number | null;
}

/** Raised instead of calling the upstream while its breaker is open. */
export class BreakerOpenError extends Error {
  readonly connectorId: string;
  readonly retryAfterMs: number;
  constructor(connectorId: string, retryAfterMs: number) {
    super(`circuit open for ${connectorId}`);
    this.name = 'BreakerOpenError';
    this.connectorId = connectorId;
    this.retryAfterMs = retryAfterMs;
  }
}

type Attempt = (signal: AbortSignal) => Promise<unknown>;

interface ConnectorBreaker {
  breaker: CircuitBreaker<[Attempt], unknown>;
  policy: ResiliencePolicy;
  openedAt: number;
}

/**
 * One opossum breaker per connector, plus a deadline that really cancels:
 * opossum's own timeout only stops waiting, so each call gets its own
 * AbortSignal that aborts the upstream request itself (and only that one).
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, ConnectorBreaker>();

  constructor(private readonly deps: { metrics: Metrics; logger: Logger }) {}

  register(connectorId: string, policy: ResiliencePolicy): void {
    const breaker = new CircuitBreaker<[Attempt], unknown>((attempt: Attempt) => attempt(AbortSignal.timeout(policy.timeoutMs)), {
      name: connectorId,
      timeout: false,
      errorThresholdPercentage: policy.breaker.errorThresholdPercentage,
      volumeThreshold: policy.breaker.volumeThreshold,
      rollingCountTimeout: policy.breaker.rollingWindowMs,
      resetTimeout: policy.breaker.resetTimeoutMs,
      // The caller's own mistakes say nothing about the upstream's health.
      errorFilter: (error: unknown) => isUpstreamError(error) && !error.countsAgainstUpstream,
    });
    const entry: ConnectorBreaker = { breaker, policy, openedAt: 0 };
    const report = (state: BreakerState, value: number) => () => {
      if (state === 'open') entry.openedAt = Date.now();
      this.deps.metrics.breakerState.set({ connector: connectorId }, value);
      this.deps.metrics.breakerTransitions.inc({ connector: connectorId, to: state });
      this.deps.logger.warn({ connector: connectorId, breaker: state }, 'circuit breaker state changed');
    };
    breaker.on('open', report('open', 2));
    breaker.on('halfOpen', report('half-open', 1));
    breaker.on('close', report('closed', 0));
    this.deps.metrics.breakerState.set({ connector: connectorId }, 0);
    this.breakers.set(connectorId, entry);
  }

  async call<T>(connectorId: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const entry = this.entry(connectorId);
    try {
      return (await entry.breaker.fire(attempt as Attempt)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        const retryAfterMs = Math.max(entry.openedAt + entry.policy.breaker.resetTimeoutMs - Date.now(), 0);
        throw new BreakerOpenError(connectorId, retryAfterMs);
      }
      if (error instanceof UpstreamError || error instanceof Error) throw error;
      throw new Error(String(error));
    }
  }

  state(connectorId: string): BreakerState {
    const { breaker } = this.entry(connectorId);
    if (breaker.opened) return 'open';
    if (breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /**
   * Read from opossum's own rolling window (the one its thresholds use):
   * a failure is what counts against the upstream, a caller's mistake is a success.
   */
  recentOutcomes(connectorId: string): RecentOutcomes {
    const { breaker, policy } = this.entry(connectorId);
    const { successes, failures } = breaker.stats;
    const calls = successes + failures;
    return { windowMs: policy.breaker.rollingWindowMs, calls, failures, errorRate: calls === 0 ? null : failures / calls };
  }

  shutdown(): void {
    for (const { breaker } of this.breakers.values()) breaker.shutdown();
  }

  private entry(connectorId: string): ConnectorBreaker {
    const entry = this.breakers.get(connectorId);
    if (!entry) throw new Error(`no breaker registered for connector ${connectorId}`);
    return entry;
  }
}
