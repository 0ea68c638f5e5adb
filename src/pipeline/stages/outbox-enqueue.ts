import type { OperationDescriptor, OutboxWrite } from '../../connector-kit/descriptor.js';
import { ProblemError } from '../../errors/index.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/**
 * Writes only: the validated request becomes one outbox message, committed
 * before the caller hears 202 (accepted durably; delivered later, in order
 * per key, by the connector's delivery handler). A retry of the same request
 * is the same message: the answer says so (`duplicate`) with the same id.
 */
export function outboxEnqueueStage(deps: Pick<PipelineDependencies, 'outbox'>, operation: Pick<OperationDescriptor<any>, 'id'>, write: OutboxWrite): Stage<OperationContext> {
  // A gateway started without its outbox cannot accept this write at all: a wiring bug, found at start.
  const outbox = required(deps.outbox, 'the outbox', `outbox-enqueue of ${operation.id}`);
  return {
    name: 'outbox-enqueue',
    async run(context) {
      const input = required(context.input, 'the validated input', 'outbox-enqueue');
      const key = write.keyOf(input);
      const accepted = await outbox.enqueue({
        target: write.target,
        key,
        payload: write.messageOf(input),
        ...(context.idempotencyKey !== undefined && { idempotencyKey: context.idempotencyKey }),
      });
      if (!accepted.sameContent) {
        throw new ProblemError('LGSP_IDEMPOTENCY_KEY_REUSED', { detail: 'this Idempotency-Key was already used for another request body' });
      }
      context.status = 202;
      context.answer = { data: accepted, upstreamReference: `outbox:${accepted.id}` };
      context.released = {
        body: { syncId: accepted.id, key, sequence: accepted.sequence, state: accepted.state, duplicate: !accepted.created },
        fields: write.fieldsSent(input),
      };
    },
  };
}
