import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Queryable } from '../../store/store.js';

export interface AlertingMetrics {
  /** Open alerts by state and severity; collected from the store at scrape time (the same on every replica). */
  alerts: Gauge<'state' | 'severity'>;
  notices: Counter<'kind'>;
  leader: Gauge;
  timeToAcknowledge: Histogram;
  timeToResolve: Histogram;
}

const byRegistry = new WeakMap<Registry, AlertingMetrics>();
const timeBuckets = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

/**
 * The engine and the alert store (acknowledge, manual resolve) observe into
 * the same metrics; one set per registry, since prom-client refuses a name
 * registered twice. The alerts gauge reads the open alerts from the store at
 * scrape time (openAlertCountsSql: the same table on every replica).
 */
export function alertingMetrics(registry: Registry, store: Pick<Queryable, 'query'>): AlertingMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: AlertingMetrics = {
    alerts: new Gauge({
      name: 'lgsp_alerts',
      help: 'Open alerts (pending, firing, acknowledged) by state and severity, read from the store at scrape time',
      labelNames: ['state', 'severity'],
      registers,
      async collect() {
        try {
          const { rows } = await store.query<{ state: string; severity: string; count: number }>(openAlertCountsSql);
          this.reset();
          for (const row of rows) this.set({ state: row.state, severity: row.severity }, row.count);
        } catch {
          // A store that does not answer leaves the last values; the store's own metrics say why.
        }
      },
    }),
    notices: new Counter({ name: 'lgsp_alert_notices_total', help: 'Notices written to the notification log (and the outbox) by this replica, by kind', labelNames: ['kind'], registers }),
    leader: new Gauge({ name: 'lgsp_alerting_leader', help: '1 while this replica holds the alerting lease (evaluates rules and writes notices)', registers }),
    timeToAcknowledge: new Histogram({ name: 'lgsp_alert_time_to_acknowledge_seconds', help: 'Time from firing to acknowledgement, observed by the replica that took the acknowledgement', buckets: timeBuckets, registers }),
    timeToResolve: new Histogram({ name: 'lgsp_alert_time_to_resolve_seconds', help: 'Time from firing to resolution (cleared by the leader or resolved by hand), observed where it happened', buckets: timeBuckets, registers }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/** What the alerts gauge reads: open alerts only (resolved ones are history, not a level). */
export const openAlertCountsSql = "SELECT state, severity, count(*)::integer AS count FROM alerts WHERE state <> 'resolved' GROUP BY state, severity";
