import type { Dispatcher } from 'undici';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import { defaultTimeoutMs, isHttpUrl, isTransientStatus, originOf, postJson, retryAfterMs } from '../../outbox/http-delivery.js';
import { signWebhook, webhookSignatureHeaders } from '../../util/webhook-signature.js';
import type { Notice } from '../types.js';

export { verifyWebhookSignature } from '../../util/webhook-signature.js';

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
  ...webhookSignatureHeaders,
} as const;

/** What a receiver's answer may cost us: enough for an error page's first lines, which we do not keep anyway. */
const maxAnswerBytes = 4 * 1024;

export async function sendWebhook(input: WebhookInput): Promise<{ status: number }> {
  const now = input.now ?? Date.now;
  const body = JSON.stringify(webhookBody(input.notice));
  const describe = `webhook ${originOf(input.url)}`;
  if (!isHttpUrl(input.url)) throw new PermanentDeliveryError('invalid_url', 'webhook URL is not an http(s) URL');
  const answer = await postJson({
    url: input.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'lgsp-gateway-alerting',
      [webhookHeaders.notificationId]: input.notice.notificationId,
      ...signWebhook(input.secret, body, now),
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


