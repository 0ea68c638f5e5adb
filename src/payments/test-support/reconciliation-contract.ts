import pino from 'pino';
import { createPaygovClient, type PaygovClient } from '../../../connectors/paygov/client.js';
import { initOutcome, type PaygovPayment } from '../../../connectors/paygov/mapping.js';
import { startIpnReceiver, type IpnReceiver } from '../../../connectors/paygov/sandbox/test-support.js';
import { startPaygovSandbox, type PaygovSandbox } from '../../../connectors/paygov/sandbox/server.js';
import { createMessageChecksumAuth } from '../../connector-kit/upstream-auth/message-checksum.js';
import type { Store } from '../../store/store.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import type { PaymentAnomaly } from '../payment-states.js';
import { dailyReport, reportCsv } from '../reconciliation-report.js';
import { reconcilePending, type PlatformPaymentStatus, type ReconciliationDeps, type ReconciliationSummary } from '../reconciliation.js';
import { activeSecret, openPayments, partnerCode, paymentInput, sealedIpn, transitionsOf, type PaymentsFixture } from './payments-harness.js';
import { paygovPaymentPlatform } from '../../../connectors/paygov/payment-platform.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The real paygov client's QUERY through the connector's own payment platform, as the gateway asks it. */
export function queryThrough(client: PaygovClient): ReconciliationDeps['queryPlatform'] {
  return (reference, signal) =>
    paygovPaymentPlatform.query(client, reference, { signal: signal ?? AbortSignal.timeout(5000), requestId: `reconcile-${reference}`, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
}

/** Reconciliation against the paygov sandbox over HTTP, on every store driver. */
export function describeReconciliationContract(storeTarget: StoreTarget, scale: { concurrentIpns: number; secondHandle: boolean }): void {
  let sandbox: PaygovSandbox;
  let client: PaygovClient;
  let receiver: IpnReceiver;
  let keys = 0;

  beforeAll(async () => {
    receiver = await startIpnReceiver();
    // No callback address: every payment's IPN is lost, which is what reconciliation is for.
    sandbox = await startPaygovSandbox({ credentials: { partnerCode, secretKey: activeSecret }, ipnAttempts: 1, ipnRetryDelayMs: 10 });
    client = await createPaygovClient({
      baseUrl: sandbox.baseUrl, settings: {}, auth: createMessageChecksumAuth({ partnerCode, secretKey: activeSecret }), logger: pino({ level: 'silent' }), transport: { connectTimeoutMs: 2000 },
    });
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await receiver.close();
    await storeTarget.dispose();
  });
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.setIpnUrl(undefined);
  });

  interface Setup {
    fixture: PaymentsFixture;
    anomalies: Array<[PaymentAnomaly, string]>;
    queried: string[];
    now: Date;
    deps: ReconciliationDeps;
  }

  const setup = async (): Promise<Setup> => {
    const fixture = await openPayments(storeTarget);
    const anomalies: Array<[PaymentAnomaly, string]> = [];
    const queried: string[] = [];
    const query = queryThrough(client);
    const now = new Date();
    const deps: ReconciliationDeps = {
      store: fixture.store,
      payments: fixture.payments,
      queryPlatform: (reference, signal) => {
        queried.push(reference);
        return query(reference, signal);
      },
      onAnomaly: (kind, reference) => void anomalies.push([kind, reference]),
      logger: fixture.log.logger,
      now: () => now,
    };
    return { fixture, anomalies, queried, now, deps };
  };

  /** Created by us; INIT sent to the sandbox unless `init` is false (then the platform never heard of it). */
  const newPayment = async (fixture: PaymentsFixture, options: { init?: boolean; platformAmount?: number } = {}) => {
    const { payment } = await fixture.payments.create(paymentInput(), { consumerId: 'one-stop-h22', idempotencyKey: `recon-${++keys}` });
    if (options.init === false) return payment.reference;
    const platformPayment: PaygovPayment = {
      reference: payment.reference, dossierCode: payment.dossierCode, procedureCode: payment.procedureCode, agencyCode: '000.00.01.H22', payerName: 'Nguyễn Thị Bích Ngọc',
      feeItems: options.platformAmount === undefined ? payment.items : [{ code: 'LP01', name: 'Lệ phí', amount: options.platformAmount }],
      createdAt: payment.createdAt,
    };
    const { paymentUrl, platformTransactionId } = initOutcome(await client.init(platformPayment, { signal: AbortSignal.timeout(5000), requestId: 'init', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }));
    await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl, ...(platformTransactionId && { platformTransactionId }) }, 'init');
    return payment.reference;
  };

  /** Moves a payment's clock: created `ageMs` before `now`, expiring `expiresInMs` after it (negative: already past). */
  const placeInTime = async (store: Store, reference: string, now: Date, ageMs: number, expiresInMs = day) => {
    await store.query('UPDATE payments SET created_at = $2, expires_at = $3 WHERE reference = $1', [reference, new Date(now.getTime() - ageMs), new Date(now.getTime() + expiresInMs)]);
  };

  const queryState = async (store: Store, reference: string) =>
    (await store.query<{ state: string; last_queried_at: Date | null; query_count: number }>('SELECT state, last_queried_at, query_count FROM payments WHERE reference = $1', [reference])).rows[0]!;

  const summaryOf = (partial: Partial<ReconciliationSummary>): ReconciliationSummary => ({
    examined: 0, paid: 0, failed: 0, expired: 0, stillPending: 0, unknown: 0, alreadySettled: 0, anomalies: 0, errors: 0, ...partial,
  });

  describe(`${storeTarget.driver} payment reconciliation against the paygov sandbox`, () => {
    it('resolves a payment whose IPN never came (paid), and a cancelled one (failed), through the store with source query', async () => {
      const { fixture, deps, now, queried } = await setup();
      const paid = await newPayment(fixture);
      const cancelled = await newPayment(fixture);
      expect(sandbox.pay(paid, 'BIDV')).toBe(true);
      expect(sandbox.cancel(cancelled)).toBe(true);
      await sandbox.idle();
      // The IPN went nowhere: the sandbox had no callback address.
      const deliveries = sandbox.deliveries.filter((delivery) => delivery.message.MaThamChieu === paid);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]!.answer).toBeUndefined();
      expect((await fixture.payments.get(paid))!.state).toBe('pending');
      for (const reference of [paid, cancelled]) await placeInTime(fixture.store, reference, now, hour);

      expect(await reconcilePending(deps)).toEqual(summaryOf({ examined: 2, paid: 1, failed: 1 }));
      const view = (await fixture.payments.get(paid))!;
      expect(view).toMatchObject({ state: 'paid', platformTransactionId: sandbox.payment(paid)!.transactionId });
      expect(view.platformPaidAt).toBeInstanceOf(Date);
      expect(view.history.at(-1)).toMatchObject({ from: 'pending', to: 'paid', source: 'query', actor: 'reconciliation' });
      expect((await fixture.payments.get(cancelled))!.history.at(-1)).toMatchObject({ from: 'pending', to: 'failed', source: 'query', actor: 'reconciliation' });
      expect(await queryState(fixture.store, paid)).toMatchObject({ state: 'paid', query_count: 1, last_queried_at: now });
      expect(queried.sort()).toEqual([paid, cancelled].sort());
      // The same outcome, audited once, with the reconciliation as actor.
      const audit = await fixture.store.query<{ actor: string }>("SELECT actor FROM admin_audit_log WHERE resource_type = 'payment' AND resource_id = $1 AND action = 'update' ORDER BY id", [paid]);
      expect(audit.rows.map((row) => row.actor)).toEqual(['one-stop-h22', 'reconciliation']);

      // Final payments are not claimed again.
      expect(await reconcilePending(deps, { requeryAfterMs: 0 })).toEqual(summaryOf({}));
      expect(queried).toHaveLength(2);
    });

    it('leaves a pending one pending, expires old ones the platform calls pending or does not know, ignores too young and too old ones', async () => {
      const { fixture, deps, now, queried } = await setup();
      const pending = await newPayment(fixture);
      const pendingPastExpiry = await newPayment(fixture);
      const unknownPastExpiry = await newPayment(fixture, { init: false });
      const unknownYoung = await newPayment(fixture, { init: false });
      const tooYoung = await newPayment(fixture);
      const tooOld = await newPayment(fixture);
      await placeInTime(fixture.store, pending, now, 2 * hour);
      await placeInTime(fixture.store, pendingPastExpiry, now, 30 * hour, -6 * hour);
      await placeInTime(fixture.store, unknownPastExpiry, now, 2 * day, -day);
      await placeInTime(fixture.store, unknownYoung, now, 31 * minute);
      await placeInTime(fixture.store, tooYoung, now, 29 * minute);
      await placeInTime(fixture.store, tooOld, now, 3 * day + minute, -2 * day);
      sandbox.pay(tooYoung);
      sandbox.pay(tooOld);
      await sandbox.idle();

      expect(await reconcilePending(deps)).toEqual(summaryOf({ examined: 4, stillPending: 1, unknown: 1, expired: 2 }));
      // Oldest first.
      expect(queried).toEqual([unknownPastExpiry, pendingPastExpiry, pending, unknownYoung]);
      expect((await fixture.payments.get(pending))!.state).toBe('pending');
      for (const reference of [pendingPastExpiry, unknownPastExpiry]) {
        expect((await fixture.payments.get(reference))!.history.at(-1)).toMatchObject({ to: 'expired', source: 'expiry', actor: 'reconciliation' });
      }
      expect((await fixture.payments.get(unknownYoung))!.state).toBe('created');
      for (const reference of [tooYoung, tooOld]) expect(await queryState(fixture.store, reference)).toMatchObject({ state: 'pending', query_count: 0, last_queried_at: null });
      expect(await queryState(fixture.store, pending)).toMatchObject({ query_count: 1 });

      // Within requeryAfterMs nothing is asked again; after it, the open ones are.
      expect((await reconcilePending(deps)).examined).toBe(0);
      expect(await reconcilePending(deps, { requeryAfterMs: 0 })).toEqual(summaryOf({ examined: 2, stillPending: 1, unknown: 1 }));
      expect(await queryState(fixture.store, pending)).toMatchObject({ query_count: 2 });
    });

    it('takes a bounded batch, oldest first', async () => {
      const { fixture, deps, now, queried } = await setup();
      const references = [];
      for (let index = 0; index < 3; index += 1) {
        const reference = await newPayment(fixture);
        await placeInTime(fixture.store, reference, now, (10 - index) * hour);
        references.push(reference);
      }
      expect((await reconcilePending(deps, { batchSize: 2 })).examined).toBe(2);
      expect(queried).toEqual(references.slice(0, 2));
      expect((await reconcilePending(deps, { batchSize: 2 })).examined).toBe(1);
      expect(queried).toEqual(references);
    });

    it(`applies an outcome once when its IPN arrives during the run (${scale.concurrentIpns} payments)`, async () => {
      const { fixture, deps, now } = await setup();
      sandbox.setIpnUrl(receiver.url);
      receiver.received.length = 0;
      const references: string[] = [];
      for (let index = 0; index < scale.concurrentIpns; index += 1) {
        const reference = await newPayment(fixture);
        await placeInTime(fixture.store, reference, now, hour);
        sandbox.pay(reference);
        references.push(reference);
      }
      await sandbox.idle();
      // The platform's real IPNs, held back by the receiver and now delivered to our processor while the run is under way.
      const ipns = references.map((reference) => receiver.received.find((message) => message.MaThamChieu === reference)!);
      expect(ipns.every(Boolean)).toBe(true);
      // Half arrive as the run starts; the other half at the moment the platform's QUERY answer reaches the run, so the
      // IPN's transaction and the run's applyOutcome start together and race for the payment's row lock.
      const early = ipns.filter((_, index) => index % 2 === 0);
      const late = new Map(ipns.filter((_, index) => index % 2 === 1).map((message) => [message.MaThamChieu as string, message]));
      const lateResults: Array<ReturnType<PaymentsFixture['ipn']>> = [];
      const racing: ReconciliationDeps = {
        ...deps,
        queryPlatform: async (reference, signal) => {
          const answer = await deps.queryPlatform(reference, signal);
          const message = late.get(reference);
          if (message) lateResults.push(fixture.ipn(message));
          return answer;
        },
      };
      const [summary, ...earlyResults] = await Promise.all([reconcilePending(racing, { concurrency: 4 }), ...early.map((message) => fixture.ipn(message))]);
      const results = [...earlyResults, ...(await Promise.all(lateResults))];
      expect(results).toHaveLength(references.length);

      for (const reference of references) {
        const paidTransitions = (await transitionsOf(fixture.store, reference)).filter((transition) => transition.to_state === 'paid');
        expect(paidTransitions).toHaveLength(1);
      }
      const appliedByIpn = results.filter((result) => result.verdict === 'applied').length;
      expect(results.every((result) => result.verdict === 'applied' || result.verdict === 'replay')).toBe(true);
      expect(appliedByIpn + summary.paid).toBe(references.length);
      expect(summary.paid + summary.alreadySettled).toBe(summary.examined);
      expect(summary.errors + summary.anomalies).toBe(0);
    });

    it('two concurrent runs (two replicas) query each payment at most once', async () => {
      const { fixture, deps, now, queried } = await setup();
      const other = scale.secondHandle ? await fixture.isolated.openAnother() : fixture.store;
      const references: string[] = [];
      for (let index = 0; index < 8; index += 1) {
        const reference = await newPayment(fixture);
        await placeInTime(fixture.store, reference, now, hour + index * minute);
        if (index % 2 === 0) sandbox.pay(reference);
        references.push(reference);
      }
      await sandbox.idle();
      const [first, second] = await Promise.all([reconcilePending(deps, { concurrency: 2 }), reconcilePending({ ...deps, store: other }, { concurrency: 2 })]);
      expect(queried.sort()).toEqual([...references].sort());
      expect(first.examined + second.examined).toBe(8);
      expect(first.paid + second.paid).toBe(4);
      expect(first.stillPending + second.stillPending).toBe(4);
      for (const reference of references) expect((await queryState(fixture.store, reference)).query_count).toBe(1);
    });

    it('counts an upstream failure instead of throwing, and the rest of the batch goes on', async () => {
      const { fixture, deps, now, queried } = await setup();
      const references: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const reference = await newPayment(fixture);
        await placeInTime(fixture.store, reference, now, (3 - index) * hour);
        sandbox.pay(reference);
        references.push(reference);
      }
      await sandbox.idle();
      sandbox.faults.set({ kind: 'http-500' }, { operation: 'QUERY', times: 1 });
      expect(await reconcilePending(deps, { concurrency: 1 })).toEqual(summaryOf({ examined: 3, paid: 2, errors: 1 }));
      expect(queried).toEqual(references);
      expect((await fixture.payments.get(references[0]!))!.state).toBe('pending');
      expect((await fixture.payments.get(references[1]!))!.state).toBe('paid');
      expect(fixture.log.messages()).toContain('payment reconciliation: QUERY failed, payment left as it was');
      // Asked again on a later run.
      expect(await reconcilePending(deps, { requeryAfterMs: 0 })).toEqual(summaryOf({ examined: 1, paid: 1 }));
    });

    it('reports an amount the platform disagrees on as an anomaly, recorded, never applied', async () => {
      const { fixture, deps, now, anomalies } = await setup();
      const reference = await newPayment(fixture, { platformAmount: 149_000 });
      await placeInTime(fixture.store, reference, now, hour, -hour);
      sandbox.pay(reference);
      await sandbox.idle();
      expect(await reconcilePending(deps)).toEqual(summaryOf({ examined: 1, anomalies: 1 }));
      expect(anomalies).toEqual([['amount_mismatch', reference]]);
      // Not paid and, though past expiry, not expired either: a human decides.
      expect((await fixture.payments.get(reference))!.state).toBe('pending');
      const record = await fixture.store.query<{ actor: string; after: Record<string, unknown> }>(
        "SELECT actor, after FROM admin_audit_log WHERE resource_type = 'payment_anomaly' AND resource_id = $1",
        [reference],
      );
      expect(record.rows).toEqual([{ actor: 'reconciliation', after: { anomaly: 'amount_mismatch', source: 'query', reportedState: 'paid', expectedAmount: 150_000, reportedAmount: 149_000 } }]);
    });

    it('a "paid" answer that does not say how much is an anomaly, never applied', async () => {
      const { fixture, deps, now, anomalies } = await setup();
      const reference = await newPayment(fixture);
      await placeInTime(fixture.store, reference, now, hour);
      const vague: ReconciliationDeps = { ...deps, queryPlatform: async () => ({ state: 'paid', platformTransactionId: 'PG1' }) };
      expect(await reconcilePending(vague)).toEqual(summaryOf({ examined: 1, anomalies: 1 }));
      expect(anomalies).toEqual([['amount_mismatch', reference]]);
      expect((await fixture.payments.get(reference))!.state).not.toBe('paid');
    });

    it('reports a paid answer for a payment already closed, never applying it', async () => {
      const { fixture, deps, now, anomalies } = await setup();
      const reference = await newPayment(fixture);
      await placeInTime(fixture.store, reference, now, hour);
      sandbox.pay(reference);
      await sandbox.idle();
      // Closed between the claim and the answer: the platform's "paid" meets a final state.
      const closing: ReconciliationDeps = {
        ...deps,
        queryPlatform: async (ref, signal) => {
          const answer = await deps.queryPlatform(ref, signal);
          await fixture.payments.applyOutcome(ref, { state: 'cancelled' }, 'manual', { actor: 'officer-1' });
          return answer;
        },
      };
      expect(await reconcilePending(closing)).toEqual(summaryOf({ examined: 1, anomalies: 1 }));
      expect(anomalies).toEqual([['paid_after_closed', reference]]);
      expect((await fixture.payments.get(reference))!.state).toBe('cancelled');
    });
  });

  describe(`${storeTarget.driver} daily reconciliation report`, () => {
    // 2026-05-21 in Vietnam time is [2026-05-20T17:00Z, 2026-05-21T17:00Z).
    const at = (iso: string) => new Date(iso);

    it('counts and sums by state for the payments created that day, lists the mismatches, and writes them as CSV', async () => {
      const fixture = await openPayments(storeTarget);
      const consumer = (key: string) => ({ consumerId: 'one-stop-h22', idempotencyKey: key });
      const create = async (key: string, amount = 150_000) =>
        (await fixture.payments.create(paymentInput({ items: [{ code: 'LP01', name: 'Lệ phí, "cấp"', amount }] }), consumer(key))).payment.reference;
      fixture.forcedReferences.push('RPAID1', 'RPEND2', 'RFAIL3', 'RANOM4', 'RBIG5', 'RPREV6');
      const [paid, pastExpiry, failed, anomalous, big, previousDay] = [await create('a'), await create('b'), await create('c', 250_000), await create('d'), await create('e'), await create('f')];
      for (const reference of [paid, pastExpiry, failed, anomalous]) await fixture.payments.applyOutcome(reference, { state: 'pending' }, 'init');
      expect((await fixture.ipn(sealedIpn(paid, { SoTien: '149000' }))).verdict).toBe('refused_amount');
      expect((await fixture.ipn(sealedIpn(paid))).verdict).toBe('applied');
      expect((await fixture.ipn(sealedIpn(paid, { MaLoi: '01' }))).verdict).toBe('ignored_late');
      await fixture.payments.applyOutcome(failed, { state: 'failed' }, 'query');
      const times: Array<[string, string, string]> = [
        [paid, '2026-05-20T17:00:00.000Z', '2026-05-21T17:00:00.000Z'], // the first instant of the day
        [pastExpiry, '2026-05-21T01:00:00.000Z', '2026-05-21T05:00:00.000Z'],
        [failed, '2026-05-21T02:00:00.000Z', '2026-05-22T02:00:00.000Z'],
        [anomalous, '2026-05-21T03:00:00.000Z', '2026-05-22T03:00:00.000Z'],
        [big, '2026-05-21T16:59:59.999Z', '2026-05-22T16:59:59.999Z'], // the last millisecond of the day
        [previousDay, '2026-05-20T16:59:59.999Z', '2026-05-20T17:30:00.000Z'], // the day before: not counted, not listed
      ];
      for (const [reference, created, expires] of times) {
        await fixture.store.query('UPDATE payments SET created_at = $2, expires_at = $3 WHERE reference = $1', [reference, at(created), at(expires)]);
      }
      // Beyond Number.MAX_SAFE_INTEGER: the sum must not round.
      await fixture.store.query('UPDATE payments SET total_amount = 9007199254740993 WHERE reference = $1', [big]);
      await fixture.store.query("UPDATE payment_ipns SET received_at = $2 WHERE verdict = 'refused_amount' AND parsed_reference = $1", [paid, at('2026-05-21T04:00:00.000Z')]);
      await fixture.store.query("UPDATE payment_ipns SET received_at = $2 WHERE verdict = 'ignored_late' AND parsed_reference = $1", [paid, at('2026-05-21T05:00:00.000Z')]);
      await fixture.store.query("UPDATE payment_ipns SET received_at = $1 WHERE verdict = 'applied'", [at('2026-05-21T04:30:00.000Z')]);

      // The reconciliation run of 13:00 Vietnam time finds the platform disagreeing on one amount.
      const runAt = at('2026-05-21T06:00:00.000Z');
      const summary = await reconcilePending({
        store: fixture.store,
        payments: fixture.payments,
        queryPlatform: async (reference): Promise<PlatformPaymentStatus | undefined> =>
          reference === anomalous ? { state: 'paid', amount: 15_000, currency: 'VND' } : { state: 'pending', amount: 150_000, currency: 'VND' },
        now: () => runAt,
      });
      // pastExpiry (and the previous day's payment) expired by that run; the anomalous one stays open.
      expect(summary).toMatchObject({ examined: 3, anomalies: 1, stillPending: 0, expired: 2, errors: 0 });
      // Then the anomalous one passes its expiry, still open when the report is made.
      await fixture.store.query('UPDATE payments SET expires_at = $2 WHERE reference = $1', [anomalous, at('2026-05-21T10:00:00.000Z')]);

      const report = await dailyReport(fixture.store, '2026-05-21', { asOf: at('2026-05-21T12:00:00.000Z') });
      expect(report.from).toEqual(at('2026-05-20T17:00:00.000Z'));
      expect(report.to).toEqual(at('2026-05-21T17:00:00.000Z'));
      expect(report.byState).toEqual([
        { state: 'created', count: 1, amount: '9007199254740993' },
        { state: 'pending', count: 1, amount: '150000' },
        { state: 'paid', count: 1, amount: '150000' },
        { state: 'failed', count: 1, amount: '250000' },
        { state: 'expired', count: 1, amount: '150000' },
        { state: 'cancelled', count: 0, amount: '0' },
      ]);
      expect(report.total).toEqual({ count: 5, amount: '9007199255440993' });
      expect(reportCsv(report)).toBe(
        [
          'date,section,state_or_kind,reference,count,amount_vnd,at,detail,payer_masked',
          '2026-05-21,state,created,,1,9007199254740993,,,',
          '2026-05-21,state,pending,,1,150000,,,',
          '2026-05-21,state,paid,,1,150000,,,',
          '2026-05-21,state,failed,,1,250000,,,',
          '2026-05-21,state,expired,,1,150000,,,',
          '2026-05-21,state,cancelled,,0,0,,,',
          '2026-05-21,total,all,,5,9007199255440993,,,',
          "2026-05-21,mismatch,ipn_amount_refused,RPAID1,,,2026-05-21T04:00:00.000Z,amount 149000 differs from the payment's 150000,NGU***************ỌC",
          '2026-05-21,mismatch,ipn_late_failure_after_paid,RPAID1,,,2026-05-21T05:00:00.000Z,"failed after paid: recorded, not applied (late_failure_after_paid)",NGU***************ỌC',
          '2026-05-21,mismatch,query_anomaly,RANOM4,,,2026-05-21T06:00:00.000Z,amount_mismatch expectedAmount=150000 reportedAmount=15000 reportedState=paid source=query,NGU***************ỌC',
          '2026-05-21,mismatch,open_past_expiry,RANOM4,,,2026-05-21T10:00:00.000Z,still pending past expiry,NGU***************ỌC',
          '',
        ].join('\r\n'),
      );
      expect(reportCsv(report)).not.toContain('Nguy');
      await expect(dailyReport(fixture.store, '2026-02-30')).rejects.toThrow('YYYY-MM-DD');
    });
  });
}
