import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { readRequestBody, sendJson, sendText } from './http-helpers.js';

/**
 * Upstream misbehaviour a sandbox can be told to show, so that timeouts,
 * retries, circuit breakers and error mapping are tested against real sockets.
 *
 *   latency        answer normally, `ms` later
 *   hang           never answer; the exchange ends only when the client gives up
 *   soap-fault     a server-side SOAP Fault from the SOAP stack itself
 *   http-500       HTTP 500 with a proxy's HTML error page
 *   garbage        HTTP 200 whose body is not XML (nor anything parseable)
 *   empty          HTTP 200 with an empty body
 *   reset          destroy the socket without answering
 *   expired-token  HTTP 401 as if the bearer token had expired
 *   unavailable    HTTP 503 (an overloaded upstream or its proxy), with
 *                  `Retry-After: retryAfterSeconds` when given
 *   oversize       HTTP 200 streamed in chunks, with no Content-Length, of
 *                  `bytes` (1 GiB when absent) or until the client hangs up
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'hang' }
  | { kind: 'soap-fault' }
  | { kind: 'http-500' }
  | { kind: 'garbage' }
  | { kind: 'empty' }
  | { kind: 'reset' }
  | { kind: 'expired-token' }
  | { kind: 'unavailable'; retryAfterSeconds?: number }
  | { kind: 'oversize'; bytes?: number };

export type FaultKind = Fault['kind'];

export const faultKinds: readonly FaultKind[] = ['latency', 'hang', 'soap-fault', 'http-500', 'garbage', 'reset', 'expired-token', 'unavailable', 'oversize', 'empty'];

export interface FaultScope {
  /** Only calls of this operation (e.g. `TraCuuThongTinCongDan`, `token`); every data operation when absent. */
  operation?: string;
  /** Only the next `times` matching calls; until cleared when absent. */
  times?: number;
}

export interface ActiveFault {
  fault: Fault;
  operation?: string;
  /** Matching calls still to be hit; undefined = until cleared. */
  remaining?: number;
}

/**
 * One active fault at a time: tests set a fault, exercise, clear. Setting a new
 * fault replaces the previous one, which keeps scenarios easy to reason about.
 */
export class FaultController {
  private activeFault: ActiveFault | undefined;
  private readonly seen = new Map<string, number>();

  set(fault: Fault, scope: FaultScope = {}): void {
    const problem = validateFault(fault) ?? validateScope(scope);
    if (problem) throw new TypeError(problem);
    this.activeFault = {
      fault: { ...fault },
      ...(scope.operation !== undefined && { operation: scope.operation }),
      ...(scope.times !== undefined && { remaining: scope.times }),
    };
  }

  clear(): void {
    this.activeFault = undefined;
  }

  /**
   * How many calls reached the sandbox since the last resetCalls(), faulted or
   * not: of one operation, or of every data operation (not `token`) when none
   * is named. Resilience tests count with it what the gateway let through.
   */
  calls(operation?: string): number {
    if (operation !== undefined) return this.seen.get(operation) ?? 0;
    let total = 0;
    for (const [name, count] of this.seen) if (name !== 'token') total += count;
    return total;
  }

  resetCalls(): void {
    this.seen.clear();
  }

  get active(): ActiveFault | undefined {
    return this.activeFault && { ...this.activeFault, fault: { ...this.activeFault.fault } };
  }

  /**
   * What to do for this call: the fault to show, or undefined to behave.
   * Faults without an operation hit data operations only, never `token`, so a
   * test of "SOAP call hangs" is not defeated by the login hanging first.
   */
  next(operation: string): Fault | undefined {
    this.seen.set(operation, (this.seen.get(operation) ?? 0) + 1);
    const active = this.activeFault;
    if (!active) return undefined;
    const matches = active.operation === undefined ? operation !== 'token' : active.operation === operation;
    if (!matches) return undefined;
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.activeFault = undefined;
    }
    return { ...active.fault };
  }
}

function validateFault(fault: unknown): string | undefined {
  if (!fault || typeof fault !== 'object') return 'a fault must be an object with a kind';
  const { kind, ms, retryAfterSeconds, bytes } = fault as { kind?: unknown; ms?: unknown; retryAfterSeconds?: unknown; bytes?: unknown };
  if (typeof kind !== 'string' || !faultKinds.includes(kind as FaultKind)) {
    return `unknown fault kind ${JSON.stringify(kind)}; expected one of ${faultKinds.join(', ')}`;
  }
  if (kind === 'latency' && (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) {
    return 'a latency fault needs ms, a non-negative number';
  }
  if (kind === 'unavailable' && retryAfterSeconds !== undefined && (!Number.isInteger(retryAfterSeconds) || (retryAfterSeconds as number) < 0)) {
    return 'retryAfterSeconds must be a non-negative integer';
  }
  if (kind === 'oversize' && bytes !== undefined && (!Number.isSafeInteger(bytes) || (bytes as number) < 1)) {
    return 'bytes must be a positive integer';
  }
  return undefined;
}

function validateScope(scope: FaultScope): string | undefined {
  if (scope.operation !== undefined && (typeof scope.operation !== 'string' || scope.operation === '')) {
    return 'scope.operation must be a non-empty string';
  }
  if (scope.times !== undefined && (!Number.isInteger(scope.times) || scope.times < 1)) {
    return 'scope.times must be a positive integer';
  }
  return undefined;
}

/**
 * Reads a control request body: either `{ fault: {...}, scope: {...} }` or the
 * flat form `{ kind, ms?, operation?, times? }`.
 */
export function parseFaultRequest(body: unknown): { fault: Fault; scope: FaultScope } | { error: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'body must be a JSON object' };
  const record = body as Record<string, unknown>;
  const nested = record.fault && typeof record.fault === 'object';
  const faultPart = (nested ? record.fault : record) as Record<string, unknown>;
  const scopePart = (nested ? (record.scope ?? {}) : record) as Record<string, unknown>;
  const fault = {
    kind: faultPart.kind,
    ...(faultPart.ms !== undefined && { ms: faultPart.ms }),
    ...(faultPart.retryAfterSeconds !== undefined && { retryAfterSeconds: faultPart.retryAfterSeconds }),
    ...(faultPart.bytes !== undefined && { bytes: faultPart.bytes }),
  } as Fault;
  const scope: FaultScope = {
    ...(scopePart.operation !== undefined && { operation: scopePart.operation as string }),
    ...(scopePart.times !== undefined && { times: scopePart.times as number }),
  };
  const problem = validateFault(fault) ?? validateScope(scope);
  return problem ? { error: problem } : { fault, scope };
}

