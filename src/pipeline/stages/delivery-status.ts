import type { ConnectorDescriptor, DeliveryStatusRead, OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../../connector-runtime/connector-slot.js';
import { ProblemError } from '../../errors/index.js';
import type { OutboxMessageView } from '../../outbox/index.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/**
 * The delivery state of every message of one key, oldest first: what the
 * caller's writes became, from the outbox. When the caller asks for it, also
 * what the upstream holds now, through the same guarded call as any lookup
 * (bulkhead, breaker, timeout); its failures stay typed for the edge.
 */
export function deliveryStatusStage(
  deps: Pick<PipelineDependencies, 'outbox' | 'upstreams'>,
  connector: Pick<ConnectorDescriptor<any>, 'id'>,
  operation: Pick<OperationDescriptor<any>, 'id'>,
  handle: Pick<ConnectorHandle, 'acquire'>,
  status: DeliveryStatusRead<any>,
): Stage<OperationContext> {
  // A gateway started without its outbox cannot serve this operation at all: a wiring bug, found at start.
  const outbox = required(deps.outbox, 'the outbox', `delivery-status of ${operation.id}`);
  return {
    name: 'delivery-status',
    async run(context) {
      const input = required(context.input, 'the validated input', 'delivery-status');
      const key = status.keyOf(input);
      const messages = await outbox.messagesOf(status.target, key);
      if (messages.length === 0) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'nothing was accepted for this key' });
      let upstream: unknown;
      if (status.upstreamView?.wanted(input)) {
        const view = status.upstreamView;
        const deadline = required(context.deadline, 'the deadline', 'delivery-status');
        const { requestId, traceparent } = context.request;
        const lease = handle.acquire();
        try {
          upstream = await deps.upstreams.call({ connectorId: connector.id, operationId: operation.id, idempotent: true, requestId, deadline }, (signal, attemptDeadline) =>
            view.read(lease.client, key, { signal, requestId, traceparent, deadline: attemptDeadline }),
          );
        } finally {
          lease.release();
        }
      }
      context.released = { body: { key, messages: messages.map(deliveryView), ...(upstream !== undefined && { upstream }) }, fields: [] };
    },
  };
}

/** What a caller may see of a message: its state and timing, the upstream's short answer, never the payload. */
function deliveryView(message: OutboxMessageView) {
  const state = message.state === 'pending' && message.attempts > 0 ? 'retrying' : message.state;
  return {
    syncId: message.id,
    sequence: message.sequence,
    state,
    acceptedAt: message.createdAt.toISOString(),
    attempts: message.attempts,
    ...(state === 'retrying' && { nextAttemptAt: message.nextAttemptAt.toISOString(), lastError: message.lastError?.kind ?? null }),
    ...(message.deliveredAt && { deliveredAt: message.deliveredAt.toISOString(), answer: message.deliveryAnswer }),
    ...(message.deadReason && { deadReason: message.deadReason }),
  };
}
