import { randomFillSync, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  requestId: string;
  /** W3C traceparent for the upstream call: the caller's trace, our own span. */
  traceparent: string;
  startedAt: number;
}

const safeRequestId = /^[A-Za-z0-9._:-]{1,128}$/;
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The caller's X-Request-Id when it is safe to echo, otherwise a fresh one. */
export function resolveRequestId(header: string | undefined): string {
  return header && safeRequestId.test(header) ? header : randomUUID();
}

/** Continue the caller's trace when it sent one (all-zero ids are invalid per W3C), else start one. */
export function nextTraceparent(header: string | undefined): string {
  const match = header ? traceparentPattern.exec(header.trim()) : null;
  const valid = match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!);
  const traceId = valid ? match[1]! : randomHex(16);
  const flags = valid ? match[3]! : '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

/**
 * Random ids from a pool refilled 4 KiB at a time: one CSPRNG call per ~170
 * requests instead of two buffers and two calls on each.
 */
const randomPool = Buffer.alloc(4096);
let randomPoolOffset = randomPool.length;

function randomHex(bytes: number): string {
  if (randomPoolOffset + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const hex = randomPool.toString('hex', randomPoolOffset, randomPoolOffset + bytes);
  randomPoolOffset += bytes;
  return hex;
}

/** The context of a request that just arrived, from its X-Request-Id and traceparent headers. */
export function newRequestContext(requestIdHeader: string | undefined, traceparentHeader: string | undefined): RequestContext {
  return { requestId: resolveRequestId(requestIdHeader), traceparent: nextTraceparent(traceparentHeader), startedAt: performance.now() };
}

export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const context = newRequestContext(req.header('x-request-id'), req.header('traceparent'));
  res.locals.requestContext = context;
  res.setHeader('X-Request-Id', context.requestId);
  next();
}

export function requestContextOf(res: Response): RequestContext {
  return res.locals.requestContext as RequestContext;
}
