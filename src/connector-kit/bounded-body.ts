import type { Readable } from 'node:stream';
import { errors, type Dispatcher } from 'undici';
import { UpstreamError } from './upstream-errors.js';

const { RequestAbortedError } = errors;

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

/** An answer read whole, within its cap. */
export interface BoundedAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One exchange on an undici dispatcher, its answer read whole into memory
 * up to `maxBytes`: the same rules as readBoundedBody (a declared length
 * over the cap is refused before a byte is read, the bytes are counted as
 * they arrive, at the cap the exchange is aborted and its socket closed),
 * without the response stream and its async iteration in between, which on
 * the hot path cost more CPU than the SOAP answer's parsing.
 *
 * `signal` aborts the exchange as `request({ signal })` does: rejected with
 * the signal's reason, the socket of an exchange in progress destroyed. Every
 * other failure (connect, reset, TLS) rejects with undici's error, for the
 * transport to classify.
 */
export function boundedRequest(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, limits: { maxBytes: number; signal: AbortSignal }): Promise<BoundedAnswer> {
  const { maxBytes, signal } = limits;
  return new Promise<BoundedAnswer>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason ?? new RequestAbortedError());
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let statusCode = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      reject(error);
    };
    // Aborting rejects at once; the exchange itself is aborted now or as soon as it starts.
    const onAbort = (): void => {
      const reason = (signal.reason as Error | undefined) ?? new RequestAbortedError();
      fail(reason);
      controller?.abort(reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const cut = (error: UpstreamError): void => {
      fail(error);
      controller?.abort(error);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (settled) started.abort((signal.reason as Error | undefined) ?? new RequestAbortedError());
      },
      onResponseStart(_controller, status, responseHeaders) {
        // 1xx answers (100 Continue, 103 Early Hints) come before the one that counts.
        if (status < 200) return;
        statusCode = status;
        headers = responseHeaders as Record<string, string | string[] | undefined>;
        const declaredLength = headers['content-length'];
        const declared = Number(Array.isArray(declaredLength) ? declaredLength[0] : declaredLength);
        if (Number.isFinite(declared) && declared > maxBytes) cut(tooLarge(maxBytes));
      },
      onResponseData(_controller, chunk) {
        if (settled) return;
        received += chunk.length;
        if (received > maxBytes) return cut(tooLarge(maxBytes));
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve({ statusCode, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received) });
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      // Options undici refuses (a header value with a line break): as request() reports them, a rejection.
      fail(error);
    }
  });
}
