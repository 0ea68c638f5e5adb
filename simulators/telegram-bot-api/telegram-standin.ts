import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody, sendJson } from '../kit/http-helpers.js';

/**
 * A local stand-in of the Telegram Bot API's sendMessage, for tests and
 * demos: it answers like the real API (`{ ok: true, result }`, or
 * `{ ok: false, error_code, description, parameters? }` with the same HTTP
 * status), keeps what it was sent, and can be told to fail the next calls
 * (429 with retry_after, 5xx, 400...) to exercise the channel's retries.
 */
export interface TelegramStandInMessage {
  chatId: string;
  text: string;
  at: Date;
}

export interface TelegramStandIn {
  /** Base URL to give the channel (it appends /bot<token>/sendMessage). */
  url: string;
  messages: TelegramStandInMessage[];
  /** The next `count` well-formed calls with the right token get this answer instead of being kept. */
  failNext(count: number, answer: { status: number; retryAfter?: number }): void;
  close(): Promise<void>;
}

/** Telegram refuses longer texts; so does the stand-in, and it reads no more than a message can be. */
const maxTextLength = 4096;
const maxBodyBytes = 64 * 1024;

const descriptions: Record<number, string> = {
  400: 'Bad Request: chat not found',
  401: 'Unauthorized',
  403: 'Forbidden: bot was kicked from the group chat',
  404: 'Not Found',
  429: 'Too Many Requests: retry later',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

export async function startTelegramStandIn(options: { botToken: string; host?: string; port?: number }): Promise<TelegramStandIn> {
  const messages: TelegramStandInMessage[] = [];
  const failures: Array<{ status: number; retryAfter?: number }> = [];
  let nextMessageId = 1;

  const refuse = (response: ServerResponse, status: number, description = descriptions[status] ?? 'Error', retryAfter?: number) =>
    sendJson(response, status, { ok: false, error_code: status, description, ...(retryAfter !== undefined && { parameters: { retry_after: retryAfter } }) });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url ?? '/', 'http://stand-in').pathname);
    if (!match) return refuse(response, 404);
    if (match[1] !== options.botToken) return refuse(response, 401);
    if (match[2] !== 'sendMessage') return refuse(response, 404);
    if (request.method !== 'POST') return refuse(response, 400, 'Bad Request: POST expected');
    let body: { chat_id?: unknown; text?: unknown };
    try {
      body = JSON.parse((await readRequestBody(request, maxBodyBytes)).toString('utf8')) as typeof body;
    } catch {
      return refuse(response, 400, 'Bad Request: invalid JSON or too large');
    }
    const chatId = typeof body.chat_id === 'number' || typeof body.chat_id === 'string' ? String(body.chat_id) : undefined;
    if (!chatId) return refuse(response, 400, 'Bad Request: chat_id is empty');
    if (typeof body.text !== 'string' || body.text.length === 0) return refuse(response, 400, 'Bad Request: message text is empty');
    if (body.text.length > maxTextLength) return refuse(response, 400, 'Bad Request: message is too long');
    const failure = failures.shift();
    if (failure) return refuse(response, failure.status, undefined, failure.retryAfter);
    const at = new Date();
    messages.push({ chatId, text: body.text, at });
    sendJson(response, 200, { ok: true, result: { message_id: nextMessageId++, date: Math.floor(at.getTime() / 1000), chat: { id: chatId }, text: body.text } });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) refuse(response, 500);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    messages,
    failNext(count, answer) {
      for (let i = 0; i < count; i += 1) failures.push({ ...answer });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
