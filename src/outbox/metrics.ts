import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import { safeDbError } from '../store/safe-db-error.js';
import type { Queryable } from '../store/store.js';
import { outboxStats } from './stats.js';

const outcomes = ['delivered', 'retry', 'dead', 'deferred'] as const;

export interface OutboxMetrics {
  registerTarget(target: string): void;
  countDelivery(target: string, outcome: (typeof outcomes)[number], seconds?: number): void;
  observeLatency(target: string, seconds: number): void;
}

/**
 * The outbox's metrics in the given registry. Backlog, oldest age and dead
 * letters are read from the store at scrape time (they are global, the same
 * on every replica); a store that does not answer leaves the last values.
 */
export function createOutboxMetrics(registry: Registry, db: Queryable, logger: Logger): OutboxMetrics {
  const targets = new Set<string>();
  const registers = [registry];
  const deliveries = new Counter({
    name: 'lgsp_outbox_deliveries_total',
    help: 'Outbox delivery attempts by target and outcome: delivered, retry (transient failure, rescheduled), dead, deferred (target unavailable, not counted as an attempt)',
    labelNames: ['target', 'outcome'],
    registers,
  });
  const attemptDuration = new Histogram({
    name: 'lgsp_outbox_attempt_duration_seconds',
    help: 'Time one delivery attempt took (handler call), by target and outcome',
    labelNames: ['target', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const latency = new Histogram({
    name: 'lgsp_outbox_delivery_latency_seconds',
    help: 'Time from enqueue (or re-drive) to delivery, by target',
    labelNames: ['target'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });

  let reading: Promise<Awaited<ReturnType<typeof outboxStats>>> | undefined;
  // One store read per scrape, shared by the three gauges.
  const readStats = () =>
    (reading ??= outboxStats(db, [...targets]).finally(() => setTimeout(() => (reading = undefined), 0)));
  const gauge = (name: string, help: string, pickValue: (stats: Awaited<ReturnType<typeof outboxStats>>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['target'],
      registers,
      async collect() {
        try {
          for (const stats of await readStats()) this.set({ target: stats.target }, pickValue(stats));
        } catch (error) {
          logger.warn({ err: safeDbError(error) }, 'outbox metrics: store did not answer; keeping the last values');
        }
      },
    });
  gauge('lgsp_outbox_backlog_messages', 'Outbox messages not yet delivered (pending or being delivered), per target', (s) => s.backlog);
  gauge('lgsp_outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered outbox message per target (0 when none)', (s) => s.oldestPendingAgeSeconds);
  gauge('lgsp_outbox_dead_messages', 'Dead outbox messages waiting for an operator (re-drive or cancel), per target', (s) => s.dead);

  return {
    registerTarget(target) {
      targets.add(target);
      for (const outcome of outcomes) deliveries.inc({ target, outcome }, 0);
    },
    countDelivery(target, outcome, seconds) {
      deliveries.inc({ target, outcome });
      if (seconds !== undefined) attemptDuration.observe({ target, outcome }, seconds);
    },
    observeLatency(target, seconds) {
      latency.observe({ target }, seconds);
    },
  };
}
