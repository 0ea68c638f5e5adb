import { paymentMetricNames, unauthenticIpnVerdicts } from '../../payments/payment-metrics.js';
import type { SignalName } from '../types.js';

/**
 * The one table of the gateway's signals: which metric each is read from,
 * how it is computed on a replica, and how replicas are combined. The
 * sampler, the merge, the rule evaluation and the Prometheus export all
 * read it, so a signal means the same thing everywhere.
 */

/** How a replica turns a metric into a sample. */
export type SignalReading =
  /** The gauge's value as it is (`value`). */
  | 'gauge'
  /** A counter's increase over the window (`value`). */
  | 'increase'
  /** Two counters' increases over the window (`num`/`den`). */
  | 'ratio'
  /** A histogram's bucket increases over the window (`buckets`). */
  | 'histogram';

/** How replicas' samples of one series are combined (see the table in types.ts). */
export type SignalMerge = 'min' | 'max' | 'sum' | 'ratio' | 'p95';

export interface SignalDefinition {
  /** The prom-client metric read (for the Prometheus export too). */
  metric: string;
  /** The series' labels, in the order the export groups by. */
  labels: readonly string[];
  reading: SignalReading;
  merge: SignalMerge;
  /** Computed over a window (windowSeconds = the window); otherwise an instant reading (windowSeconds 0). */
  windowed: boolean;
}

/** Outcomes of lgsp_requests_total that count as the gateway or its upstream failing the caller (not the caller's own fault). */
export const errorOutcomes = ['upstream_timeout', 'upstream_error', 'upstream_unavailable', 'contract_violation', 'audit_unavailable', 'internal_error'] as const;

/** Outcomes whose duration includes an upstream call: the latency signal is the upstream's, not the gateway's refusals. */
export const upstreamReachedOutcomes = ['success', 'not_found', 'upstream_timeout', 'upstream_error', 'contract_violation'] as const;

/** IPN verdicts that say a callback was not the platform's (or not for us): src/payments/payment-metrics.ts. */
export const unauthenticIpnVerdictSet: ReadonlySet<string> = new Set(unauthenticIpnVerdicts);
export { unauthenticIpnVerdicts };

/** The window a windowed rule uses when it names none. */
export const defaultWindowSeconds = 300;

export const signalCatalog: Readonly<Record<SignalName, SignalDefinition>> = {
  probe_up: { metric: 'lgsp_upstream_probe_up', labels: ['connector'], reading: 'gauge', merge: 'min', windowed: false },
  breaker_open: { metric: 'lgsp_breaker_state', labels: ['connector'], reading: 'gauge', merge: 'max', windowed: false },
  error_ratio: { metric: 'lgsp_requests_total', labels: ['connector', 'operation'], reading: 'ratio', merge: 'ratio', windowed: true },
  latency_p95_seconds: { metric: 'lgsp_request_duration_seconds', labels: ['connector', 'operation'], reading: 'histogram', merge: 'p95', windowed: true },
  contract_violations: { metric: 'lgsp_upstream_contract_violations_total', labels: ['connector', 'operation'], reading: 'increase', merge: 'sum', windowed: true },
  upstream_rejections: { metric: 'lgsp_upstream_rejections_total', labels: ['connector', 'reason'], reading: 'increase', merge: 'sum', windowed: true },
  // A failed audit commit within the smallest window asked for, or the audit gate closed (an extra reading): an instant 0/1.
  audit_unavailable: { metric: 'lgsp_audit_commit_batch_records', labels: [], reading: 'gauge', merge: 'max', windowed: false },
  // Read from the shared store by every replica: the same number everywhere, so max (not sum).
  outbox_dead_messages: { metric: 'lgsp_outbox_dead_messages', labels: ['target'], reading: 'gauge', merge: 'max', windowed: false },
  outbox_oldest_pending_age_seconds: { metric: 'lgsp_outbox_oldest_pending_age_seconds', labels: ['target'], reading: 'gauge', merge: 'max', windowed: false },
  credential_expires_in_seconds: { metric: 'lgsp_credential_expiry_timestamp_seconds', labels: ['connector'], reading: 'gauge', merge: 'min', windowed: false },
  rate_limit_fallback: { metric: 'lgsp_rate_limit_fallback_total', labels: [], reading: 'increase', merge: 'sum', windowed: true },
  cache_stale_serves: { metric: 'lgsp_cache_stale_serves_total', labels: ['connector', 'operation'], reading: 'increase', merge: 'sum', windowed: true },
  payment_anomalies: { metric: paymentMetricNames.anomalies, labels: ['kind'], reading: 'increase', merge: 'sum', windowed: true },
  // Only the verdicts of unauthenticIpnVerdicts are counted (the sampler and the export filter on them).
  payment_ipn_unauthentic: { metric: paymentMetricNames.ipns, labels: ['verdict'], reading: 'increase', merge: 'sum', windowed: true },
};

export const signalNamesInCatalog = Object.keys(signalCatalog) as SignalName[];

export const windowedSignals: ReadonlySet<SignalName> = new Set(signalNamesInCatalog.filter((name) => signalCatalog[name].windowed));

/** Signals whose value rests on a number of requests (a rule's minSamples applies). */
export const observedSignals: ReadonlySet<SignalName> = new Set(signalNamesInCatalog.filter((name) => ['ratio', 'p95'].includes(signalCatalog[name].merge)));

/** The window a rule over `signal` is evaluated on: its own, the default for windowed signals, 0 for instant ones. */
export function effectiveWindow(signal: SignalName, windowSeconds: number | undefined): number {
  return windowedSignals.has(signal) ? (windowSeconds ?? defaultWindowSeconds) : 0;
}
