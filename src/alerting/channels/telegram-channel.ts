import type { Dispatcher } from 'undici';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import { defaultTimeoutMs, isTransientStatus, postJson, retryAfterMs } from '../../outbox/http-delivery.js';

/**
 * The Telegram channel: one sendMessage call of the Bot API per notice,
 * plain text (no parse_mode: a rule's text cannot break the markup) and no
 * link previews. The bot token is part of the URL path, so no URL and no
 * driver message ever goes into an error here, and the API's own
 * description is scrubbed of the token before it is quoted.
 */
export interface TelegramInput {
  /** Default https://api.telegram.org (a stand-in or a local Bot API server otherwise). */
  baseUrl?: string;
  botToken: string;
  chatId: string;
  text: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export const defaultTelegramBaseUrl = 'https://api.telegram.org';
/** Telegram's limit for one message's text. */
export const telegramMaxTextLength = 4096;

/** A Bot API answer is small; an answer beyond this is not the Bot API. */
const maxAnswerBytes = 16 * 1024;
const maxDescriptionLength = 120;

interface BotApiAnswer {
  ok?: unknown;
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown };
}

export async function sendTelegram(input: TelegramInput): Promise<void> {
  const url = methodUrl(input.baseUrl ?? defaultTelegramBaseUrl, input.botToken);
  const answer = await postJson({
    url,
    headers: { 'content-type': 'application/json', 'user-agent': 'lgsp-gateway-alerting' },
    body: JSON.stringify({ chat_id: input.chatId, text: input.text, disable_web_page_preview: true }),
    signal: input.signal,
    timeoutMs: input.timeoutMs ?? defaultTimeoutMs,
    dispatcher: input.dispatcher,
    maxAnswerBytes,
    describe: 'Telegram Bot API',
  });
  const parsed = parseAnswer(answer.body);
  const status = answer.status;
  if (status >= 200 && status < 300 && parsed?.ok === true) return;

  const code = typeof parsed?.error_code === 'number' ? parsed.error_code : status;
  const description = describe(parsed?.description, input.botToken);
  const message = `Telegram Bot API answered ${code}${description ? `: ${description}` : ''}`;
  if (code === 429 || status === 429) {
    const retryAfter = typeof parsed?.parameters?.retry_after === 'number' ? Math.min(parsed.parameters.retry_after * 1000, 3_600_000) : retryAfterMs(answer.headers['retry-after']);
    throw new TransientDeliveryError('telegram_429', message, { ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) });
  }
  if (isTransientStatus(status) || isTransientStatus(code)) throw new TransientDeliveryError(`telegram_${code}`, message);
  // A 200 that is not the Bot API's { ok: true } is something else answering: say so, and try again later.
  if (status >= 200 && status < 300) throw new TransientDeliveryError('telegram_bad_answer', 'Telegram Bot API answered without { ok: true }');
  // 400 (chat not found, text refused), 401 (token), 403 (bot removed from the chat), 404: fixing it takes a person.
  throw new PermanentDeliveryError(`telegram_${code}`, message);
}

/** `${baseUrl}/bot<token>/sendMessage`; a token that would change the URL's shape is refused without being quoted. */
function methodUrl(baseUrl: string, botToken: string): string {
  if (!/^[A-Za-z0-9:_-]{1,200}$/.test(botToken)) throw new PermanentDeliveryError('telegram_bad_token', 'Telegram bot token has an invalid format');
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new PermanentDeliveryError('telegram_bad_base_url', 'Telegram base URL is not a URL');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new PermanentDeliveryError('telegram_bad_base_url', 'Telegram base URL is not an http(s) URL');
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}/bot${botToken}/sendMessage`;
}

function parseAnswer(body: Buffer): BotApiAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as BotApiAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** The API's description (e.g. "Bad Request: chat not found"), one short line, without the token should it quote it. */
function describe(description: unknown, botToken: string): string {
  if (typeof description !== 'string') return '';
  return description.split(botToken).join('<token>').replace(/[\r\n]+/g, ' ').slice(0, maxDescriptionLength);
}
