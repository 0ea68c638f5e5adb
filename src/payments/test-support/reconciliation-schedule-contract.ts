import type { PaymentsConfig } from '../../config/gateway-config.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import type { PaymentAnomaly } from '../payment-states.js';
import { startPaymentReconciliation, type PaymentReconciliation, type PaymentReconciliationOptions } from '../reconciliation-schedule.js';
import { startGuardedPaygov, type GuardedPaygov } from './guarded-paygov.js';
import { openPayments, paymentInput, type PaymentsFixture } from './payments-harness.js';

const minute = 60_000;
const config: PaymentsConfig['reconciliation'] = {
  enabled: true, intervalMs: 1_000, minAgeMs: 30 * minute, maxAgeMs: 3 * 24 * 60 * minute, requeryAfterMs: 5 * minute, batchSize: 100, concurrency: 4,
};

/** The reconciliation schedule on every store driver, querying the paygov sandbox through the connector's guards. */
export function describeReconciliationScheduleContract(storeTarget: StoreTarget): void {
  let paygov: GuardedPaygov;
  let keys = 0;
  const schedules: PaymentReconciliation[] = [];
  beforeAll(async () => {
    paygov = await startGuardedPaygov();
  });
  afterEach(async () => {
    await Promise.all(schedules.splice(0).map((schedule) => schedule.stop()));
    paygov.sandbox.faults.clear();
  });
  afterAll(async () => {
    await paygov.close();
    await storeTarget.dispose();
  });

  /** A payment INIT'd at the sandbox, 40 minutes old (inside the default window), whose IPN never comes. */
  const openPayment = async (fixture: PaymentsFixture, options: { expired?: boolean } = {}) => {
    const { payment } = await fixture.payments.create(paymentInput(), { consumerId: 'one-stop-h22', idempotencyKey: `schedule-${++keys}` });
    const { paymentUrl } = await paygov.init(payment);
    await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl }, 'init');
    const now = Date.now();
    await fixture.store.query('UPDATE payments SET created_at = $2, expires_at = $3 WHERE reference = $1', [
      payment.reference, new Date(now - 40 * minute), new Date(options.expired ? now - minute : now + 60 * minute),
    ]);
    return payment.reference;
  };
  const start = (fixture: PaymentsFixture, overrides: Partial<PaymentReconciliationOptions> = {}) => {
    const anomalies: Array<[PaymentAnomaly, string]> = [];
    const schedule = startPaymentReconciliation({
      store: fixture.store, payments: fixture.payments, platform: paygov.platform, config, logger: fixture.log.logger,
      onAnomaly: (kind, reference) => void anomalies.push([kind, reference]), random: () => 0.5, ...overrides,
    });
    schedules.push(schedule);
    return { schedule, anomalies };
  };
  const stateOf = async (fixture: PaymentsFixture, reference: string) => (await fixture.payments.get(reference))!.state;
  const waitFor = async (condition: () => Promise<boolean>, timeoutMs: number, what: string) => {
    const until = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  describe(`${storeTarget.driver} payment reconciliation schedule`, () => {
    it('runNow resolves a payment whose IPN never came and closes one past expiry, QUERYing through the connector\'s guards', async () => {
      const fixture = await openPayments(storeTarget);
      const paid = await openPayment(fixture);
      const expired = await openPayment(fixture, { expired: true });
      const waiting = await openPayment(fixture);
      expect(paygov.sandbox.pay(paid, 'VCB')).toBe(true);
      await paygov.sandbox.idle();
      const { schedule } = start(fixture, { config: { ...config, enabled: false } });

      const summary = await schedule.runNow();
      expect(summary).toMatchObject({ examined: 3, paid: 1, expired: 1, stillPending: 1, errors: 0, anomalies: 0 });
      expect(await stateOf(fixture, paid)).toBe('paid');
      expect((await fixture.payments.get(paid))!.history.at(-1)).toMatchObject({ to: 'paid', source: 'query', actor: 'reconciliation' });
      expect(await stateOf(fixture, expired)).toBe('expired');
      expect(await stateOf(fixture, waiting)).toBe('pending');
    }, 90_000); // the first test opens the store: a PGlite start is slow on a loaded machine

    it('QUERYs through the connector\'s breaker: once it opens, the rest of the run is refused without reaching the platform', async () => {
      const tripping = await startGuardedPaygov({ breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 } });
      try {
        const fixture = await openPayments(storeTarget);
        const references: string[] = [];
        for (let index = 0; index < 4; index += 1) {
          const { payment } = await fixture.payments.create(paymentInput(), { consumerId: 'one-stop-h22', idempotencyKey: `breaker-${++keys}` });
          await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl: (await tripping.init(payment)).paymentUrl }, 'init');
          await fixture.store.query('UPDATE payments SET created_at = $2 WHERE reference = $1', [payment.reference, new Date(Date.now() - 40 * minute)]);
          references.push(payment.reference);
        }
        tripping.sandbox.faults.set({ kind: 'http-500' }, { operation: 'QUERY', times: 10 });
        const schedule = startPaymentReconciliation({
          store: fixture.store, payments: fixture.payments, platform: tripping.platform, config: { ...config, enabled: false, concurrency: 1 }, logger: fixture.log.logger,
        });
        schedules.push(schedule);
        expect(await schedule.runNow()).toMatchObject({ examined: 4, errors: 4, paid: 0 });
        expect(tripping.breakers.state('paygov')).toBe('open');
        expect(await tripping.metrics.registry.metrics()).toMatch(/lgsp_upstream_rejections_total\{connector="paygov",reason="open"\} 2/);
        for (const reference of references) expect(await stateOf(fixture, reference)).toBe('pending');
      } finally {
        await tripping.close();
      }
    });

    it('runs by itself every intervalMs (jittered) when enabled, and not at all when disabled', async () => {
      const fixture = await openPayments(storeTarget);
      const reference = await openPayment(fixture);
      paygov.sandbox.pay(reference, 'VCB');
      await paygov.sandbox.idle();
      start(fixture, { config: { ...config, enabled: false } });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await stateOf(fixture, reference)).toBe('pending');

      const startedAt = Date.now();
      // random 0: the shortest jittered delay, 90 % of the interval.
      start(fixture, { random: () => 0 });
      await waitFor(async () => (await stateOf(fixture, reference)) === 'paid', 5_000, 'the scheduled run');
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    });

    it('never runs twice at once in a process: runNow during a run joins it', async () => {
      const fixture = await openPayments(storeTarget);
      const references = [await openPayment(fixture), await openPayment(fixture), await openPayment(fixture)];
      for (const reference of references) paygov.sandbox.pay(reference, 'VCB');
      await paygov.sandbox.idle();
      const { schedule } = start(fixture, { config: { ...config, enabled: false } });
      const [first, second, third] = await Promise.all([schedule.runNow(), schedule.runNow(), schedule.runNow()]);
      expect(second).toBe(first);
      expect(third).toBe(first);
      expect(first).toMatchObject({ examined: 3, paid: 3 });
      const { rows } = await fixture.store.query<{ query_count: number }>('SELECT query_count FROM payments WHERE reference = ANY($1::text[])', [references]);
      expect(rows.map((row) => row.query_count)).toEqual([1, 1, 1]);
      // The run ended: the next runNow is a new run (nothing left to do).
      const next = await schedule.runNow();
      expect(next).not.toBe(first);
      expect(next.examined).toBe(0);
    });

    it('a platform failing QUERY counts errors and leaves the payment as it was; anomalies reach onAnomaly', async () => {
      const fixture = await openPayments(storeTarget);
      const reference = await openPayment(fixture);
      paygov.sandbox.faults.set({ kind: 'http-500' }, { operation: 'QUERY', times: 1 });
      const { schedule, anomalies } = start(fixture, { config: { ...config, enabled: false, requeryAfterMs: 0 } });
      expect(await schedule.runNow()).toMatchObject({ examined: 1, errors: 1 });
      expect(await stateOf(fixture, reference)).toBe('pending');

      // The platform says paid, but with another amount: never applied, reported.
      const other = await openPayment(fixture);
      await fixture.store.query('UPDATE payments SET total_amount = 149000 WHERE reference = $1', [other]);
      paygov.sandbox.pay(other, 'VCB');
      await paygov.sandbox.idle();
      const summary = await schedule.runNow();
      expect(summary.anomalies).toBe(1);
      expect(anomalies).toEqual([['amount_mismatch', other]]);
      expect(await stateOf(fixture, other)).toBe('pending');
    });

    it('a failing run is logged by the schedule (which goes on) and rejected to whoever asked with runNow', async () => {
      // A store without the payments tables: every claim fails.
      const isolated = await storeTarget.openIsolated();
      const fixture = await openPayments(storeTarget);
      const broken = { ...fixture, store: isolated.store };
      const { schedule } = start(broken as PaymentsFixture);
      await expect(schedule.runNow()).rejects.toThrow();
      await waitFor(async () => fixture.log.messages().filter((message) => message.includes('payment reconciliation run failed; the next run is scheduled')).length >= 2, 5_000, 'two failed scheduled runs');
    });

    it('stop ends the schedule: no more runs, runNow rejects', async () => {
      const fixture = await openPayments(storeTarget);
      const reference = await openPayment(fixture);
      paygov.sandbox.pay(reference, 'VCB');
      await paygov.sandbox.idle();
      const { schedule } = start(fixture);
      await schedule.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await stateOf(fixture, reference)).toBe('pending');
      await expect(schedule.runNow()).rejects.toThrow('stopped');
    });

    it('warns when payments live longer than the window the job looks at', async () => {
      const fixture = await openPayments(storeTarget);
      start(fixture, { config: { ...config, enabled: false }, paymentTtlMs: config.maxAgeMs + 1 });
      start(fixture, { config: { ...config, enabled: false }, paymentTtlMs: 24 * 60 * minute });
      expect(fixture.log.messages().filter((message) => message.includes('payments live longer than the job looks back'))).toHaveLength(1);
    });
  });
}
