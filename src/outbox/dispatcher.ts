import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { fullJitterGenerator } from 'cockatiel';
import type { Logger } from '../observability/logger.js';
import { safeDbError } from '../store/safe-db-error.js';
import type { Store } from '../store/store.js';
import { claimDue, markDead, markDeferred, markDelivered, markRetry, renewLease, type ClaimedRow } from './delivery-store.js';
import { classifyFailure } from './errors.js';
import type { OutboxMetrics } from './metrics.js';
import { outboxStats, type TargetStats } from './stats.js';
import type { OutboxHandler, OutboxMessage } from './types.js';

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'deferred';

export interface RetryPolicy {
  /** Attempts before a message goes dead (a claim counts as an attempt, a deferral does not). */
  maxAttempts: number;
  /** Age (from enqueue or the last re-drive) after which a failed attempt makes the message dead. */
  maxAgeMs: number;
  /** Backoff after the first failure; doubles with each attempt, full jitter, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface TargetRegistration extends Partial<RetryPolicy> {
  handler: OutboxHandler;
  /**
   * Asked before each claim; false leaves the target's messages untouched
   * (no attempt counted), e.g. while the upstream's breaker is open.
   */
  isAvailable?: () => boolean;
  /** A handler that has not settled by then is aborted and the attempt counted as failed (`timeout`). */
  deliveryTimeoutMs?: number;
}

export interface DispatcherOptions extends Partial<RetryPolicy> {
  store: Store;
  logger: Logger;
  metrics?: OutboxMetrics;
  /** Deliveries in flight at once in this process, across keys and targets. Default 8. */
  maxConcurrent?: number;
  /** How long a claim holds a message; renewed every third of it while the handler runs. Default 30 s. */
  leaseMs?: number;
  /** How often to look for due messages when nothing woke the dispatcher. Default 1 s. */
  pollIntervalMs?: number;
  /** Delay before a deferred message (or one released at shutdown) is tried again, unless the handler says. Default 5 s. */
  deferDelayMs?: number;
  /** Default 60 s. */
  deliveryTimeoutMs?: number;
  /** Shown as lease owner; default host:pid:random. */
  id?: string;
}

const defaults: RetryPolicy = { maxAttempts: 20, maxAgeMs: 7 * 24 * 3600_000, baseDelayMs: 1_000, maxDelayMs: 10 * 60_000 };
const maxAnswerLength = 500;

interface InFlight {
  row: ClaimedRow;
  leaseToken: string;
  abort: AbortController;
  done: Promise<void>;
  settled: boolean;
}

/**
 * One per process. Claims due messages of the registered targets (see
 * claimDue for the order and multi-replica rules), runs their handlers with
 * bounded concurrency, and records each outcome. At-least-once: a message is
 * marked delivered only after its handler resolved, so a crash in between
 * delivers it again, after the lease expires, from whichever replica claims it.
 */
export class OutboxDispatcher {
  readonly id: string;
  private readonly targets = new Map<string, TargetRegistration>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly maxConcurrent: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly deferDelayMs: number;
  private readonly deliveryTimeoutMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;
  private claims = 0;
  private readonly outcomes = new Map<string, Record<DeliveryOutcome, number>>();

