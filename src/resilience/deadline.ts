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
/**
 * The caller going away, for a request's deadline. Every request has one and
 * almost none is ever used: an AbortController and its EventTarget listeners
 * cost a few microseconds per request on the busy path, so this keeps a plain
 * flag and a short list of listeners, and makes an AbortSignal only for the
 * code that needs one (a bulkhead wait, a retry's backoff).
 */
export class CallerGone {
  private gone = false;
  private why: DOMException | undefined;
  private listeners: Array<(reason: unknown) => void> | undefined;
  private controller: AbortController | undefined;

  get aborted(): boolean {
    return this.gone;
  }

  /** The same event as an AbortSignal, made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.gone) this.controller.abort(this.why);
    }
    return this.controller.signal;
  }

  /** Calls `listener` once when the caller goes; returns what removes it. */
  subscribe(listener: (reason: unknown) => void): () => void {
    (this.listeners ??= []).push(listener);
    return () => {
      const index = this.listeners?.indexOf(listener) ?? -1;
      if (index >= 0) this.listeners!.splice(index, 1);
    };
  }

  abort(): void {
    if (this.gone) return;
    this.gone = true;
    this.why = new DOMException('the caller went away', 'AbortError');
    this.controller?.abort(this.why);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener(this.why);
  }
}

export class Deadline {
  /** performance.now() value at which the request is out of time. */
  readonly at: number;
  private readonly source: AbortSignal | CallerGone | undefined;

  constructor(at: number, cancelled?: AbortSignal | CallerGone) {
    this.at = at;
    this.source = cancelled;
  }

  /** Aborted when the caller has gone away: nobody is waiting for an answer any more. */
  get cancelled(): AbortSignal | undefined {
    return this.source instanceof CallerGone ? this.source.signal : this.source;
  }

  /** What `cancelled` follows, as given: a CallerGone makes its AbortSignal only when asked. */
  get cancellation(): AbortSignal | CallerGone | undefined {
    return this.source;
  }

  /** Whether the caller has gone away (without making an AbortSignal for it). */
  get isCancelled(): boolean {
    return this.source?.aborted === true;
  }

  /**
   * Calls `listener` once, with the reason, when the caller goes away; returns what removes it.
   * The busy path's way to follow cancellation (see CallerGone).
   */
  onCancel(listener: (reason: unknown) => void): () => void {
    const source = this.source;
    if (!source) return noop;
    if (source instanceof CallerGone) return source.subscribe(listener);
    const onAbort = () => listener(source.reason);
    source.addEventListener('abort', onAbort, { once: true });
    return () => source.removeEventListener('abort', onAbort);
  }

  /** Milliseconds left (0 when exhausted). */
  remaining(now = performance.now()): number {
    return Math.max(0, this.at - now);
  }

  get exhausted(): boolean {
    return this.remaining() <= 0 || this.isCancelled;
  }
}

function noop(): void {}

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
export function requestDeadline(startedAt: number, header: string | undefined, maxMs: number, cancelled?: AbortSignal | CallerGone): Deadline {
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
