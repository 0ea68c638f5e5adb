import { ProblemError } from '../../errors/index.js';
import type { OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { OutboxMessageView } from '../../outbox/index.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/** The delivery state of every message of one key, oldest first: what the caller's writes became. No upstream is asked. */
export function deliveryStatusStage(deps: Pick<PipelineDependencies, 'outbox'>, operation: Pick<OperationDescriptor<any>, 'id'>, status: { target: string; keyOf: (input: NonNullable<OperationContext['input']>) => string }): Stage<OperationContext> {
  return {
    name: 'delivery-status',
    async run(context) {
      if (!deps.outbox) throw new ProblemError('LGSP_INTERNAL', { detail: `${operation.id} needs the outbox, which this gateway was started without` });
      const key = status.keyOf(required(context.input, 'the validated input', 'delivery-status'));
      const messages = await deps.outbox.messagesOf(status.target, key);
      if (messages.length === 0) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'nothing was accepted for this key' });
      context.released = { body: { key, messages: messages.map(deliveryView) }, fields: [] };
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
