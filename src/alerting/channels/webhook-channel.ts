import type { Dispatcher } from 'undici';
import { originOf, postSignedJson } from '../../outbox/http-delivery.js';
import { webhookSignatureHeaders } from '../../util/webhook-signature.js';
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

export async function sendWebhook(input: WebhookInput): Promise<{ status: number }> {
  return postSignedJson({
    url: input.url,
    secret: input.secret,
    body: JSON.stringify(webhookBody(input.notice)),
    headers: { 'user-agent': 'lgsp-gateway-alerting', [webhookHeaders.notificationId]: input.notice.notificationId },
    describe: `webhook ${originOf(input.url)}`,
    urlSetting: 'webhook URL',
    ...(input.signal && { signal: input.signal }),
    ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
    ...(input.dispatcher && { dispatcher: input.dispatcher }),
    ...(input.now && { now: input.now }),
  });
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


