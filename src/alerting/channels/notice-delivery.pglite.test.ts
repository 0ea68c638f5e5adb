import { startTelegramStandIn } from '../../../simulators/telegram-bot-api/telegram-standin.js';
import { getMessage } from '../../outbox/admin.js';
import { enqueue } from '../../outbox/enqueue.js';
import { PermanentDeliveryError } from '../../outbox/errors.js';
import { openOutbox, waitFor } from '../../outbox/test-support/outbox-harness.js';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import { pgliteStoreTarget } from '../../store/test-support/store-targets.js';
import { noticeTargets, type Notice, type ReceiverView } from '../types.js';
import { noticeDeliveryTargets } from './notice-delivery.js';
import { reply, startHttpReceiver } from './test-support/http-receiver.js';
import { sampleNotice } from './test-support/notices.js';
import { startSmtpSink } from './test-support/smtp-sink.js';
import { verifyWebhookSignature } from './webhook-channel.js';

const secrets: Record<string, Record<string, string>> = {
  'ops-hook': { secret: 'PLANTED-whsec-ops' },
  'bad-hook': { secret: 'PLANTED-whsec-bad' },
  'ops-tg': { botToken: '4242:PLANTED-tg-token' },
};
const receiver = (id: string, kind: ReceiverView['kind'], settings: Record<string, unknown>, enabled = true): ReceiverView => ({
  id,
  kind,
  settings,
  route: {},
  enabled,
  source: 'admin',
  secretsSet: Object.keys(secrets[id] ?? {}),
});
const noticeFor = (receiverId: string, n: number): Notice => sampleNotice({ receiverId, notificationId: `5d2c8f4a-7b1e-4c3d-9a6f-2e8b1c0d9f${String(n).padStart(2, '0')}` });

