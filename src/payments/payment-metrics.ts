import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import type { PaymentAnomaly } from './payment-states.js';
import { ipnVerdicts } from './ipn-processor.js';

/**
 * The payments' counters, shared by the IPN route (lgsp_payment_ipn_total)
 * and everything that reports anomalies (lgsp_payment_anomalies_total): the
 * alerting channel's signals read them (src/alerting/signals/signal-catalog.ts),
 * so their names and labels are fixed here once. Labels are bounded sets;
 * a payment's reference is never a label (one series per payment would
 * grow without end), it goes to the log line and the admin routes.
 *
 * Registering is idempotent per registry: the IPN route and the anomaly
 * hook may each ask for the metrics on the gateway's registry.
 */
export const paymentMetricNames = {
  anomalies: 'lgsp_payment_anomalies_total',
  ipns: 'lgsp_payment_ipn_total',
} as const;

/** Every PaymentAnomaly, for the label set (the type check below fails when payment-states.ts adds one). */
export const paymentAnomalyKinds = ['late_failure_after_paid', 'paid_after_closed', 'second_payment', 'amount_mismatch', 'currency_mismatch'] as const;
type Exhaustive<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const anomalyKindsComplete: Exhaustive<(typeof paymentAnomalyKinds)[number], PaymentAnomaly> = true;
void anomalyKindsComplete;

/** The IPN counter's verdict labels: the IPN processor's own list. */
export const ipnVerdictLabels = ipnVerdicts;

/** What the IPN route counts: every verdict, and `unavailable` for a callback it could not process (answered 503, delivered again by the platform). */
export const ipnCountedLabels = [...ipnVerdictLabels, 'unavailable'] as const;

/** IPNs that are not the platform's, or not meant for us: a forgery, or a partner code or secret out of step. */
export const unauthenticIpnVerdicts = ['refused_checksum', 'refused_partner'] as const satisfies ReadonlyArray<(typeof ipnVerdictLabels)[number]>;

/** A label value outside the known set is counted as this, never as given. */
const otherLabel = 'other';

export interface PaymentMetrics {
  /** lgsp_payment_anomalies_total{kind}. */
  anomalies: Counter<'kind'>;
  /** lgsp_payment_ipn_total{verdict}. */
  ipns: Counter<'verdict'>;
  countAnomaly(kind: PaymentAnomaly): void;
  countIpn(verdict: string): void;
}

export function paymentMetrics(registry: Registry): PaymentMetrics {
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  const anomalies =
    existing<Counter<'kind'>>(paymentMetricNames.anomalies) ??
    zeroed(
      new Counter({
        name: paymentMetricNames.anomalies,
        help: 'Payment anomalies a human must settle, by kind: a late failure after paid, paid after the payment was closed, a second payment, an amount or currency that differs from ours (IPN or QUERY)',
        labelNames: ['kind'],
        registers: [registry],
      }),
      'kind',
      paymentAnomalyKinds,
    );
  const ipns =
    existing<Counter<'verdict'>>(paymentMetricNames.ipns) ??
    zeroed(
      new Counter({
        name: paymentMetricNames.ipns,
        help: 'Payment platform callbacks (IPN) received, by verdict: applied, replay, refused_* (checksum, partner, amount, currency, unknown reference, malformed, source address), ignored_late, recorded_after_final; unavailable: not processed (503, delivered again by the platform)',
        labelNames: ['verdict'],
        registers: [registry],
      }),
      'verdict',
      ipnCountedLabels,
    );
  return {
    anomalies,
    ipns,
    countAnomaly: (kind) => anomalies.inc({ kind: known(kind, paymentAnomalyKinds) }),
    countIpn: (verdict) => ipns.inc({ verdict: known(verdict, ipnCountedLabels) }),
  };
}

/**
 * The onAnomaly function the IPN processor and reconciliation take: counts
 * the anomaly (the alert rule `payments.anomaly` reads the counter) and logs
 * it with its reference for the operator the alert sends to
 * /admin/v1/payments/{reference}. Never throws.
 */
export function createPaymentAnomalyCounter(registry: Registry, logger?: Logger): (kind: PaymentAnomaly, reference: string) => void {
  const metrics = paymentMetrics(registry);
  return (kind, reference) => {
    metrics.countAnomaly(kind);
    logger?.warn({ anomaly: kind, reference }, 'payment anomaly: see /admin/v1/payments/{reference}');
  };
}

/** Every known label value starts at 0, so that the first anomaly is an increase in Prometheus too (a series born at 1 has none). */
function zeroed<L extends string>(counter: Counter<L>, label: L, values: readonly string[]): Counter<L> {
  for (const value of values) counter.inc({ [label]: value } as Partial<Record<L, string>>, 0);
  return counter;
}

function known(value: string, allowed: readonly string[]): string {
  return allowed.includes(value) ? value : otherLabel;
}
