import { startCredentialExpiryWatch } from '../../connector-runtime/credential-expiry.js';
import { createMetrics } from '../../observability/metrics.js';
import { createOutboxMetrics } from '../../outbox/metrics.js';
import { createPaymentAnomalyCounter, paymentMetrics } from '../../payments/payment-metrics.js';
import { createRateLimitMetrics } from '../../rate-limit/rate-limit-metrics.js';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import type { Queryable } from '../../store/store.js';
import type { CredentialVersionView } from '../../vault/types.js';
import type { SignalName, SignalSample } from '../types.js';
import { SignalSampler, windowedSignals } from './signal-sampler.js';

const start = Date.UTC(2026, 0, 1, 8, 0, 0);

function setup() {
  let clock = start;
  const metrics = createMetrics();
  const extra: SignalSample[] = [];
  const sampler = new SignalSampler({ registry: metrics.registry, now: () => clock, extraReadings: [() => extra] });
  return {
    metrics,
    sampler,
    extra,
    advance: (seconds: number) => (clock += seconds * 1000),
    now: () => clock,
  };
}

const find = (samples: SignalSample[], signal: SignalName, windowSeconds: number, labels: Record<string, string> = {}) =>
  samples.filter((sample) => sample.signal === signal && sample.windowSeconds === windowSeconds && Object.entries(labels).every(([name, value]) => sample.labels[name] === value));

