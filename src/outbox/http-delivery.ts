import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { signWebhook } from '../util/webhook-signature.js';
import { PermanentDeliveryError, TransientDeliveryError } from './errors.js';

/**
 * One JSON POST for outbox handlers (the alerting webhook and Telegram
 * channels, the payment notices): a deadline, an answer
 * read only up to a few KB (a receiver that streams without end costs
 * nothing more), and failures the outbox can classify. Nothing of the URL
 * but what the caller chooses to say, and nothing of the body, ever reaches
 * an error: a webhook URL may carry a token in its path or query, and
 * Telegram's always does.
 */
export interface JsonPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Bytes of the answer kept; the rest is not read. */
  maxAnswerBytes: number;
  /** How the target is named in error messages (never the URL itself). */
  describe: string;
}

export interface JsonAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first maxAnswerBytes bytes of the answer (truncated, not refused: unlike bounded-body.ts, an over-long answer still has its status). */
  body: Buffer;
}

export const defaultTimeoutMs = 10_000;

export async function postJson(post: JsonPost): Promise<JsonAnswer> {
  const deadline = AbortSignal.timeout(post.timeoutMs);
  const signal = post.signal ? AbortSignal.any([post.signal, deadline]) : deadline;
  try {
    const answer = await request(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal,
      headersTimeout: post.timeoutMs,
      bodyTimeout: post.timeoutMs,
      ...(post.dispatcher && { dispatcher: post.dispatcher }),
    });
    return { status: answer.statusCode, headers: answer.headers, body: await readPrefix(answer.body, post.maxAnswerBytes) };
  } catch (error) {
    // The caller's own signal (the outbox stopping, its deadline): the dispatcher knows why, pass its reason on.
    if (post.signal?.aborted) throw post.signal.reason;
    if (deadline.aborted) throw new TransientDeliveryError('timeout', `${post.describe}: no answer within ${post.timeoutMs} ms`);
    throw new TransientDeliveryError('network', `${post.describe}: ${networkReason(error)}`);
  }
}

/** Reads at most maxBytes of a body and drops the rest (destroying the stream stops reading and frees the socket). */
async function readPrefix(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - received;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return Buffer.concat(chunks);
    }
    chunks.push(chunk);
    received += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** An error code (ECONNREFUSED, UND_ERR_SOCKET...) and never the driver's message, which may quote the URL. */
function networkReason(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return `connection failed (${code})`;
  return `connection failed (${error instanceof Error ? error.name : 'error'})`;
}

const maxRetryAfterMs = 3_600_000;

/** Retry-After as delay-seconds or an HTTP date, capped at an hour; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: () => number = Date.now): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, maxRetryAfterMs);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now()), maxRetryAfterMs);
}

/** Statuses worth another attempt: the receiver is busy, starting or failing, not refusing this content. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** An http(s) URL: anything else (file:, a typo) can never be delivered to. */
export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** scheme://host:port only, for messages and logs: a path or query may hold the receiver's token. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/** A receiver's answer may cost us its first lines at most (an error page we do not keep anyway). */
const signedAnswerBytes = 4 * 1024;

export interface SignedJsonPost {
  url: string;
  /** The HMAC key of X-LGSP-Signature (src/util/webhook-signature.ts). */
  secret: string;
  /** Serialized as is: what the receiver verifies the signature over. */
  body: string;
  /** The caller's own headers (event or notification ids, user agent). */
  headers: Record<string, string>;
  /** How the receiver is named in errors (its origin, never the URL). */
  describe: string;
  /** The setting named when the URL is not http(s). */
  urlSetting: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

/**
 * A signed webhook delivery as the outbox judges it (alert notices, payment
 * notices): HMAC-SHA256 over `timestamp.body`; 2xx delivered; 408, 425, 429
 * and 5xx retried with the receiver's Retry-After; a 3xx (a receiver that
 * moved is a configuration to fix, not followed with a signed body) and the
 * other 4xx dead.
 */
export async function postSignedJson(post: SignedJsonPost): Promise<{ status: number }> {
  const now = post.now ?? Date.now;
  if (!isHttpUrl(post.url)) throw new PermanentDeliveryError('invalid_url', `${post.urlSetting} is not an http(s) URL`);
  const answer = await postJson({
    url: post.url,
    headers: { 'content-type': 'application/json', ...post.headers, ...signWebhook(post.secret, post.body, now) },
    body: post.body,
    ...(post.signal && { signal: post.signal }),
    timeoutMs: post.timeoutMs ?? defaultTimeoutMs,
    ...(post.dispatcher && { dispatcher: post.dispatcher }),
    maxAnswerBytes: signedAnswerBytes,
    describe: post.describe,
  });
  const { status } = answer;
  if (status >= 200 && status < 300) return { status };
  if (isTransientStatus(status)) {
    const retryAfter = retryAfterMs(answer.headers['retry-after'], now);
    throw new TransientDeliveryError(`http_${status}`, `${post.describe} answered ${status}`, { ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) });
  }
  throw new PermanentDeliveryError(`http_${status}`, `${post.describe} answered ${status}`);
}
