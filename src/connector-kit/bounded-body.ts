import type { Readable } from 'node:stream';
import { UpstreamError } from './upstream-errors.js';

/** What every transport reads at most from one upstream answer unless its connector says otherwise. */
export const defaultMaxResponseBytes = 10 * 1024 * 1024;

/** A token or session answer is a few hundred bytes; anything near this is not one. */
export const loginAnswerMaxBytes = 64 * 1024;

/**
 * Reads an upstream answer body, at most `maxBytes` of it. Bytes are counted
 * as chunks arrive (a chunked answer declares no length), and at the limit
 * the stream is destroyed, which makes undici abort the exchange and close
 * its socket: an upstream that streams without end costs the gateway at most
 * `maxBytes` of memory and is not read any further.
 *
 * `declaredLength` (the Content-Length, when there is one) refuses an answer
 * that says it is too large before a byte of it is read.
 *
 * A failure of the stream itself (reset, abort at the deadline) is rethrown
 * as is, for the transport to classify; only the size is judged here.
 */
export async function readBoundedBody(body: Readable, maxBytes: number, declaredLength?: string | string[]): Promise<Buffer> {
  const declared = Number(Array.isArray(declaredLength) ? declaredLength[0] : declaredLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) {
      // Leaving the loop would destroy the stream too; said explicitly because the socket's fate depends on it.
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

function tooLarge(maxBytes: number): UpstreamError {
  return new UpstreamError('too_large', `upstream answer larger than ${maxBytes} bytes`);
}