  constructor(private readonly options: DispatcherOptions) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.deferDelayMs = options.deferDelayMs ?? 5_000;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 60_000;
  }

  /** Registers the handler of a target; messages of unregistered targets are left alone (another process may own them). */
  register(target: string, registration: TargetRegistration): this {
    if (this.targets.has(target)) throw new Error(`outbox target ${target} is already registered`);
    this.targets.set(target, registration);
    this.options.metrics?.registerTarget(target);
    // A running dispatcher with no target was sleeping without a timer: look now.
    this.wake();
    return this;
  }

  get registeredTargets(): string[] {
    return [...this.targets.keys()];
  }

  /** Starts claiming; a dispatcher without targets idles (it never queries the store). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks for due messages now instead of at the next poll (call it after committing an enqueue). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, waits up to `graceMs` for deliveries in flight, then
   * aborts the rest and gives their messages back (pending, attempt not
   * counted) so another dispatcher takes them at once instead of after the
   * lease. Their handlers' late results are then ignored (fenced by lease).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    const pending = [...this.inFlight.values()];
    if (pending.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending.map((flight) => flight.done)),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    const unfinished = [...this.inFlight.values()].filter((flight) => !flight.settled);
    await Promise.allSettled(
      unfinished.map(async (flight) => {
        flight.settled = true;
        flight.abort.abort(new Error('outbox dispatcher stopping'));
        this.inFlight.delete(flight.row.id);
        await markDeferred(this.options.store, flight.row.id, flight.leaseToken, 0).catch((error: unknown) =>
          this.options.logger.warn({ err: safeDbError(error), messageId: flight.row.id }, 'outbox lease release failed; the lease will expire'),
        );
      }),
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimedAll = false;
      try {
        claimedAll = await this.claimBatch();
      } catch (error) {
        this.options.logger.warn({ err: safeDbError(error) }, 'outbox claim failed; retrying at the next poll');
      }
      if (!this.running) break;
      // A full batch means more may be due: claim again as soon as a slot frees.
      if (claimedAll && this.inFlight.size < this.maxConcurrent) continue;
      await this.idle();
    }
  }

  /** Waits for a wake(), a delivery finishing (its key's next message may now be due), or the poll interval. */
  private idle(): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.wakeRequested = false;
        resolve();
      };
      // With no target registered there is nothing to claim: sleep until register() or stop() wakes us, no timer.
      const timer = this.targets.size > 0 ? setTimeout(done, this.pollIntervalMs) : undefined;
      this.wakeUp = done;
    });
  }

  private async claimBatch(): Promise<boolean> {
    const free = this.maxConcurrent - this.inFlight.size;
    if (free <= 0) return false;
    const targets = [...this.targets].filter(([, registration]) => registration.isAvailable?.() ?? true).map(([target]) => target);
    if (targets.length === 0) return false;
    const leaseToken = `${this.id}#${++this.claims}`;
    const rows = await claimDue(this.options.store, targets, free, leaseToken, this.leaseMs);
    for (const row of rows) this.startDelivery(row, leaseToken);
    return rows.length === free;
  }

  private startDelivery(row: ClaimedRow, leaseToken: string): void {
    const flight: InFlight = { row, leaseToken, abort: new AbortController(), done: Promise.resolve(), settled: false };
    this.inFlight.set(row.id, flight);
    flight.done = this.deliver(flight)
      .catch((error: unknown) => this.options.logger.error({ err: safeDbError(error), messageId: row.id }, 'outbox delivery bookkeeping failed; the lease will expire'))
      .finally(() => {
        if (this.inFlight.get(row.id) === flight) this.inFlight.delete(row.id);
        this.wake();
      });
  }

  private async deliver(flight: InFlight): Promise<void> {
    const { row, leaseToken } = flight;
    const { store, logger, metrics } = this.options;
    const registration = this.targets.get(row.target)!;
    const policy = { ...defaults, ...pick(this.options), ...pick(registration) };
    const log = { messageId: row.id, target: row.target, sequence: Number(row.sequence), attempt: row.attempts };

    // Taken over from a dispatcher that died mid-delivery, with no attempt left.
    if (row.attempts > policy.maxAttempts) {
      if (await markDead(store, row.id, leaseToken, `max attempts (${policy.maxAttempts}) reached`)) this.count(row.target, 'dead');
      return;
    }

    const renewal = setInterval(() => {
      renewLease(store, row.id, leaseToken, this.leaseMs)
        .then((ours) => {
          if (!ours && !flight.settled) flight.abort.abort(new Error('outbox lease lost'));
        })
        .catch((error: unknown) => logger.warn({ err: safeDbError(error), ...log }, 'outbox lease renewal failed'));
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    const timeoutMs = registration.deliveryTimeoutMs ?? this.deliveryTimeoutMs;
    const timeout = setTimeout(() => flight.abort.abort(new Error('outbox delivery timed out')), timeoutMs);
    const message: OutboxMessage = {
      id: row.id,
      target: row.target,
      key: row.ordering_key,
      sequence: Number(row.sequence),
      payload: row.payload,
      attempt: row.attempts,
      createdAt: row.created_at,
    };
    const started = performance.now();
    let result: { ok: true; answer: string | null } | { ok: false; error: unknown };
    try {
      const delivered = await raceAbort(registration.handler(message, flight.abort.signal), flight.abort.signal);
      result = { ok: true, answer: delivered?.answer?.slice(0, maxAnswerLength) ?? null };
    } catch (error) {
      result = { ok: false, error };
    } finally {
      clearInterval(renewal);
      clearTimeout(timeout);
    }
    // stop() gave the message back already.
    if (flight.settled) return;
    flight.settled = true;
    const seconds = (performance.now() - started) / 1000;

    if (result.ok) {
      if (await markDelivered(store, row.id, leaseToken, result.answer)) {
        this.count(row.target, 'delivered', seconds);
        metrics?.observeLatency(row.target, row.age_ms / 1000 + seconds);
      } else logger.warn(log, 'outbox message delivered after its lease was taken over; it may be delivered again');
      return;
    }

    const failure = flight.abort.signal.aborted && !(result.error instanceof Error && 'kind' in result.error)
      ? { outcome: 'retry' as const, kind: 'timeout', message: `no answer within ${timeoutMs} ms or lease lost` }
      : classifyFailure(result.error);
    let outcome: DeliveryOutcome = failure.outcome;
    let recorded: boolean;
    if (failure.outcome === 'deferred') {
      recorded = await markDeferred(store, row.id, leaseToken, failure.retryAfterMs ?? this.deferDelayMs, failure);
    } else if (failure.outcome === 'dead') {
      recorded = await markDead(store, row.id, leaseToken, `rejected by target (${failure.kind})`, failure);
    } else if (row.attempts >= policy.maxAttempts) {
      outcome = 'dead';
      recorded = await markDead(store, row.id, leaseToken, `max attempts (${policy.maxAttempts}) reached`, failure);
    } else if (row.age_ms + seconds * 1000 >= policy.maxAgeMs) {
      outcome = 'dead';
      recorded = await markDead(store, row.id, leaseToken, `max age (${policy.maxAgeMs} ms) reached`, failure);
    } else {
      const delayMs = Math.max(backoffDelay(row.attempts, policy), failure.retryAfterMs ?? 0);
      recorded = await markRetry(store, row.id, leaseToken, delayMs, failure.kind, failure.message);
    }
    if (recorded) this.count(row.target, outcome, seconds);
    const level = outcome === 'dead' ? 'error' : outcome === 'retry' ? 'warn' : 'info';
    logger[level]({ ...log, outcome, errorKind: failure.kind, error: failure.message, recorded }, 'outbox delivery not done');
  }

  private count(target: string, outcome: DeliveryOutcome, seconds?: number): void {
    const perTarget = this.outcomes.get(target) ?? { delivered: 0, retry: 0, dead: 0, deferred: 0 };
    perTarget[outcome] += 1;
    this.outcomes.set(target, perTarget);
    this.options.metrics?.countDelivery(target, outcome, seconds);
  }

  /**
   * Per target: backlog, oldest undelivered age, retrying and dead counts
   * from the store (global), and the outcomes this process recorded since
   * it started.
   */
  async stats(): Promise<Array<TargetStats & { deliveries: Record<DeliveryOutcome, number> }>> {
    const stored = await outboxStats(this.options.store, this.registeredTargets);
    return stored.map((entry) => ({ ...entry, deliveries: { delivered: 0, retry: 0, dead: 0, deferred: 0, ...this.outcomes.get(entry.target) } }));
  }
}

/** Full jitter over an exponential ceiling: attempt 1 waits up to base, attempt 2 up to 2×base, … (cockatiel's generator). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const [delay] = fullJitterGenerator(Math.max(0, attempt - 1), { initialDelay: policy.baseDelayMs, maxDelay: policy.maxDelayMs, exponent: 2, generator: fullJitterGenerator });
  return delay;
}

function pick(source: Partial<RetryPolicy>): Partial<RetryPolicy> {
  const picked: Partial<RetryPolicy> = {};
  for (const name of ['maxAttempts', 'maxAgeMs', 'baseDelayMs', 'maxDelayMs'] as const) {
    if (source[name] !== undefined) picked[name] = source[name];
  }
  return picked;
}

/** A handler that ignores its signal must not hold a delivery slot past the timeout. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
