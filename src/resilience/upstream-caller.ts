import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { scrubMessage, type Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { BreakerOpenError, type BreakerRegistry, type UpstreamAttempt } from './breaker-registry.js';
import { Bulkhead, BulkheadFullError, BulkheadWaitEndedError } from './bulkhead.js';
import { DeadlineExceededError, type Deadline } from './deadline.js';
import type { CallPolicy, ResolvedPolicies } from './policy.js';

/** The smallest budget worth starting a retry with after a fast failure (a timeout needs its full timeout). */
const minimumRetryBudgetMs = 50;

export type RejectionReason = 'open' | 'bulkhead_full' | 'deadline';

export interface UpstreamCall {
  connectorId: string;
  operationId: string;
  /** Only idempotent operations are ever sent twice. */
  idempotent: boolean;
  deadline: Deadline;
  /** Names the request in the failure log lines (X-Request-Id). */
  requestId: string;
}

/** When the attempt under way really started (after breaker and bulkhead let it through). */
interface AttemptTiming {
  startedAt?: number;
}

interface ConnectorSlot {
  policies: ResolvedPolicies;
  bulkhead: Bulkhead;
}

/**
 * Every upstream call of the pipeline goes through here, in this order per
 * attempt: breaker already refusing? → bulkhead slot (queue wait bounded by
 * the deadline) → breaker → the attempt with its own timeout. Around the
 * attempts: retries of idempotent operations on transient failures, with
 * exponential backoff and full jitter (cockatiel's generator), at least the
 * upstream's Retry-After, never past the deadline.
 *
 * Each attempt that reached the upstream and failed is logged once, at warn
 * (see logFailedAttempt): without it an operator sees only the 502 on the
 * access line, and cannot tell a wrong path from an outage.
 *
 * The retry loop is written here rather than with cockatiel's RetryPolicy:
 * its backoff sleep cannot be cut short by the deadline, and it has no way
 * to give up early when Retry-After (or the next attempt's timeout) no
 * longer fits in what is left of the caller's deadline.
 */
export class UpstreamCaller {
  private readonly connectors = new Map<string, ConnectorSlot>();

  constructor(private readonly deps: { breakers: BreakerRegistry; metrics: Metrics; logger: Logger }) {
    deps.metrics.bulkheadSources.push(() =>
      [...this.connectors].map(([connector, { bulkhead }]) => ({ connector, inFlight: bulkhead.inFlight, queued: bulkhead.queued })),
    );
  }

  /** Registers a connector, or applies new policies to it (admin override): the breaker is renewed only when its settings changed. */
  configure(connectorId: string, policies: ResolvedPolicies): void {
    const current = this.connectors.get(connectorId);
    // A new breaker starts closed with an empty window: only renew it when its own settings changed.
    const breakerChanged = !current || JSON.stringify(current.policies.connector.breaker) !== JSON.stringify(policies.connector.breaker);
    if (breakerChanged) this.deps.breakers.register(connectorId, policies.connector);
    if (current) {
      current.policies = policies;
      current.bulkhead.setLimits(policies.connector.bulkhead);
    } else {
      this.connectors.set(connectorId, { policies, bulkhead: new Bulkhead(policies.connector.bulkhead) });
      for (const reason of ['open', 'bulkhead_full', 'deadline'] as const) this.deps.metrics.upstreamRejections.inc({ connector: connectorId, reason }, 0);
    }
  }

  policies(connectorId: string): ResolvedPolicies {
    return this.slot(connectorId).policies;
  }

  bulkheadState(connectorId: string): { inFlight: number; queued: number } {
    const { bulkhead } = this.slot(connectorId);
    return { inFlight: bulkhead.inFlight, queued: bulkhead.queued };
  }

  /**
   * Throws what `call` would throw at once for an open breaker (BreakerOpenError,
   * counted as an `open` rejection), so that the pipeline can refuse before it
   * spends the caller's quota; does nothing while a call would be let through
   * (closed, or half-open with its trial still to take).
   */
  refuseIfOpen(connectorId: string): void {
    if (this.deps.breakers.refuses(connectorId)) throw this.rejected(connectorId, 'open', this.deps.breakers.openError(connectorId));
  }

  async call<T>(call: UpstreamCall, attempt: UpstreamAttempt<T>): Promise<T> {
    const slot = this.slot(call.connectorId);
    const policy = slot.policies.operations.get(call.operationId) ?? { timeoutMs: slot.policies.connector.timeoutMs, retry: slot.policies.connector.retry };
    const maxAttempts = call.idempotent ? policy.retry.maxAttempts : 1;
    let backoff: IBackoff<unknown> | undefined;
    let previous: UpstreamError | undefined;
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      const timing: AttemptTiming = {};
      try {
        return await this.attemptOnce(call, slot, policy, attemptNumber === 1, attempt, timing);
      } catch (error) {
        const logFailure = (retrying: boolean) => this.logFailedAttempt(call, attemptNumber, maxAttempts, timing, error, retrying);
        // A retry refused by the breaker (opened meanwhile) or the bulkhead ends the retries with what the upstream did.
        if (previous && (error instanceof BreakerOpenError || error instanceof BulkheadFullError)) throw previous;
        if (attemptNumber >= maxAttempts || !(error instanceof UpstreamError) || !error.transient) {
          logFailure(false);
          throw error;
        }
        backoff = backoff ? backoff.next(undefined) : new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: policy.retry.baseDelayMs, maxDelay: policy.retry.maxDelayMs }).next();
        const delayMs = Math.max(backoff.duration, error.retryAfterMs ?? 0);
        // A timeout is only worth repeating with the full timeout again; a fast failure with a little time.
        const needed = delayMs + (error.kind === 'timeout' ? policy.timeoutMs : Math.min(policy.timeoutMs, minimumRetryBudgetMs));
        const retrying = call.deadline.remaining() >= needed;
        logFailure(retrying);
        if (!retrying) throw error;
        previous = error;
        this.deps.metrics.upstreamRetries.inc({ connector: call.connectorId, operation: call.operationId, reason: retryReason(error) });
        if (delayMs > 0) {
          const slept = await sleep(delayMs, true, { signal: call.deadline.cancelled }).catch(() => false);
          if (!slept) throw this.rejected(call.connectorId, 'deadline', new DeadlineExceededError(call.connectorId, 'backoff', { cause: error }));
        }
      }
    }
  }

  private async attemptOnce<T>(call: UpstreamCall, slot: ConnectorSlot, policy: CallPolicy, first: boolean, attempt: UpstreamAttempt<T>, timing: AttemptTiming): Promise<T> {
    const { connectorId, deadline } = call;
    if (deadline.exhausted) throw this.rejected(connectorId, 'deadline', new DeadlineExceededError(connectorId, first ? 'before-call' : 'backoff'));
    // An open breaker answers at once, without taking a queue place behind calls that are doomed anyway.
    this.refuseIfOpen(connectorId);
    try {
      const timed: UpstreamAttempt<T> = (signal, attemptDeadline) => {
        timing.startedAt = performance.now();
        return attempt(signal, attemptDeadline);
      };
      return await slot.bulkhead.run(() => this.deps.breakers.call(connectorId, timed, { timeoutMs: policy.timeoutMs, deadline }), {
        maxWaitMs: deadline.remaining(),
        cancelled: deadline.cancellation,
      });
    } catch (error) {
      if (error instanceof BulkheadFullError) throw this.rejected(connectorId, 'bulkhead_full', error);
      if (error instanceof BulkheadWaitEndedError) throw this.rejected(connectorId, 'deadline', new DeadlineExceededError(connectorId, 'queue', { cause: error }));
      if (error instanceof BreakerOpenError) throw this.rejected(connectorId, 'open', error);
      if (error instanceof DeadlineExceededError) throw this.rejected(connectorId, 'deadline', error);
      throw error;
    }
  }

  /**
   * One warn line per attempt that reached the upstream and failed: what
   * failed (kind, the upstream's HTTP status or fault code, our own
   * description of it) and when, never the URL (it holds personal ids), a
   * body or a credential. Refusals before the upstream (open breaker, full
   * bulkhead) have their own metrics; an error that is not an upstream
   * failure (a bug) is logged once by the problem responder.
   */
  private logFailedAttempt(call: UpstreamCall, attemptNumber: number, maxAttempts: number, timing: AttemptTiming, error: unknown, retrying: boolean): void {
    if (timing.startedAt === undefined) return;
    const failure = error instanceof UpstreamError ? error : error instanceof DeadlineExceededError ? error : undefined;
    if (!failure) return;
    this.deps.logger.warn(
      {
        connector: call.connectorId,
        operation: call.operationId,
        requestId: call.requestId,
        kind: failure instanceof UpstreamError ? failure.kind : 'deadline',
        ...(failure instanceof UpstreamError && failure.upstreamCode !== undefined ? { upstreamCode: failure.upstreamCode } : {}),
        reason: scrubMessage(failure.message),
        attempt: attemptNumber,
        maxAttempts,
        latencyMs: Math.round(performance.now() - timing.startedAt),
        retrying,
      },
      'upstream attempt failed',
    );
  }

  private rejected<E extends Error>(connectorId: string, reason: RejectionReason, error: E): E {
    this.deps.metrics.upstreamRejections.inc({ connector: connectorId, reason });
    return error;
  }

  private slot(connectorId: string): ConnectorSlot {
    const slot = this.connectors.get(connectorId);
    if (!slot) throw new Error(`no resilience policy registered for connector ${connectorId}`);
    return slot;
  }
}

/** A bounded label: the failure kind, with the status for HTTP answers. */
function retryReason(error: UpstreamError): string {
  return error.kind === 'http' && error.upstreamCode ? `http_${error.upstreamCode}` : error.kind;
}
