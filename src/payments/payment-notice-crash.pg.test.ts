import { reply, startHttpReceiver } from '../alerting/channels/test-support/http-receiver.js';
import { OutboxDispatcher } from '../outbox/dispatcher.js';
import { getMessage, listMessages } from '../outbox/admin.js';
import { spawnNode, transpileClosure } from '../outbox/test-support/spawn-crash-child.js';
import { fromProjectRoot } from '../paths.js';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget, testDatabaseUrl } from '../store/test-support/store-targets.js';
import { verifyWebhookSignature } from '../util/webhook-signature.js';
import { installPaymentNotices, paymentNoticeRegistration, paymentNoticeTarget } from './payment-notice.js';
import { activeSecret, openPayments, partnerCode, paymentInput, sealedIpn } from './test-support/payments-harness.js';

// The acceptance case "a crash (SIGKILL) between accepting an IPN and notifying: the notice is still
// delivered, once": the IPN processed by a real child process, killed right after its answer.
describe('pg payment notices: a process killed after accepting the IPN', () => {
  const target = pgStoreTarget(captureLogger().logger);
  const child = transpileClosure(fromProjectRoot('src/payments/test-support/notice-crash-child.ts'));
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    child.dispose();
    await target.dispose();
  });

  it('leaves the notice committed with the transition; another process delivers it exactly once, and a redelivered IPN adds none', async () => {
    const fixture = await openPayments(target);
    const { payment } = await fixture.payments.create(paymentInput(), { consumerId: 'one-stop-h22', idempotencyKey: 'crash-1' });
    await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl: 'https://pay.example/p' }, 'init');

    const victim = spawnNode(child.entry, [testDatabaseUrl, fixture.isolated.schema, payment.reference, partnerCode, activeSecret]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => victim.process.once('exit', (_code, signal) => resolve(signal)));
    expect(JSON.parse(await victim.nextLine())).toEqual({ verdict: 'applied', answer: '00' });
    expect(await exited).toBe('SIGKILL');

    // What the dead process leaves: the payment paid and its notice waiting, committed together.
    expect((await fixture.payments.get(payment.reference))!.state).toBe('paid');
    const [notice, ...others] = await listMessages(fixture.store, { target: paymentNoticeTarget });
    expect(others).toEqual([]);
    expect(notice).toMatchObject({ key: payment.reference, state: 'pending', attempts: 0 });

    // The surviving replica: the same wiring, and the platform redelivering the IPN it got no answer to.
    cleanups.push(installPaymentNotices({ url: 'http://one-stop.invalid/hooks/payments', portalProgress: true }, fixture.hooks));
    expect((await fixture.ipn(sealedIpn(payment.reference, { MaGiaoDich: 'PG-CRASH-1' }))).verdict).toBe('replay');
    const receiver = await startHttpReceiver((_request, response) => reply(response, 200));
    cleanups.push(receiver.close);
    const secret = 'notice-secret-crash';
    const dispatcher = new OutboxDispatcher({ store: fixture.store, logger: fixture.log.logger, pollIntervalMs: 20 });
    cleanups.push(() => dispatcher.stop(0));
    dispatcher.register(paymentNoticeTarget, paymentNoticeRegistration({ url: receiver.url, secret })).start();

    const until = Date.now() + 10_000;
    while ((await getMessage(fixture.store, notice!.id))!.state !== 'delivered') {
      if (Date.now() > until) throw new Error('notice not delivered');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(verifyWebhookSignature(secret, { timestamp: request!.headers['x-lgsp-timestamp'] as string, signature: request!.headers['x-lgsp-signature'] as string }, request!.body)).toBe(true);
    expect(JSON.parse(request!.body.toString('utf8'))).toMatchObject({ event: 'payment.final', reference: payment.reference, state: 'paid', eventId: notice!.id, platformTransactionId: 'PG-CRASH-1' });
    expect(await listMessages(fixture.store, { target: paymentNoticeTarget })).toHaveLength(1);
  }, 60_000);
});
