import type { OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../../connector-runtime/connector-slot.js';
import { ProblemError } from '../../errors/index.js';
import type { OperationContext } from '../operation-context.js';
import { required, type Stage } from '../stage.js';

/**
 * An operation the gateway answers from data it holds (`local`, the common
 * catalogs): its invoke reads that data directly; there is no upstream to
 * guard with a breaker or retry, and no personal data to audit.
 */
/** Nothing cancels a read of data in memory: one signal that never aborts, for every call. */
const neverAborted = new AbortController().signal;

export function localAnswerStage(operation: OperationDescriptor<any>, handle: Pick<ConnectorHandle, 'acquire'>): Stage<OperationContext> {
  const invoke = required(operation.invoke, "the operation's invoke", 'local-answer');
  return {
    name: 'local-answer',
    async run(context) {
      const input = required(context.input, 'the validated input', 'local-answer');
      const lease = handle.acquire();
      try {
        const { requestId, traceparent } = context.request;
        const result = await invoke(lease.client, input, { signal: neverAborted, requestId, traceparent });
        if (result.kind === 'not_found') throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such entry' });
        context.answer = { data: result.data };
        context.released = { body: result.data, fields: operation.releasedFields(result.data) };
      } finally {
        lease.release();
      }
    },
  };
}
