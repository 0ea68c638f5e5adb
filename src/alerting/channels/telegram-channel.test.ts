import { startTelegramStandIn, type TelegramStandIn } from '../../../simulators/telegram-bot-api/telegram-standin.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import { reply, startHttpReceiver } from './test-support/http-receiver.js';
import { sendTelegram } from './telegram-channel.js';
import { failureOf } from './test-support/failure-of.js';

const botToken = '123456789:AAH-PLANTED_bot_token-x9';

describe('sendTelegram against the Bot API stand-in', () => {
  let standIn: TelegramStandIn;
  beforeEach(async () => {
    standIn = await startTelegramStandIn({ botToken });
  });
  afterEach(() => standIn.close());

  it('sends the text to the chat (Vietnamese intact)', async () => {
    await sendTelegram({ baseUrl: standIn.url, botToken, chatId: '-1001234567890', text: 'Cảnh báo: Không kết nối được CSDL dân cư 🚨' });
    expect(standIn.messages).toEqual([{ chatId: '-1001234567890', text: 'Cảnh báo: Không kết nối được CSDL dân cư 🚨', at: expect.any(Date) }]);
  });

  it('429 is transient with retry_after; 5xx transient; 400/401/403/404 permanent; the token is in no error and no log line', async () => {
    const log = captureLogger();
    const attempt = async () => {
      const error = await failureOf(sendTelegram({ baseUrl: standIn.url, botToken, chatId: '42', text: 'x' }));
      // What the outbox dispatcher would log of it.
      log.logger.warn({ err: error, error: error.message, kind: (error as TransientDeliveryError).kind }, 'delivery failed');
      return error;
    };
    standIn.failNext(1, { status: 429, retryAfter: 17 });
    const limited = await attempt();
    expect(limited).toBeInstanceOf(TransientDeliveryError);
    expect(limited).toMatchObject({ kind: 'telegram_429', message: 'Telegram Bot API answered 429: Too Many Requests: retry later' });
    expect((limited as TransientDeliveryError).options.retryAfterMs).toBe(17_000);

    for (const status of [500, 502]) {
      standIn.failNext(1, { status });
      const error = await attempt();
      expect(error).toBeInstanceOf(TransientDeliveryError);
      expect(error).toMatchObject({ kind: `telegram_${status}` });
    }
    for (const status of [400, 403, 404]) {
      standIn.failNext(1, { status });
      const error = await attempt();
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error).toMatchObject({ kind: `telegram_${status}` });
    }
    const wrongToken = await failureOf(sendTelegram({ baseUrl: standIn.url, botToken: '987:WRONG-PLANTED-token', chatId: '42', text: 'x' }));
    expect(wrongToken).toBeInstanceOf(PermanentDeliveryError);
    expect(wrongToken).toMatchObject({ kind: 'telegram_401', message: 'Telegram Bot API answered 401: Unauthorized' });
    expect(standIn.messages).toEqual([]);

    const unreachable = await failureOf(sendTelegram({ baseUrl: 'http://127.0.0.1:1', botToken, chatId: '42', text: 'x' }));
    expect(unreachable).toBeInstanceOf(TransientDeliveryError);
    log.logger.warn({ err: unreachable }, 'delivery failed');
    const badToken = await failureOf(sendTelegram({ baseUrl: standIn.url, botToken: `${botToken}/../x`, chatId: '42', text: 'x' }));
    expect(badToken).toBeInstanceOf(PermanentDeliveryError);
    log.logger.warn({ err: badToken }, 'delivery failed');

    expect(log.text()).toContain('Too Many Requests');
    expect(log.text()).not.toContain('PLANTED');
    expect(log.text()).not.toContain('AAH-');
  });

  it('scrubs the token from a description that quotes it, and refuses a 200 that is not the Bot API', async () => {
    const quoting = await startHttpReceiver((request, response, index) =>
      index === 0
        ? reply(response, 400, JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: bad url ${request.path}` }))
        : reply(response, 200, '<html>captive portal</html>'),
    );
    try {
      const error = await failureOf(sendTelegram({ baseUrl: quoting.url, botToken, chatId: '42', text: 'x' }));
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error.message).toBe('Telegram Bot API answered 400: Bad Request: bad url /bot<token>/sendMessage');
      expect(quoting.requests[0]!.path).toBe(`/bot${botToken}/sendMessage`);
      expect(JSON.parse(quoting.requests[0]!.body.toString())).toEqual({ chat_id: '42', text: 'x', disable_web_page_preview: true });
      const notApi = await failureOf(sendTelegram({ baseUrl: quoting.url, botToken, chatId: '42', text: 'x' }));
      expect(notApi).toBeInstanceOf(TransientDeliveryError);
      expect(notApi).toMatchObject({ kind: 'telegram_bad_answer' });
    } finally {
      await quoting.close();
    }
  });

  it('the stand-in refuses a wrong token, an empty text and a text over 4096 characters like the real API', async () => {
    const post = (token: string, body: unknown) =>
      fetch(`${standIn.url}/bot${token}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrong = await post('1:nope', { chat_id: 1, text: 'x' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    expect((await post(botToken, { chat_id: 1, text: '' })).status).toBe(400);
    expect((await post(botToken, { chat_id: 1, text: 'x'.repeat(4097) })).status).toBe(400);
    const ok = await post(botToken, { chat_id: 1, text: 'ok' });
    expect(await ok.json()).toMatchObject({ ok: true, result: { message_id: 1, text: 'ok' } });
  });
});
