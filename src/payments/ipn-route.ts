import type { Readable } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import { ProblemError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { requestContextOf } from '../pipeline/request-context.js';
import { ipnSystemErrorAnswer, processIpn, type IpnProcessorDeps, type IpnResult } from './ipn-processor.js';
import { paymentMetrics, type PaymentMetrics } from './payment-metrics.js';

/** Where the platform delivers its IPNs (registered with it out of band: connectors/paygov/README.md). */
export const ipnPath = '/callbacks/paygov/ipn';

/** lgsp_payment_ipn_total{verdict}: every IPN by what became of it; `unavailable` when it could not be processed (503, the platform delivers it again). */
export type IpnCounter = PaymentMetrics['ipns'];

/** lgsp_payment_ipn_total{verdict}, from the payments' one metrics module (the alerting signals read it). */
export function createIpnCounter(registry: Registry): IpnCounter {
  return paymentMetrics(registry).ipns;
}

export interface IpnRouteOptions {
  /** processIpn's dependencies; maxBodyBytes is also the most this route reads. */
  processor: IpnProcessorDeps & { maxBodyBytes: number };
  counter: IpnCounter;
  logger: Logger;
  /** Told after each processed IPN (committed): the gateway wakes its outbox when one was applied, so the notices leave at once. */
  onProcessed?(result: IpnResult): void;
}

/**
 * POST /callbacks/paygov/ipn. No bearer token: the checksum is the
 * authentication (processIpn checks it before believing anything). Mounted
 * ahead of /api/v1 and its JSON parser: the body is read here, raw, because
 * the checksum covers the fields as they travelled, and at most
 * maxBodyBytes + 1 bytes of it (enough to know it is too large) are ever read.
 *
 * Every processed IPN, refused ones included, is answered 200 with the
 * platform's {MaLoi, MoTaLoi}: a refusal is an answer, and redelivering a
 * forged or mismatched message changes nothing. When processing fails (the
 * database or the credentials are unreachable), nothing was stored or
 * applied, and the answer is a 503 problem that also carries MaLoi "99", so
 * the platform delivers the IPN again. The body, the payer and the secrets
 * never reach a log line.
 */
export function createIpnRouter(options: IpnRouteOptions): Router {
  const router = Router();
  router.post(ipnPath, async (req: Request, res: Response) => {
    res.locals.route = ipnPath;
    const { requestId } = requestContextOf(res);
    const { body, complete } = await readCapped(req, options.processor.maxBodyBytes);
    // An oversized body is not read to its end: the connection is closed after the answer rather than drained.
    if (!complete) res.setHeader('Connection', 'close');
    try {
      const result = await processIpn(options.processor, { rawBody: body, sourceIp: req.ip ?? req.socket.remoteAddress ?? '' });
      options.counter.inc({ verdict: result.verdict });
      options.onProcessed?.(result);
      res.status(200).json(result.answer);
    } catch (error) {
      options.counter.inc({ verdict: 'unavailable' });
      options.logger.error({ requestId, err: (error as Error)?.name }, 'paygov IPN could not be processed; answered 503 so the platform delivers it again');
      // Answered by the app's problem responder, like every other problem.
      throw new ProblemError('LGSP_PAYMENT_CALLBACK_UNAVAILABLE', {
        detail: 'the callback was not processed and nothing was applied: deliver it again',
        headers: { 'Retry-After': '5' },
        // The platform's own fields, so that a platform reading only those also retries.
        extensions: { ...ipnSystemErrorAnswer },
      });
    }
  });
  return router;
}

/**
 * The request body, at most maxBytes + 1 bytes of it: bytes are counted as
 * chunks arrive, and once past the limit the request stops being read (a
 * sender streaming without end costs the gateway at most that much memory).
 * `complete` is false when the body was cut there.
 */
async function readCapped(req: Readable, maxBytes: number): Promise<{ body: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let received = 0;
  return new Promise((resolve) => {
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onError);
      resolve({ body: Buffer.concat(chunks, Math.min(received, maxBytes + 1)), complete });
    };
    const onData = (chunk: Buffer) => {
      const room = maxBytes + 1 - received;
      if (room > 0) chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      received += chunk.length;
      if (received > maxBytes) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    // A sender that hangs up mid-body: what arrived is judged (and refused as malformed) like any other body.
    const onError = () => finish(false);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.once('close', onError);
  });
}