const one = (samples: SignalSample[], signal: SignalName, windowSeconds: number, labels: Record<string, string> = {}) => {
  const found = find(samples, signal, windowSeconds, labels);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('SignalSampler', () => {
  it('reads probes and breakers as instant signals (breaker open = state 2)', async () => {
    const { metrics, sampler } = setup();
    metrics.probeUp.set({ connector: 'land' }, 0);
    metrics.probeUp.set({ connector: 'population' }, 1);
    metrics.breakerState.set({ connector: 'land' }, 2);
    metrics.breakerState.set({ connector: 'population' }, 1);
    const samples = await sampler.sample([300]);
    expect(one(samples, 'probe_up', 0, { connector: 'land' })).toEqual({ signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 0 });
    expect(one(samples, 'probe_up', 0, { connector: 'population' }).value).toBe(1);
    expect(one(samples, 'breaker_open', 0, { connector: 'land' }).value).toBe(1);
    // Half-open is not open.
    expect(one(samples, 'breaker_open', 0, { connector: 'population' }).value).toBe(0);
  });

  it('computes error ratios per window from counter differences, with a zero baseline while the process is younger than the window', async () => {
    const { metrics, sampler, advance } = setup();
    const call = (outcome: string, times: number) => metrics.requests.inc({ connector: 'land', operation: 'parcel', outcome }, times);
    call('success', 8);
    call('upstream_timeout', 2);
    call('client_error', 5); // the caller's fault: counts as a request, not as an error
    let samples = await sampler.sample([60, 300]);
    expect(one(samples, 'error_ratio', 60, { connector: 'land', operation: 'parcel' })).toMatchObject({ num: 2, den: 15 });
    expect(one(samples, 'error_ratio', 300, { connector: 'land', operation: 'parcel' })).toMatchObject({ num: 2, den: 15 });

    advance(60);
    call('upstream_error', 1);
    call('internal_error', 1);
    call('success', 2);
    samples = await sampler.sample([60, 300]);
    // 60 s window: only what happened since the snapshot taken 60 s ago.
    expect(one(samples, 'error_ratio', 60, { operation: 'parcel' })).toMatchObject({ num: 2, den: 4 });
    // 300 s window: the process is younger, baseline zero.
    expect(one(samples, 'error_ratio', 300, { operation: 'parcel' })).toMatchObject({ num: 4, den: 19 });

    advance(30);
    samples = await sampler.sample([60, 300]);
    // The newest snapshot at or before now - 60 s is the first one (t=0): the window covers t=0..90.
    expect(one(samples, 'error_ratio', 60, { operation: 'parcel' })).toMatchObject({ num: 2, den: 4 });
  });

  it('publishes latency as bucket increases over the outcomes that reached the upstream', async () => {
    const { metrics, sampler, advance } = setup();
    const observe = (outcome: string, seconds: number) => metrics.requestDuration.observe({ connector: 'land', operation: 'parcel', outcome }, seconds);
    observe('success', 0.3);
    observe('denied', 9); // refused by the gateway: not the upstream's latency
    await sampler.sample([60]);
    advance(61);
    observe('success', 0.04);
    observe('upstream_timeout', 7);
    observe('not_found', 0.2);
    const sample = one(await sampler.sample([60]), 'latency_p95_seconds', 60, { operation: 'parcel' });
    const bucket = (bound: number) => sample.buckets!.find(([upper]) => upper === bound)![1];
    expect(sample.buckets!.at(-1)).toEqual([Infinity, 3]);
    expect(bucket(0.025)).toBe(0);
    expect(bucket(0.05)).toBe(1);
    expect(bucket(0.25)).toBe(2);
    expect(bucket(5)).toBe(2);
    expect(bucket(10)).toBe(3);
    // Sorted by bound, cumulative.
    const bounds = sample.buckets!.map(([upper]) => upper);
    expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
  });

  it('counts increases of contract violations, rejections, stale serves (summed over reason) and rate-limit fallbacks', async () => {
    const { metrics, sampler, advance } = setup();
    const rateLimit = createRateLimitMetrics(metrics.registry);
    metrics.contractViolations.inc({ connector: 'land', operation: 'parcel' }, 3);
    metrics.upstreamRejections.inc({ connector: 'land', reason: 'open' }, 4);
    metrics.cacheStaleServes.inc({ connector: 'land', operation: 'catalog', reason: 'revalidating' }, 2);
    metrics.cacheStaleServes.inc({ connector: 'land', operation: 'catalog', reason: 'upstream_failed' }, 5);
    rateLimit.fallbacks.inc(6);
    await sampler.sample([300]);
    advance(300);
    metrics.contractViolations.inc({ connector: 'land', operation: 'parcel' }, 1);
    rateLimit.fallbacks.inc(2);
    let samples = await sampler.sample([300]);
    expect(one(samples, 'contract_violations', 300, { connector: 'land', operation: 'parcel' }).value).toBe(1);
    expect(one(samples, 'upstream_rejections', 300, { connector: 'land', reason: 'open' }).value).toBe(0);
    expect(one(samples, 'cache_stale_serves', 300, { connector: 'land', operation: 'catalog' })).toEqual({
      signal: 'cache_stale_serves',
      labels: { connector: 'land', operation: 'catalog' },
      windowSeconds: 300,
      value: 0,
    });
    expect(one(samples, 'rate_limit_fallback', 300)).toEqual({ signal: 'rate_limit_fallback', labels: {}, windowSeconds: 300, value: 2 });

    advance(10);
    samples = await sampler.sample([300]);
    // Baseline: the snapshot at t=0 (newest at or before now - 300 s), so the increase is the last 310 s.
    expect(one(samples, 'contract_violations', 300, { operation: 'parcel' }).value).toBe(1);
    expect(one(samples, 'rate_limit_fallback', 300).value).toBe(2);
  });

  it('counts payment anomalies by kind, and only the unauthentic IPN verdicts (checksum, partner) as payment_ipn_unauthentic', async () => {
    const { metrics, sampler, advance } = setup();
    const onAnomaly = createPaymentAnomalyCounter(metrics.registry);
    const payments = paymentMetrics(metrics.registry);
    // Every kind and verdict is there from the start, at 0.
    let samples = await sampler.sample([300]);
    expect(find(samples, 'payment_anomalies', 300)).toHaveLength(5);
    expect(find(samples, 'payment_anomalies', 300).every((sample) => sample.value === 0)).toBe(true);
    expect(find(samples, 'payment_ipn_unauthentic', 300).map((sample) => sample.labels.verdict).sort()).toEqual(['refused_checksum', 'refused_partner']);

    advance(60);
    onAnomaly('late_failure_after_paid', 'LGSP250521000001');
    onAnomaly('late_failure_after_paid', 'LGSP250521000002');
    onAnomaly('amount_mismatch', 'LGSP250521000003');
    for (const verdict of ['refused_checksum', 'refused_checksum', 'refused_partner', 'refused_amount', 'applied', 'replay']) payments.countIpn(verdict);
    samples = await sampler.sample([300]);
    expect(one(samples, 'payment_anomalies', 300, { kind: 'late_failure_after_paid' })).toEqual({ signal: 'payment_anomalies', labels: { kind: 'late_failure_after_paid' }, windowSeconds: 300, value: 2 });
    expect(one(samples, 'payment_anomalies', 300, { kind: 'amount_mismatch' }).value).toBe(1);
    expect(one(samples, 'payment_ipn_unauthentic', 300, { verdict: 'refused_checksum' }).value).toBe(2);
    expect(one(samples, 'payment_ipn_unauthentic', 300, { verdict: 'refused_partner' }).value).toBe(1);
    expect(find(samples, 'payment_ipn_unauthentic', 300, { verdict: 'refused_amount' })).toEqual([]);
    // The reference is never a label.
    expect(JSON.stringify(samples)).not.toContain('LGSP2505');
  });

  it('raises audit_unavailable for a failed audit commit within the smallest window, and merges the audit gate reading with max', async () => {
    const { metrics, sampler, advance, extra } = setup();
    metrics.auditCommitBatchSize.observe({ result: 'committed' }, 10);
    expect(one(await sampler.sample([120, 600]), 'audit_unavailable', 0).value).toBe(0);
    advance(10);
    metrics.auditCommitBatchSize.observe({ result: 'failed' }, 4);
    expect(one(await sampler.sample([120, 600]), 'audit_unavailable', 0).value).toBe(1);
    advance(100);
    expect(one(await sampler.sample([120, 600]), 'audit_unavailable', 0).value).toBe(1);
    advance(100);
    // The failure is older than the smallest window (120 s): cleared.
    expect(one(await sampler.sample([120, 600]), 'audit_unavailable', 0).value).toBe(0);
    // The audit gate is closed: the extra reading wins over the counter's 0.
    extra.push({ signal: 'audit_unavailable', labels: {}, windowSeconds: 0, value: 1 });
    expect(one(await sampler.sample([120, 600]), 'audit_unavailable', 0).value).toBe(1);
  });

  it('reads the outbox gauges and the credential expiry (seconds from now)', async () => {
    const { metrics, sampler, now } = setup();
    const log = captureLogger();
    const db: Queryable = {
      query: async <Row>() => ({ rows: [{ target: 'alerts.email', backlog: 3, oldest: 1200, retrying: 1, dead: 2 }] as Row[], rowCount: 1 }),
      exec: async () => undefined,
    };
    createOutboxMetrics(metrics.registry, db, log.logger).registerTarget('alerts.email');
    const expiresAt = new Date(now() + 2 * 86_400_000).toISOString();
    const watch = startCredentialExpiryWatch({
      vault: {
        expiring: async () => [{ connectorId: 'land', state: 'active', expiresAt } as CredentialVersionView],
        sweep: async () => 0,
        nextWindowEnd: async () => undefined,
      },
      registry: metrics.registry,
      connectorIds: ['land', 'population'],
      logger: log.logger,
      now,
    });
    await watch.check();
    watch.stop();
    const samples = await sampler.sample([300]);
    expect(one(samples, 'outbox_dead_messages', 0, { target: 'alerts.email' }).value).toBe(2);
    expect(one(samples, 'outbox_oldest_pending_age_seconds', 0, { target: 'alerts.email' }).value).toBe(1200);
    expect(find(samples, 'credential_expires_in_seconds', 0)).toEqual([
      { signal: 'credential_expires_in_seconds', labels: { connector: 'land' }, windowSeconds: 0, value: 2 * 86_400 },
    ]);
  });

  it('gives no samples for metrics that are not registered, and instant signals only without windows', async () => {
    const { sampler } = setup();
    const samples = await sampler.sample([]);
    expect(samples.every((sample) => sample.windowSeconds === 0)).toBe(true);
    expect(find(samples, 'outbox_dead_messages', 0)).toEqual([]);
    expect(find(samples, 'rate_limit_fallback', 0)).toEqual([]);
    expect(find(samples, 'credential_expires_in_seconds', 0)).toEqual([]);
    expect(windowedSignals.has('error_ratio')).toBe(true);
    expect(windowedSignals.has('probe_up')).toBe(false);
  });

  it('keeps only the snapshots the largest window needs', async () => {
    const { metrics, sampler, advance } = setup();
    for (let tick = 0; tick < 200; tick += 1) {
      metrics.contractViolations.inc({ connector: 'land', operation: 'parcel' });
      await sampler.sample([60]);
      advance(10);
    }
    // 60 s of 10 s ticks: the snapshots inside the window plus the one before it.
    expect((sampler as unknown as { snapshots: unknown[] }).snapshots.length).toBeLessThanOrEqual(8);
    // Now t=2000 s: baseline is the snapshot at t=1940 s; the increments of t=1950..1990 s count.
    const samples = await sampler.sample([60]);
    expect(one(samples, 'contract_violations', 60, { operation: 'parcel' }).value).toBe(5);
  });
});
