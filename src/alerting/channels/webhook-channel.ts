import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import type { Notice } from '../types.js';
import { defaultTimeoutMs, isTransientStatus, postJson, retryAfterMs } from './http-delivery.js';

/**
 * The webhook channel: the notice as JSON, signed like Stripe and GitHub do
 * (HMAC-SHA256 over `timestamp.body` with the receiver's secret), so the
 * receiver can tell a notice from the gateway from a forgery, and refuse a
 * replay of an old one. X-LGSP-Notification-Id is stable across attempts: a
 * receiver drops the second copy of an at-least-once delivery with it.
 */
export interface WebhookInput {
  url: string;
  secret: string;
  notice: Notice;
  signal?: AbortSignal;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

export const webhookHeaders = {
  notificationId: 'x-lgsp-notification-id',
  timestamp: 'x-lgsp-timestamp',
  signature: 'x-lgsp-signature',
} as const;

/** What a receiver's answer may cost us: enough for an error page's first lines, which we do not keep anyway. */
const maxAnswerBytes = 4 * 1024;

export async function sendWebhook(input: WebhookInput): Promise<{ status: number }> {
  const now = input.now ?? Date.now;
  const body = JSON.stringify(webhookBody(input.notice));
  const timestamp = String(Math.floor(now() / 1000));
  const describe = `webhook ${originOf(input.url)}`;
  if (!isHttpUrl(input.url)) throw new PermanentDeliveryError('invalid_url', 'webhook URL is not an http(s) URL');
  const answer = await postJson({
    url: input.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'lgsp-gateway-alerting',
      [webhookHeaders.notificationId]: input.notice.notificationId,
      [webhookHeaders.timestamp]: timestamp,
      [webhookHeaders.signature]: `sha256=${signature(input.secret, timestamp, body)}`,
    },
    body,
    signal: input.signal,
    timeoutMs: input.timeoutMs ?? defaultTimeoutMs,
    dispatcher: input.dispatcher,
    maxAnswerBytes,
    describe,
  });
  const status = answer.status;
  if (status >= 200 && status < 300) return { status };
  if (isTransientStatus(status)) {
    const retryAfter = retryAfterMs(answer.headers['retry-after'], now);
    throw new TransientDeliveryError(`http_${status}`, `${describe} answered ${status}`, { ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) });
  }
  // 3xx (a receiver that moved is a configuration to fix, not followed with a signed body) and the other 4xx.
  throw new PermanentDeliveryError(`http_${status}`, `${describe} answered ${status}`);
}

/** The JSON a receiver gets: the notice's own fields, named here so that nothing else ever slips in. */
export function webhookBody(notice: Notice) {
  return {
    version: 1 as const,
    notificationId: notice.notificationId,
    receiverId: notice.receiverId,
    kind: notice.kind,
    groupKey: notice.groupKey,
    groupLabels: notice.groupLabels,
    createdAt: notice.createdAt,
    firing: notice.firing,
    resolved: notice.resolved,
  };
}

function signature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * For receivers (and tests): true when the signature is the HMAC of this
 * exact body and timestamp under the secret, and the timestamp is within
 * `toleranceSeconds` (default 300) of now, so that a captured notice cannot
 * be replayed later. Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: string | Buffer,
  options: { toleranceSeconds?: number; now?: () => number } = {},
): boolean {
  const { timestamp, signature: given } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !given) return false;
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(given.trim());
  if (!match) return false;
  const expected = Buffer.from(signature(secret, timestamp, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[1]!.toLowerCase(), 'hex'));
}

function isHttpUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** scheme://host:port only: a path or query may hold the receiver's token. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
