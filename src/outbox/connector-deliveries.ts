import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { ConnectorUnavailableError, type ConnectorHandle } from '../connector-runtime/connector-slot.js';
import { nextTraceparent } from '../pipeline/request-context.js';
import { BreakerOpenError, type BreakerRegistry } from '../resilience/breaker-registry.js';
import { BulkheadFullError } from '../resilience/bulkhead.js';
import { Deadline, DeadlineExceededError } from '../resilience/deadline.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';
import type { TargetRegistration } from './dispatcher.js';
import { DeferredDeliveryError, PermanentDeliveryError, TransientDeliveryError } from './errors.js';

/**
 * A connector's delivery handlers as outbox targets. Each delivery is one
 * upstream call through the connector's bulkhead, breaker and timeout (like
 * a request's, without its retries: the outbox retries, with its own
 * backoff), so an upstream in trouble is spared by deliveries too: while its
 * breaker is open, nothing of its targets is claimed.
 */
export function connectorDeliveryTargets(options: {
  connector: ConnectorDescriptor<any>;
  /** The connector's current client, leased per delivery, and whether it takes calls at all. */
  handle: Pick<ConnectorHandle, 'acquire' | 'availability'>;
  upstreams: UpstreamCaller;
  breakers: Pick<BreakerRegistry, 'refuses'>;
  /** The longest one delivery may take, all of its upstream calls included. */
  deliveryTimeoutMs: number;
}): Array<[string, TargetRegistration]> {
  const { connector, handle, upstreams, breakers } = options;
  return Object.entries(connector.deliveries ?? {}).map(([target, deliver]) => [
    target,
    {
      // Switched off or under maintenance: messages wait (deferred, no attempt counted) like behind an open breaker.
      isAvailable: () => handle.availability().kind === 'available' && !breakers.refuses(connector.id),
      deliveryTimeoutMs: options.deliveryTimeoutMs,
      async handler(message, signal) {
        const requestId = `outbox-${message.id}`;
        const deadline = new Deadline(performance.now() + options.deliveryTimeoutMs, signal);
        let lease;
        try {
          lease = handle.acquire();
          const { client } = lease;
          return await upstreams.call({ connectorId: connector.id, operationId: target, idempotent: false, requestId, deadline }, (attemptSignal, attemptDeadline) =>
            deliver(client, { key: message.key, sequence: message.sequence, payload: message.payload, attempt: message.attempt }, { signal: attemptSignal, requestId, traceparent: nextTraceparent(undefined), deadline: attemptDeadline }),
          );
        } catch (error) {
          throw deliveryFailure(error);
        } finally {
          lease?.release();
        }
      },
    },
  ]);
}

/** Kinds and short messages only: what the outbox stores and operators see never quotes the message. */
export function deliveryFailure(error: unknown): Error {
  if (error instanceof ConnectorUnavailableError) return new DeferredDeliveryError('connector_unavailable', `the connector is ${error.availability.kind}`);
  if (error instanceof BreakerOpenError) return new DeferredDeliveryError('breaker_open', 'the upstream\'s breaker is open', { retryAfterMs: error.retryAfterMs });
  if (error instanceof BulkheadFullError) return new DeferredDeliveryError('busy', 'the upstream has as many calls in flight as allowed');
  if (error instanceof DeadlineExceededError) return new TransientDeliveryError('timeout', 'no answer within the delivery timeout');
  if (error instanceof UpstreamError) {
    const code = error.upstreamCode ? ` (code ${error.upstreamCode})` : '';
    if (error.kind === 'rejected') return new PermanentDeliveryError('rejected', `the upstream refused the message${code}`);
    return new TransientDeliveryError(error.kind, `the upstream failed: ${error.kind}${code}`, { ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }) });
  }
  return new TransientDeliveryError('internal', 'the delivery failed inside the gateway');
}
