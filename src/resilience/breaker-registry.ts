import CircuitBreaker from 'opossum';
import { isUpstreamError, UpstreamError } from '../connector-kit/upstream-errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { DeadlineExceededError, type Deadline } from './deadline.js';
import type { ResiliencePolicy } from './policy.js';

/** What the breaker needs of a policy. */
export type BreakerPolicy = Pick<ResiliencePolicy, 'timeoutMs' | 'breaker'>;

/** One attempt of an upstream call: its own abort signal, and when it will be abandoned (epoch ms, for the upstream). */
export type UpstreamAttempt<T> = (signal: AbortSignal, deadline: number) => Promise<T>;

export interface BreakerCallOptions {
  /** This call's attempt timeout (default: the connector policy's). */
  timeoutMs?: number;
  /** The request's deadline: the attempt ends at it if it comes first. */
  deadline?: Deadline;
}

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

type Attempt = () => Promise<unknown>;

interface ConnectorBreaker {
  breaker: CircuitBreaker<[Attempt], unknown>;
  policy: BreakerPolicy;
  openedAt: number;
}

/**
 * One opossum breaker per connector, plus a deadline that really cancels:
 * opossum's own timeout only stops waiting, so each call gets its own
 * AbortSignal that aborts the upstream request itself (and only that one).
 *
 * Half-open: opossum 9 lets exactly one call through once the reset timeout
 * has passed (its PENDING_CLOSE flag is cleared by the first fire; every
 * other call is refused until that trial settles), closes on the trial's
 * success and reopens on its failure. So recovery never meets a herd: one
 * trial, then everyone. The trial is only given to a call whose deadline
 * leaves the full attempt timeout, so the verdict is the upstream's, not a
 * hurried caller's.
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, ConnectorBreaker>();

  constructor(private readonly deps: { metrics: Metrics; logger: Logger }) {}

  register(connectorId: string, policy: BreakerPolicy): void {
    this.breakers.get(connectorId)?.breaker.shutdown();
    const breaker: CircuitBreaker<[Attempt], unknown> = new CircuitBreaker<[Attempt], unknown>((attempt: Attempt) => attempt(), {
      name: connectorId,
      timeout: false,
      errorThresholdPercentage: policy.breaker.errorThresholdPercentage,
      volumeThreshold: policy.breaker.volumeThreshold,
      rollingCountTimeout: policy.breaker.rollingWindowMs,
      resetTimeout: policy.breaker.resetTimeoutMs,
      // The caller's own mistakes say nothing about the upstream's health, nor
      // does a caller's short deadline; but a half-open trial that did not
      // finish proves nothing good either, so there it counts (and reopens).
      errorFilter: (error: unknown) =>
        (isUpstreamError(error) && !error.countsAgainstUpstream) || (error instanceof DeadlineExceededError && !breaker.halfOpen),
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

  /**
   * One attempt through the breaker. Its signal aborts at min(attempt
   * timeout, what is left of the deadline) or when the caller goes away; an
   * attempt cut by the deadline (not by its own timeout) ends as
   * DeadlineExceededError, which does not count against the upstream.
   */
  async call<T>(connectorId: string, attempt: UpstreamAttempt<T>, options: BreakerCallOptions = {}): Promise<T> {
    const entry = this.entry(connectorId);
    const timeoutMs = options.timeoutMs ?? entry.policy.timeoutMs;
    const { deadline } = options;
    const { breaker } = entry;
    if (deadline && breaker.halfOpen && breaker.pendingClose && deadline.remaining() < timeoutMs) throw this.openError(connectorId);
    try {
      return (await breaker.fire(async () => {
        const remaining = deadline ? deadline.remaining() : Number.POSITIVE_INFINITY;
        const cutByDeadline = remaining < timeoutMs;
        // AbortSignal.timeout wants whole milliseconds.
        const budget = Math.ceil(Math.min(timeoutMs, remaining));
        if (budget <= 0 || deadline?.isCancelled) throw new DeadlineExceededError(connectorId, 'before-call');
        // One controller per attempt, aborted by its timer or by the caller leaving; the timer is
        // cleared as soon as the attempt ends (AbortSignal.timeout's would live on until it fires).
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new DOMException(`upstream attempt timed out after ${budget} ms`, 'TimeoutError')), budget);
        const stopFollowing = deadline?.onCancel((reason) => controller.abort(reason));
        try {
          return await attempt(controller.signal, performance.now() + budget);
        } catch (error) {
          if (controller.signal.aborted && (cutByDeadline || deadline?.isCancelled)) throw new DeadlineExceededError(connectorId, 'attempt', { cause: error });
          throw error;
        } finally {
          clearTimeout(timer);
          stopFollowing?.();
        }
      })) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') throw this.openError(connectorId);
      if (error instanceof UpstreamError || error instanceof Error) throw error;
      throw new Error(String(error));
    }
  }

  /** Whether a call now would be refused without reaching the upstream (open, or half-open with its trial under way). */
  refuses(connectorId: string): boolean {
    const { breaker } = this.entry(connectorId);
    return !breaker.closed && !breaker.pendingClose;
  }

  openError(connectorId: string): BreakerOpenError {
    const entry = this.entry(connectorId);
    const retryAfterMs = Math.max(entry.openedAt + entry.policy.breaker.resetTimeoutMs - Date.now(), 0);
    return new BreakerOpenError(connectorId, retryAfterMs);
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
