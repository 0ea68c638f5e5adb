/**
 * How a handler says why a delivery did not happen. Kinds and messages are
 * stored and shown to operators: they must never carry personal data (say
 * "portal answered error_code 12", not what was sent).
 */
const maxMessageLength = 200;

abstract class DeliveryError extends Error {
  /** Short machine-readable reason, e.g. `timeout`, `http_503`, `rejected`. */
  readonly kind: string;
  constructor(kind: string, message: string, options?: ErrorOptions) {
    super(message.slice(0, maxMessageLength), options);
    this.kind = kind.slice(0, 64);
  }
}

/** Worth another attempt later (timeout, 5xx, connection refused): retried with backoff until max attempts or age. */
export class TransientDeliveryError extends DeliveryError {
  constructor(kind: string, message: string, readonly options: ErrorOptions & { retryAfterMs?: number } = {}) {
    super(kind, message, options);
    this.name = 'TransientDeliveryError';
  }
}

/** Will never succeed as it is (the target refused the content): the message goes dead at once. */
export class PermanentDeliveryError extends DeliveryError {
  constructor(kind: string, message: string, options?: ErrorOptions) {
    super(kind, message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * "Not now", before anything was sent (the target's breaker is open, a
 * maintenance window): rescheduled without counting an attempt.
 */
export class DeferredDeliveryError extends DeliveryError {
  constructor(kind: string, message: string, readonly options: ErrorOptions & { retryAfterMs?: number } = {}) {
    super(kind, message, options);
    this.name = 'DeferredDeliveryError';
  }
}

export interface ClassifiedFailure {
  outcome: 'retry' | 'dead' | 'deferred';
  kind: string;
  message: string;
  retryAfterMs?: number;
}

/**
 * Anything else a handler throws counts as transient; its message is not
 * kept (it could be a driver's text quoting the payload), only its name.
 */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof PermanentDeliveryError) return { outcome: 'dead', kind: error.kind, message: error.message };
  if (error instanceof DeferredDeliveryError) {
    return { outcome: 'deferred', kind: error.kind, message: error.message, retryAfterMs: error.options.retryAfterMs };
  }
  if (error instanceof TransientDeliveryError) {
    return { outcome: 'retry', kind: error.kind, message: error.message, retryAfterMs: error.options.retryAfterMs };
  }
  const name = error instanceof Error ? error.name : typeof error;
  return { outcome: 'retry', kind: 'unexpected', message: `handler threw ${name}`.slice(0, maxMessageLength) };
}
