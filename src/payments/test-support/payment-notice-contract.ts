import { startHttpReceiver, reply } from '../../alerting/channels/test-support/http-receiver.js';
import { getMessage, listMessages } from '../../outbox/admin.js';
import { enqueue } from '../../outbox/enqueue.js';
import { OutboxDispatcher } from '../../outbox/dispatcher.js';
import type { OutboxMessageView } from '../../outbox/types.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { verifyWebhookSignature } from '../../util/webhook-signature.js';
import { createFinalStateHooks } from '../final-state-hooks.js';
import { paymentNoticeRegistration, paymentNoticeTarget, portalDossierTarget, installPaymentNotices, type PaymentNoticeBody } from '../payment-notice.js';
import { applyToLockedPayment, createPaymentStore, lockPayment } from '../payment-store.js';
import { openPayments, payerName, paymentInput, sealedIpn, subjectKey, type PaymentsFixture } from './payments-harness.js';

const secret = 'notice-hmac-PLANTED-5c2e';
const dossierCode = '000.00.01.H22-250521-0001';
const consumer = { consumerId: 'one-stop-h22' };

/** A dossier version as the portal operation accepts it (only its status matters here). */
function dossierVersion(status: string) {
  return {
    kind: 'dossier',
    dossier: {
      dossierCode, procedureCode: '1.003560.000.00.00.H56', applicant: { kind: 'citizen', id: '001090000001', name: 'Trần Văn Hồ Sơ' },
      summary: 'Cấp giấy phép', receivedAt: '2025-05-21T08:00:00+07:00', dueAt: '2025-05-28T17:00:00+07:00', status,
    },
  };
}

