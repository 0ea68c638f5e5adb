import { ProblemError } from '../errors/index.js';

/**
 * The time one request may spend, counted from its arrival: what the caller
 * allows (`Request-Timeout` header) clamped to the gateway's maximum, which
 * also applies when the header is absent. Every upstream attempt, bulkhead
 * wait and retry backoff of the request fits inside it.
 *
 * Header format: `Request-Timeout: <seconds>`, a positive decimal number of
 * seconds with at most three decimals (`2`, `0.75`, `12.5`), after the
 * delta-seconds style of HTTP's own time headers (RFC 9110 Retry-After,
 * draft-thomson-hybi-http-timeout). Anything else is a 400.
 */
export class Deadline {
  /** performance.now() value at which the request is out of time. */
  readonly at: number;
  /** Aborted when the caller has gone away: nobody is waiting for an answer any more. */
  readonly cancelled: AbortSignal | undefined;

  constructor(at: number, cancelled?: AbortSignal) {
    this.at = at;
    this.cancelled = cancelled;
  }

  /** Milliseconds left (0 when exhausted). */
  remaining(now = performance.now()): number {
    return Math.max(0, this.at - now);
  }

  get exhausted(): boolean {
    return this.remaining() <= 0 || this.cancelled?.aborted === true;
  }
}

const requestTimeoutPattern = /^(?:\d{1,7})(?:\.\d{1,3})?$/;

/** Request-Timeout → milliseconds; undefined when absent, a 400 problem when malformed or zero. */
export function parseRequestTimeout(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const ms = requestTimeoutPattern.test(value) ? Math.round(Number(value) * 1000) : Number.NaN;
  if (!(ms > 0)) {
    throw new ProblemError('LGSP_VALIDATION_FAILED', {
      errors: [{ field: 'header:Request-Timeout', message: 'must be a positive number of seconds with at most three decimals, e.g. 2.5' }],
    });
  }
  return ms;
}

/** The deadline of a request that arrived at `startedAt` (performance.now()). */
export function requestDeadline(startedAt: number, header: string | undefined, maxMs: number, cancelled?: AbortSignal): Deadline {
  const asked = parseRequestTimeout(header);
  return new Deadline(startedAt + Math.min(asked ?? maxMs, maxMs), cancelled);
}

/** Raised when the request's deadline ends before the upstream answered (or before a call could start). */
export class DeadlineExceededError extends Error {
  readonly connectorId: string;
  /** Where the time ran out. */
  readonly stage: 'queue' | 'attempt' | 'backoff' | 'before-call';
  constructor(connectorId: string, stage: DeadlineExceededError['stage'], options: { cause?: unknown } = {}) {
    super(`request deadline exceeded (${stage}) calling ${connectorId}`, options);
    this.name = 'DeadlineExceededError';
    this.connectorId = connectorId;
    this.stage = stage;
  }
}
