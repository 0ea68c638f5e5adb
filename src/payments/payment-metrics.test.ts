import { Registry } from 'prom-client';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { createPaymentAnomalyCounter, paymentMetrics } from './payment-metrics.js';

describe('payment metrics', () => {
  it('count anomalies by kind, never by reference, and log the reference for the operator', async () => {
    const registry = new Registry();
    const log = captureLogger();
    const onAnomaly = createPaymentAnomalyCounter(registry, log.logger);
    onAnomaly('late_failure_after_paid', 'LGSP250521000001');
    onAnomaly('late_failure_after_paid', 'LGSP250521000002');
    onAnomaly('second_payment', 'LGSP250521000003');
    const exposition = await registry.metrics();
    expect(exposition).toContain('lgsp_payment_anomalies_total{kind="late_failure_after_paid"} 2');
    expect(exposition).toContain('lgsp_payment_anomalies_total{kind="second_payment"} 1');
    // Every kind is exposed from the start, at 0.
    expect(exposition).toContain('lgsp_payment_anomalies_total{kind="currency_mismatch"} 0');
    expect(exposition).toContain('lgsp_payment_ipn_total{verdict="refused_checksum"} 0');
    expect(exposition).not.toContain('LGSP2505');
    const lines = log.text().trim().split('\n').map((line) => JSON.parse(line) as { msg: string; anomaly?: string; reference?: string });
    expect(lines.filter((line) => line.msg.includes('payment anomaly')).map((line) => [line.anomaly, line.reference])).toEqual([
      ['late_failure_after_paid', 'LGSP250521000001'],
      ['late_failure_after_paid', 'LGSP250521000002'],
      ['second_payment', 'LGSP250521000003'],
    ]);
  });

  it('register once per registry (the IPN route and the anomaly hook share the counters) and keep labels bounded', async () => {
    const registry = new Registry();
    const first = paymentMetrics(registry);
    const second = paymentMetrics(registry);
    expect(second.ipns).toBe(first.ipns);
    expect(second.anomalies).toBe(first.anomalies);
    first.countIpn('refused_checksum');
    second.countIpn('refused_checksum');
    first.countIpn('Nguyễn Văn A');
    first.countAnomaly('made_up' as never);
    const exposition = await registry.metrics();
    expect(exposition).toContain('lgsp_payment_ipn_total{verdict="refused_checksum"} 2');
    expect(exposition).toContain('lgsp_payment_ipn_total{verdict="other"} 1');
    expect(exposition).toContain('lgsp_payment_anomalies_total{kind="other"} 1');
    expect(exposition).not.toContain('Nguyễn');
  });
});
