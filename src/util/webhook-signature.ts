import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How the gateway signs what it POSTs to a receiver (alert webhooks, payment
 * notices): HMAC-SHA256 over `timestamp.body` with the receiver's secret, as
 * Stripe and GitHub do, so a receiver tells a message from the gateway from a
 * forgery, and refuses a replay of an old one. One implementation, so that a
 * receiver written against one of our webhooks verifies all of them.
 */
export const webhookSignatureHeaders = {
  timestamp: 'x-lgsp-timestamp',
  signature: 'x-lgsp-signature',
} as const;

/** The two headers for this body, signed now (seconds since the epoch). */
export function signWebhook(secret: string, body: string | Buffer, now: () => number = Date.now): Record<(typeof webhookSignatureHeaders)[keyof typeof webhookSignatureHeaders], string> {
  const timestamp = String(Math.floor(now() / 1000));
  return {
    [webhookSignatureHeaders.timestamp]: timestamp,
    [webhookSignatureHeaders.signature]: `sha256=${hmacHex(secret, timestamp, body)}`,
  };
}

/**
 * For receivers (and tests): true when the signature is the HMAC of this
 * exact body and timestamp under the secret, and the timestamp is within
 * `toleranceSeconds` (default 300) of now, so that a captured message cannot
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
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[1]!.toLowerCase(), 'hex'));
}

function hmacHex(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