describe('notice delivery through a real outbox dispatcher (PGlite)', () => {
  const target = pgliteStoreTarget();
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await target.dispose();
  });

  it('delivers e-mail, webhook (503 then 200, signed both times) and Telegram notices; a 400 and a removed or disabled receiver go dead', async () => {
    const smtp = await startSmtpSink({});
    cleanups.push(smtp.close);
    const hook = await startHttpReceiver((request, response, index) => (index === 0 ? reply(response, 503, 'busy', { 'retry-after': '0' }) : reply(response, 200, 'ok')));
    cleanups.push(hook.close);
    const badHook = await startHttpReceiver((_, response) => reply(response, 400, 'unknown event'));
    cleanups.push(badHook.close);
    const telegram = await startTelegramStandIn({ botToken: secrets['ops-tg']!.botToken! });
    cleanups.push(telegram.close);

    const receivers = new Map(
      [
        receiver('ops-mail', 'email', { to: ['ops@province.gov.vn'] }),
        receiver('ops-hook', 'webhook', { url: `${hook.url}/lgsp?token=abc` }),
        receiver('bad-hook', 'webhook', { url: badHook.url }),
        receiver('ops-tg', 'telegram', { chatId: '-100987654321', baseUrl: telegram.url }),
        receiver('muted', 'email', { to: ['muted@province.gov.vn'] }, false),
      ].map((view) => [view.id, view]),
    );
    const fixture = await openOutbox(target);
    const log = captureLogger();
    const dispatcher = fixture.dispatcher({ maxAttempts: 5 });
    for (const [name, registration] of noticeDeliveryTargets({
      receiverOf: (id) => receivers.get(id),
      secretsOf: async (id) => secrets[id] ?? {},
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: false, from: 'LGSP cảnh báo <alerts@province.gov.vn>', connectionTimeoutMs: 3_000 },
      consoleUrl: 'https://lgsp.example.gov.vn/console',
      timeoutMs: 5_000,
      logger: log.logger,
    })) {
      dispatcher.register(name, registration);
    }
    dispatcher.start();

    const sent = new Map<string, { id: string; notice: Notice }>();
    const plan: Array<[string, ReceiverView['kind']]> = [
      ['ops-mail', 'email'],
      ['ops-hook', 'webhook'],
      ['bad-hook', 'webhook'],
      ['ops-tg', 'telegram'],
      ['gone', 'webhook'],
      ['muted', 'email'],
    ];
    for (const [index, [receiverId, kind]] of plan.entries()) {
      const notice = noticeFor(receiverId, index);
      const { id } = await enqueue(fixture.store, { target: noticeTargets[kind], key: receiverId, payload: notice, idempotencyKey: notice.notificationId });
      sent.set(receiverId, { id, notice });
    }
    dispatcher.wake();
    const stateOf = async (receiverId: string) => (await getMessage(fixture.store, sent.get(receiverId)!.id))!;
    await waitFor(async () => {
      const states = await Promise.all(plan.map(async ([receiverId]) => (await stateOf(receiverId)).state));
      return states.every((state) => state === 'delivered' || state === 'dead');
    }, 20_000, 'every notice settled');

    // E-mail.
    expect(await stateOf('ops-mail')).toMatchObject({ state: 'delivered', attempts: 1, deliveryAnswer: 'sent' });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.parsed.messageId).toBe(`<${sent.get('ops-mail')!.notice.notificationId}@lgsp-gateway>`);
    expect(smtp.mails[0]!.parsed.subject).toBe('[LGSP] NGHIÊM TRỌNG · population: 2 cảnh báo đang kích hoạt, 1 đã khắc phục / CRITICAL · 2 firing, 1 resolved');
    expect(smtp.mails[0]!.parsed.text).toContain('https://lgsp.example.gov.vn/console');

    // Webhook: 503 first, delivered on the second attempt, the same notification id, a valid signature each time.
    expect(await stateOf('ops-hook')).toMatchObject({ state: 'delivered', attempts: 2, deliveryAnswer: 'sent (HTTP 200)' });
    expect(hook.requests).toHaveLength(2);
    const ids = hook.requests.map((request) => request.headers['x-lgsp-notification-id']);
    expect(ids).toEqual([sent.get('ops-hook')!.notice.notificationId, sent.get('ops-hook')!.notice.notificationId]);
    for (const request of hook.requests) {
      const headers = { timestamp: request.headers['x-lgsp-timestamp'] as string, signature: request.headers['x-lgsp-signature'] as string };
      expect(verifyWebhookSignature(secrets['ops-hook']!.secret!, headers, request.body)).toBe(true);
      expect(JSON.parse(request.body.toString('utf8'))).toMatchObject({ version: 1, receiverId: 'ops-hook', notificationId: ids[0] });
    }

    // Telegram: the subject first, the text within Telegram's limit.
    expect(await stateOf('ops-tg')).toMatchObject({ state: 'delivered', deliveryAnswer: 'sent' });
    expect(telegram.messages).toHaveLength(1);
    expect(telegram.messages[0]!.chatId).toBe('-100987654321');
    expect(telegram.messages[0]!.text.startsWith('[LGSP] NGHIÊM TRỌNG · population')).toBe(true);
    expect(telegram.messages[0]!.text).toContain('Không kết nối được Cơ sở dữ liệu quốc gia về dân cư');

    // Dead at once: refused by the receiver, receiver removed, receiver disabled.
    expect(await stateOf('bad-hook')).toMatchObject({ state: 'dead', attempts: 1, lastError: { kind: 'http_400' } });
    expect(badHook.requests).toHaveLength(1);
    expect(await stateOf('gone')).toMatchObject({ state: 'dead', lastError: { kind: 'receiver_removed' } });
    expect(await stateOf('muted')).toMatchObject({ state: 'dead', lastError: { kind: 'receiver_disabled' } });

    // No secret in what the outbox kept or logged.
    const kept = JSON.stringify((await fixture.store.query('SELECT * FROM outbox_messages')).rows);
    const logged = fixture.log.text() + log.text();
    for (const text of [kept, logged]) expect(text).not.toContain('PLANTED');
    await dispatcher.stop(0);
  }, 60_000);

  it('an e-mail receiver without alerting.smtp, a bad payload and a receiver whose kind changed are permanent failures', async () => {
    const registrations = new Map(
      noticeDeliveryTargets({
        receiverOf: (id) => (id === 'mail' ? receiver('mail', 'email', { to: ['a@b.vn'] }) : undefined),
        secretsOf: async () => ({}),
        logger: captureLogger().logger,
      }),
    );
    const message = (target: string, payload: unknown) => ({ id: 'm', target, key: 'mail', sequence: 1, payload, attempt: 1, createdAt: new Date() });
    const signal = new AbortController().signal;
    const failure = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
    expect(await failure(registrations.get('alerts.email')!.handler(message('alerts.email', noticeFor('mail', 1)), signal))).toMatchObject({ kind: 'smtp_not_configured' });
    expect(await failure(registrations.get('alerts.email')!.handler(message('alerts.email', { hello: 1 }), signal))).toMatchObject({ kind: 'bad_payload' });
    const kindChanged = await failure(registrations.get('alerts.webhook')!.handler(message('alerts.webhook', noticeFor('mail', 2)), signal));
    expect(kindChanged).toBeInstanceOf(PermanentDeliveryError);
    expect(kindChanged).toMatchObject({ kind: 'receiver_kind_changed' });
    expect([...registrations.keys()]).toEqual(['alerts.email', 'alerts.webhook', 'alerts.telegram']);
  });
});