/** The notices of final states, on every store driver: written with the transition, delivered signed by the real dispatcher. */
export function describePaymentNoticeContract(storeTarget: StoreTarget): void {
  let keys = 0;
  const removers: Array<() => void> = [];
  const closers: Array<() => Promise<void>> = [];
  const dispatchers: OutboxDispatcher[] = [];
  afterEach(async () => {
    removers.splice(0).forEach((remove) => remove());
    await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop(0)));
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(() => storeTarget.dispose());

  /** The gateway's wiring: the notices on the registry its store and IPN processor share. */
  const open = async (settings: { url?: string; portalProgress?: boolean } = {}): Promise<PaymentsFixture> => {
    const fixture = await openPayments(storeTarget);
    removers.push(installPaymentNotices({ url: 'url' in settings ? settings.url : 'https://one-stop.example/hooks/payments', portalProgress: settings.portalProgress ?? true }, fixture.hooks));
    return fixture;
  };
  const newPending = async (fixture: PaymentsFixture) => {
    const { payment } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: `notice-${++keys}` });
    await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl: 'https://pay.example/p' }, 'init');
    return payment.reference;
  };
  const messages = (fixture: PaymentsFixture, target: string, key?: string) =>
    listMessages(fixture.store, { target, ...(key !== undefined && { key }), includePayload: true, limit: 1000 });
  const withPayload = (view: OutboxMessageView) => view.payload as Record<string, unknown>;

  describe(`${storeTarget.driver} payment notices: written with the transition`, () => {
    it('an IPN that pays enqueues exactly one signed-webhook notice; duplicates, a QUERY saying the same and a late failure enqueue nothing', async () => {
      const fixture = await open({ portalProgress: false });
      const reference = await newPending(fixture);
      // Not final yet: nothing.
      expect(await messages(fixture, paymentNoticeTarget)).toEqual([]);

      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('applied');
      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('replay');
      expect((await fixture.payments.applyOutcome(reference, { state: 'paid' }, 'query')).decision.kind).toBe('replay');
      expect((await fixture.ipn(sealedIpn(reference, { MaLoi: '01' }))).verdict).toBe('ignored_late');

      const notices = await messages(fixture, paymentNoticeTarget);
      expect(notices).toHaveLength(1);
      const paid = (await fixture.payments.get(reference))!;
      expect(notices[0]).toMatchObject({ key: reference, state: 'pending', sequence: 1 });
      expect(withPayload(notices[0]!)).toEqual({
        event: 'payment.final',
        reference,
        dossierCode,
        procedureCode: '1.003560.000.00.00.H56',
        state: 'paid',
        totalAmount: 150_000,
        currency: 'VND',
        platformTransactionId: paid.platformTransactionId,
        paidAt: '2025-05-21T07:35:12.000Z',
        finalAt: paid.finalAt!.toISOString(),
      });
      // The one-stop system knows its payer: not even the masked name or its hash travels.
      const text = JSON.stringify(notices);
      for (const leak of [payerName, paid.payer.masked, paid.payer.hash]) expect(text).not.toContain(leak);
      // Portal steps off: nothing on the portal target.
      expect(await messages(fixture, portalDossierTarget)).toEqual([]);
    });

    it.each([
      ['failed', 'query', { state: 'failed' as const }],
      ['expired', 'expiry', { state: 'expired' as const }],
      ['cancelled', 'manual', { state: 'cancelled' as const }],
      ['paid', 'query', { state: 'paid' as const, platformTransactionId: 'PG-Q-1' }],
    ] as const)('a move to %s by %s enqueues its notice (any source, the store\'s own applyOutcome)', async (state, source, outcome) => {
      const fixture = await open({ portalProgress: false });
      const reference = await newPending(fixture);
      await fixture.payments.applyOutcome(reference, outcome, source, { actor: 'operator-7' });
      const notices = await messages(fixture, paymentNoticeTarget, reference);
      expect(notices.map((notice) => withPayload(notice).state)).toEqual([state]);
      expect(withPayload(notices[0]!)).not.toHaveProperty(state === 'paid' ? 'paidAt' : 'platformTransactionId');
    });

    it('an IPN before the INIT answer (created → paid) notifies too', async () => {
      const fixture = await open({ portalProgress: false });
      const { payment } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: `notice-${++keys}` });
      expect((await fixture.ipn(sealedIpn(payment.reference))).verdict).toBe('applied');
      expect((await messages(fixture, paymentNoticeTarget, payment.reference)).map((notice) => withPayload(notice).state)).toEqual(['paid']);
    });

    it('a rolled-back transition leaves no notice; a hook that fails rolls the transition back', async () => {
      const fixture = await open({ portalProgress: false });
      const reference = await newPending(fixture);
      await expect(
        fixture.store.transaction(async (tx) => {
          const locked = (await lockPayment(tx, reference))!;
          const applied = await applyToLockedPayment(tx, locked, { state: 'paid' }, 'query', { actor: 'reconciliation' }, fixture.hooks);
          expect(applied.decision).toEqual({ kind: 'apply', to: 'paid' });
          // Inside the transaction the notice is there...
          expect((await listMessages(tx, { target: paymentNoticeTarget })).length).toBe(1);
          throw new Error('crash before commit');
        }),
      ).rejects.toThrow('crash before commit');
      // ...and with the rollback it is gone, like the transition.
      expect((await fixture.payments.get(reference))!.state).toBe('pending');
      expect(await messages(fixture, paymentNoticeTarget)).toEqual([]);

      const failing = createFinalStateHooks();
      failing.add(async () => {
        throw new Error('outbox unavailable');
      });
      const isolatedStore = createPaymentStore({ store: fixture.store, subjectKey, finalStateHooks: failing });
      await expect(isolatedStore.applyOutcome(reference, { state: 'paid' }, 'query', { actor: 'reconciliation' })).rejects.toThrow('outbox unavailable');
      expect((await fixture.payments.get(reference))!.state).toBe('pending');
      expect((await fixture.payments.get(reference))!.history.map((line) => line.to)).toEqual(['created', 'pending']);
    });

    it('a store given its own registry runs that one, not the notices of another', async () => {
      const fixture = await open({ portalProgress: false });
      const reference = await newPending(fixture);
      const seen: string[] = [];
      const own = createFinalStateHooks();
      own.add(async (_tx, transition) => void seen.push(`${transition.payment.reference}:${transition.from}->${transition.to}:${transition.source}`));
      await createPaymentStore({ store: fixture.store, subjectKey, finalStateHooks: own }).applyOutcome(reference, { state: 'failed' }, 'query');
      expect(seen).toEqual([`${reference}:pending->failed:query`]);
      expect(await messages(fixture, paymentNoticeTarget)).toEqual([]);
    });

    it('installed twice still writes one notice and one step', async () => {
      const fixture = await open();
      removers.push(installPaymentNotices({ url: 'https://one-stop.example/hooks/payments', portalProgress: true }, fixture.hooks));
      await enqueue(fixture.store, { target: portalDossierTarget, key: dossierCode, payload: dossierVersion('awaiting_payment') });
      const reference = await newPending(fixture);
      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('applied');
      expect(await messages(fixture, paymentNoticeTarget)).toHaveLength(1);
      expect((await messages(fixture, portalDossierTarget, dossierCode)).map((message) => [message.sequence, withPayload(message).kind])).toEqual([[1, 'dossier'], [2, 'progress']]);
    });

    it('without a webhook url only the portal step is written', async () => {
      const fixture = await open({ url: undefined });
      await enqueue(fixture.store, { target: portalDossierTarget, key: dossierCode, payload: dossierVersion('awaiting_payment') });
      const reference = await newPending(fixture);
      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('applied');
      expect(await messages(fixture, paymentNoticeTarget)).toEqual([]);
      expect((await messages(fixture, portalDossierTarget, dossierCode)).map((message) => withPayload(message).kind)).toEqual(['dossier', 'progress']);
    });
  });

  describe(`${storeTarget.driver} payment notices: the portal step of a synced dossier`, () => {
    it('is written only for a dossier the gateway syncs, after its versions, moving awaiting_payment to processing when paid; no payer', async () => {
      const fixture = await open();
      // Not synced (nothing on the portal target for this dossier): no step.
      const unsynced = await newPending(fixture);
      expect((await fixture.ipn(sealedIpn(unsynced))).verdict).toBe('applied');
      expect(await messages(fixture, portalDossierTarget)).toEqual([]);

      // Another dossier's messages do not make this one synced; a cancelled version does not either.
      await enqueue(fixture.store, { target: portalDossierTarget, key: 'OTHER-DOSSIER', payload: { ...dossierVersion('awaiting_payment'), dossier: { ...dossierVersion('awaiting_payment').dossier, dossierCode: 'OTHER-DOSSIER' } } });
      const cancelledVersion = await enqueue(fixture.store, { target: portalDossierTarget, key: dossierCode, payload: dossierVersion('received') });
      await fixture.store.query("UPDATE outbox_messages SET state = 'cancelled' WHERE id = $1", [cancelledVersion.id]);
      const stillUnsynced = await newPending(fixture);
      await fixture.payments.applyOutcome(stillUnsynced, { state: 'failed' }, 'query');
      expect((await messages(fixture, portalDossierTarget, dossierCode)).map((message) => withPayload(message).kind)).toEqual(['dossier']);

      // Synced: a version waiting for the fee.
      await enqueue(fixture.store, { target: portalDossierTarget, key: dossierCode, payload: dossierVersion('awaiting_payment') });
      const reference = await newPending(fixture);
      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('applied');
      const portal = await messages(fixture, portalDossierTarget, dossierCode);
      expect(portal.map((message) => [message.sequence, withPayload(message).kind])).toEqual([[1, 'dossier'], [2, 'dossier'], [3, 'progress']]);
      const paid = (await fixture.payments.get(reference))!;
      expect(withPayload(portal[2]!)).toEqual({
        kind: 'progress',
        dossierCode,
        step: {
          officer: 'Nền tảng thanh toán trực tuyến (Paygov)',
          department: 'Nền tảng thanh toán trực tuyến',
          at: paid.finalAt!.toISOString(),
          content: `Đã thanh toán trực tuyến phí, lệ phí 150.000 đồng (mã tham chiếu ${reference}).`,
          status: 'processing',
        },
      });
      expect(JSON.stringify(portal)).not.toContain(paid.payer.masked);
      expect(JSON.stringify(portal.slice(2))).not.toContain(payerName);
      // The webhook notice is written too.
      expect(await messages(fixture, paymentNoticeTarget, reference)).toHaveLength(1);

      // The next payment of the dossier fails: the status the portal last heard (processing, from our own step) stays.
      const second = await newPending(fixture);
      await fixture.payments.applyOutcome(second, { state: 'failed' }, 'query');
      const after = await messages(fixture, portalDossierTarget, dossierCode);
      expect(withPayload(after.at(-1)!)).toMatchObject({
        kind: 'progress',
        step: { content: `Thanh toán trực tuyến phí, lệ phí 150.000 đồng không thành công (mã tham chiếu ${second}).`, status: 'processing' },
      });
    });

    it('leaves a status other than awaiting_payment as it was, and words expired and cancelled payments', async () => {
      const fixture = await open();
      await enqueue(fixture.store, { target: portalDossierTarget, key: dossierCode, payload: dossierVersion('received') });
      const paid = await newPending(fixture);
      await fixture.payments.applyOutcome(paid, { state: 'paid', platformTransactionId: 'PG-1' }, 'query');
      const expired = await newPending(fixture);
      await fixture.payments.applyOutcome(expired, { state: 'expired' }, 'expiry');
      const cancelled = await newPending(fixture);
      await fixture.payments.applyOutcome(cancelled, { state: 'cancelled' }, 'manual', { actor: 'operator-7' });
      const steps = (await messages(fixture, portalDossierTarget, dossierCode)).slice(1).map((message) => (withPayload(message).step as { content: string; status: string }));
      expect(steps).toEqual([
        expect.objectContaining({ status: 'received', content: `Đã thanh toán trực tuyến phí, lệ phí 150.000 đồng (mã tham chiếu ${paid}).` }),
        expect.objectContaining({ status: 'received', content: `Hết thời hạn thanh toán trực tuyến phí, lệ phí 150.000 đồng, chưa thanh toán (mã tham chiếu ${expired}).` }),
        expect.objectContaining({ status: 'received', content: `Đã hủy thanh toán trực tuyến phí, lệ phí 150.000 đồng (mã tham chiếu ${cancelled}).` }),
      ]);
    });

    it('is not written when portalProgress is off', async () => {
      const fixture = await open({ portalProgress: false });
      await enqueue(fixture.store, { target: portalDossierTarget, key: dossierCode, payload: dossierVersion('awaiting_payment') });
      const reference = await newPending(fixture);
      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('applied');
      expect(await messages(fixture, portalDossierTarget, dossierCode)).toHaveLength(1);
    });
  });

  describe(`${storeTarget.driver} payment notices: delivered by the outbox as a signed webhook`, () => {
    const receiverWith = async (answers: number[]) => {
      const receiver = await startHttpReceiver((_request, response, index) => reply(response, answers[index] ?? 200, 'receiver text 12 Lê Lợi'));
      closers.push(receiver.close);
      return receiver;
    };
    const dispatch = (fixture: PaymentsFixture, url: string) => {
      const dispatcher = new OutboxDispatcher({ store: fixture.store, logger: fixture.log.logger, pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20, leaseMs: 2_000 });
      dispatchers.push(dispatcher);
      dispatcher.register(paymentNoticeTarget, paymentNoticeRegistration({ url, secret, timeoutMs: 2_000 }));
      dispatcher.start();
      return dispatcher;
    };
    const settled = async (fixture: PaymentsFixture, id: string) => {
      const until = Date.now() + 10_000;
      for (;;) {
        const message = (await getMessage(fixture.store, id))!;
        if (message.state === 'delivered' || message.state === 'dead') return message;
        if (Date.now() > until) throw new Error(`notice ${id} still ${message.state}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('POSTs the notice signed (X-LGSP-Signature over timestamp.body), the outbox id as event id and Idempotency-Key; 5xx and 429 retried with the same id', async () => {
      const fixture = await open({ portalProgress: false });
      const receiver = await receiverWith([503, 429, 204]);
      const reference = await newPending(fixture);
      expect((await fixture.ipn(sealedIpn(reference))).verdict).toBe('applied');
      const [notice] = await messages(fixture, paymentNoticeTarget, reference);
      dispatch(fixture, `${receiver.url}/hooks/payments?token=SECRET-QUERY`);
      expect(await settled(fixture, notice!.id)).toMatchObject({ state: 'delivered', attempts: 3, deliveryAnswer: 'sent (HTTP 204)' });

      expect(receiver.requests).toHaveLength(3);
      for (const request of receiver.requests) {
        expect(request).toMatchObject({ method: 'POST', path: '/hooks/payments?token=SECRET-QUERY' });
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers['x-lgsp-event-id']).toBe(notice!.id);
        expect(request.headers['idempotency-key']).toBe(notice!.id);
        const headers = { timestamp: request.headers['x-lgsp-timestamp'] as string, signature: request.headers['x-lgsp-signature'] as string };
        expect(verifyWebhookSignature(secret, headers, request.body)).toBe(true);
        expect(verifyWebhookSignature('another-secret', headers, request.body)).toBe(false);
        expect(verifyWebhookSignature(secret, headers, request.body.toString('utf8').replace('"paid"', '"failed"'))).toBe(false);
        const body = JSON.parse(request.body.toString('utf8')) as PaymentNoticeBody;
        expect(body).toEqual({ ...withPayload(notice!), eventId: notice!.id });
        expect(request.body.toString('utf8')).not.toContain(payerName);
      }
      // The receiver's text is not kept, the URL's path and query are not in the outbox's record of the failures.
      expect(JSON.stringify(await getMessage(fixture.store, notice!.id))).not.toMatch(/SECRET-QUERY|Lê Lợi/);
    });

    it('a 4xx other than 408/429 makes the notice dead at once, naming the status, not the URL', async () => {
      const fixture = await open({ portalProgress: false });
      const receiver = await receiverWith([400]);
      const reference = await newPending(fixture);
      await fixture.payments.applyOutcome(reference, { state: 'failed' }, 'query');
      const [notice] = await messages(fixture, paymentNoticeTarget, reference);
      dispatch(fixture, `${receiver.url}/hooks/SECRET-PATH`);
      const dead = await settled(fixture, notice!.id);
      expect(dead).toMatchObject({ state: 'dead', attempts: 1, lastError: { kind: 'http_400' } });
      expect(JSON.stringify(dead)).not.toContain('SECRET-PATH');
      expect(receiver.requests).toHaveLength(1);
    });

    it('a timeout is retried', async () => {
      const fixture = await open({ portalProgress: false });
      let calls = 0;
      const receiver = await startHttpReceiver((_request, response) => {
        calls += 1;
        // The first attempt never answers: the POST times out and the outbox tries again.
        if (calls > 1) reply(response, 200);
      });
      closers.push(receiver.close);
      const reference = await newPending(fixture);
      await fixture.payments.applyOutcome(reference, { state: 'expired' }, 'expiry');
      const [notice] = await messages(fixture, paymentNoticeTarget, reference);
      const dispatcher = new OutboxDispatcher({ store: fixture.store, logger: fixture.log.logger, pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20, leaseMs: 2_000 });
      dispatchers.push(dispatcher);
      dispatcher.register(paymentNoticeTarget, paymentNoticeRegistration({ url: receiver.url, secret, timeoutMs: 300 }));
      dispatcher.start();
      expect(await settled(fixture, notice!.id)).toMatchObject({ state: 'delivered', attempts: 2 });
      expect(receiver.requests.map((request) => request.headers['x-lgsp-event-id'])).toEqual([notice!.id, notice!.id]);
    });
  });
}