export const faultControlPath = '/__sandbox/faults';

/**
 * The HTTP control route, so tests and benchmarks in other processes can switch
 * faults: POST sets (JSON body = fault + scope), DELETE clears, GET shows.
 * Returns false when the request is not for the control route.
 */
export async function handleFaultControlRequest(
  controller: FaultController,
  request: IncomingMessage,
  response: ServerResponse,
  path: string = faultControlPath,
): Promise<boolean> {
  const pathname = new URL(request.url ?? '/', 'http://sandbox').pathname.replace(/\/$/, '');
  if (pathname !== path) return false;
  switch (request.method) {
    case 'POST': {
      let body: unknown;
      try {
        body = JSON.parse((await readRequestBody(request, 10_000)).toString('utf8'));
      } catch {
        sendJson(response, 400, { error: 'body must be JSON' });
        return true;
      }
      const parsed = parseFaultRequest(body);
      if ('error' in parsed) {
        sendJson(response, 400, { error: parsed.error });
        return true;
      }
      controller.set(parsed.fault, parsed.scope);
      sendJson(response, 200, { active: controller.active });
      return true;
    }
    case 'DELETE':
      controller.clear();
      response.writeHead(204).end();
      return true;
    case 'GET':
      sendJson(response, 200, { active: controller.active ?? null });
      return true;
    default:
      sendJson(response, 405, { error: 'use POST, DELETE or GET' }, { allow: 'POST, DELETE, GET' });
      return true;
  }
}

/** What the caller still has to do after the generic part of a fault was applied. */
export type FaultOutcome = 'continue' | 'handled' | 'soap-fault' | 'expired-token';

const proxyErrorPage =
  '<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const unavailablePage =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
/** Truncated JSON under an XML content type: what a misconfigured gateway in front of a SOAP service sends. */
const garbageBody = '{"status":"OK","data":[{"SoDinhDanh":';

/**
 * Applies the protocol-independent faults to an HTTP exchange. `soap-fault`
 * and `expired-token` depend on the upstream's protocol and auth scheme, so
 * they are returned for the caller to render.
 */
export async function applyHttpFault(fault: Fault | undefined, request: IncomingMessage, response: ServerResponse): Promise<FaultOutcome> {
  if (!fault) return 'continue';
  switch (fault.kind) {
    case 'latency': {
      // A client that gives up first ends the wait too, so no timer outlives the exchange.
      const gaveUp = new AbortController();
      const onClose = () => gaveUp.abort();
      response.once('close', onClose);
      await delay(fault.ms, undefined, { signal: gaveUp.signal }).catch(() => undefined);
      response.off('close', onClose);
      return response.destroyed ? 'handled' : 'continue';
    }
    case 'hang':
      // Keep the socket open with no answer until the client gives up; the
      // server's close() ends such exchanges with closeAllConnections().
      await new Promise<void>((resolve) => {
        if (response.destroyed) resolve();
        else response.once('close', () => resolve());
      });
      return 'handled';
    case 'http-500':
      sendText(response, 500, 'text/html', proxyErrorPage);
      return 'handled';
    case 'unavailable':
      sendText(response, 503, 'text/html', unavailablePage, fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
      return 'handled';
    case 'garbage':
      sendText(response, 200, 'text/xml; charset=utf-8', garbageBody);
      return 'handled';
    case 'empty':
      sendText(response, 200, 'text/xml; charset=utf-8', '');
      return 'handled';
    case 'reset':
      request.socket.destroy();
      return 'handled';
    case 'oversize':
      // No Content-Length: the client learns the size only by counting what arrives.
      response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      await streamUntilClosed(response, fault.bytes ?? oversizeDefaultBytes);
      return 'handled';
    case 'soap-fault':
    case 'expired-token':
      return fault.kind;
  }
}

const oversizeDefaultBytes = 1024 ** 3;
const oversizeChunk = Buffer.alloc(64 * 1024, 'x');

/**
 * Writes `total` bytes, waiting for the socket to drain (so the sandbox holds
 * one chunk, not the whole answer), and stops as soon as the client closes.
 */
async function streamUntilClosed(response: ServerResponse, total: number): Promise<void> {
  let sent = 0;
  while (sent < total && !response.destroyed) {
    const chunk = total - sent >= oversizeChunk.length ? oversizeChunk : oversizeChunk.subarray(0, total - sent);
    sent += chunk.length;
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.once('drain', done);
        response.once('close', done);
      });
    }
  }
  if (!response.destroyed) response.end();
}
