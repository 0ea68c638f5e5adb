import type { ConnectorDescriptor, OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../../connector-runtime/connector-slot.js';
import { ProblemError } from '../../errors/index.js';
import { createCachedInvoke } from '../cached-invoke.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';
import { createResponseContractCheck } from './response-contract.js';

/**
 * Cache → retries (idempotent operations) around bulkhead → breaker → the
 * connector, with the response contract checked in every attempt. Failures leave this stage as they were
 * raised (UpstreamError, BreakerOpenError, BulkheadFullError,
 * DeadlineExceededError): the edge turns them into problems.
 */
export function upstreamCallStage(
  deps: Pick<PipelineDependencies, 'upstreams' | 'responseCache' | 'maxRequestTimeoutMs' | 'contracts' | 'metrics' | 'logger'>,
  connector: ConnectorDescriptor<any>,
  operation: OperationDescriptor<any>,
  handle: Pick<ConnectorHandle, 'acquire'>,
): Stage<OperationContext> {
  const cachedInvoke = createCachedInvoke({ responseCache: deps.responseCache, connectorId: connector.id, operation, sharedCallTimeoutMs: deps.maxRequestTimeoutMs });
  const checkResponseContract = createResponseContractCheck(deps, connector.id, operation);
  const call = { connectorId: connector.id, operationId: operation.id, idempotent: operation.idempotent };
  const invoke = required(operation.invoke, 'the operation\'s invoke', 'upstream-call');

  return {
    name: 'upstream-call',
    async run(context) {
      const input = required(context.input, 'the validated input', 'upstream-call');
      const { grant } = required(context.authorization, 'the grant', 'upstream-call');
      const deadline = required(context.deadline, 'the deadline', 'upstream-call');
      const { requestId, traceparent } = context.request;
      const result = await cachedInvoke({ input, grant, res: context.res, deadline }, async (callDeadline) => {
        // One client for the whole call, retries included: an admin change meanwhile applies to the next call, never half-way through this one.
        const lease = handle.acquire();
        try {
          return await deps.upstreams.call({ ...call, requestId, deadline: callDeadline }, async (signal, attemptDeadline) => {
            // Set here, not before: an open breaker refuses without asking, and its fast 503 must not wait on an audit write.
            context.upstreamAsked = true;
            const answer = await invoke(lease.client, input, { signal, requestId, traceparent, deadline: attemptDeadline, ...context.personalData });
            checkResponseContract(answer, requestId);
            return answer;
          });
        } finally {
          lease.release();
        }
      });
      if (result.kind === 'not_found') {
        throw new ProblemError('LGSP_SUBJECT_NOT_FOUND', { connector: connector.id, detail: 'the upstream holds no record for this request' });
      }
      context.answer = { data: result.data, ...(result.upstreamReference !== undefined && { upstreamReference: result.upstreamReference }) };
    },
  };
}
