import { randomUUID } from 'node:crypto';
import type { PaymentsConfig } from '../config/gateway-config.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { PaymentAnomaly } from './payment-states.js';
import type { PaymentStore } from './payment-store.js';
import type { GuardedPlatform } from './platform-calls.js';
import { reconcilePending, type ReconciliationSummary } from './reconciliation.js';

/**
 * Runs reconciliation (reconciliation.ts) by itself on every replica, every
 * `intervalMs` give or take a tenth (replicas started together drift apart
 * instead of querying the platform in step; they split the work anyway,
 * through SKIP LOCKED claims), and on demand (the admin route).
 *
 * One run at a time in a process: the next run is scheduled when the last
 * one ends, and runNow() during a run joins that run rather than starting a
 * second one. A scheduled run that fails (the store down) is logged and the
 * schedule goes on; runNow() rejects with the failure, for the admin who
 * asked. Timers are unref'd: the schedule never keeps a process alive.
 *
 * Every QUERY goes through the paygov connector's bulkhead, breaker and
 * timeout (guardedPlatform): while the platform's breaker is open, the run
 * counts errors and leaves the payments as they were.
 *
 * Expiry: reconcilePending closes as expired a payment past its expires_at
 * that the platform says is pending or does not know, but only among the
 * payments it claims, those between minAgeMs and maxAgeMs old. A payment
 * whose TTL (payments.paymentTtlMs) is longer than maxAgeMs is never closed
 * by the job: it stays open, listed by the daily report as open_past_expiry,
 * for a human. startPaymentReconciliation says so in the log at start.
 */
export interface PaymentReconciliationOptions {
  store: Store;
  payments: PaymentStore;
  /** QUERY through the connector's guards. */
  platform: Pick<GuardedPlatform, 'query'>;
  config: PaymentsConfig['reconciliation'];
  logger: Logger;
  /** Each anomaly found (createPaymentAnomalyCounter's function). */
  onAnomaly?: (kind: PaymentAnomaly, reference: string) => void | Promise<void>;
  /** payments.paymentTtlMs, to warn when payments can outlive the window the job looks at. */
  paymentTtlMs?: number;
  /** In [0, 1): the jitter's source (tests pin it). */
  random?: () => number;
  /** The clock reconcilePending judges ages and expiry with (tests move it). */
  now?: () => Date;
}

export interface PaymentReconciliation {
  /** Runs now (or joins the run under way) and resolves with its summary; rejects when the run fails or the schedule was stopped. */
  runNow(): Promise<ReconciliationSummary>;
  /** No more runs; the run under way stops taking payments, and the promise resolves once it ended. */
  stop(): Promise<void>;
}

/** ±10 % around the interval. */
const jitterFraction = 0.1;

export function startPaymentReconciliation(options: PaymentReconciliationOptions): PaymentReconciliation {
  const { config, logger } = options;
  const random = options.random ?? Math.random;
  const abort = new AbortController();
  let running: Promise<ReconciliationSummary> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  if (options.paymentTtlMs !== undefined && options.paymentTtlMs >= config.maxAgeMs) {
    logger.warn(
      { paymentTtlMs: options.paymentTtlMs, maxAgeMs: config.maxAgeMs },
      'payment reconciliation: payments live longer than the job looks back (payments.reconciliation.maxAgeMs); those past expiry stay open for a human (daily report: open_past_expiry)',
    );
  }

  const queryPlatform = (reference: string, signal?: AbortSignal) => options.platform.query(reference, { requestId: `reconcile-${randomUUID()}`, ...(signal && { signal }) });

  const run = (): Promise<ReconciliationSummary> => {
    running ??= reconcilePending(
      {
        store: options.store,
        payments: options.payments,
        queryPlatform,
        ...(options.onAnomaly && { onAnomaly: options.onAnomaly }),
        logger,
        ...(options.now && { now: options.now }),
      },
      {
        minAgeMs: config.minAgeMs,
        maxAgeMs: config.maxAgeMs,
        requeryAfterMs: config.requeryAfterMs,
        batchSize: config.batchSize,
        concurrency: config.concurrency,
        signal: abort.signal,
      },
    ).finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (stopped || !config.enabled) return;
    const delay = Math.round(config.intervalMs * (1 - jitterFraction + 2 * jitterFraction * random()));
    timer = setTimeout(() => {
      timer = undefined;
      run()
        .catch((error: unknown) => {
          // The error's kind only: a driver message may quote a query's values.
          logger.error({ err: (error as Error)?.name ?? 'Error' }, 'payment reconciliation run failed; the next run is scheduled as usual');
        })
        .finally(schedule);
    }, delay);
    timer.unref();
  };
  schedule();

  return {
    runNow() {
      if (stopped) return Promise.reject(new Error('payment reconciliation is stopped'));
      const joined = running !== undefined;
      const result = run();
      if (!joined) {
        result.catch((error: unknown) => logger.error({ err: (error as Error)?.name ?? 'Error' }, 'payment reconciliation run (on demand) failed'));
      }
      return result;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
}
