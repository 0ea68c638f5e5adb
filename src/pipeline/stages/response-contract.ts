import type { OperationDescriptor, OperationResult } from '../../connector-kit/descriptor.js';
import { UpstreamError } from '../../connector-kit/upstream-errors.js';
import { describeViolations } from '../../contracts/contract-registry.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';

/** Throws when a mapped answer breaks the operation's response contract. */
export type ResponseContractCheck = (answer: OperationResult<unknown>, requestId: string) => void;

/**
 * The response contract, checked inside each upstream attempt (upstream-call.ts)
 * rather than after the call: a broken answer then counts against the
 * upstream's breaker, and the cache never stores it. A violation is a
 * contract-drift signal (metric + warning naming the fields, never their
 * values, which may be personal data), and a 502 for the caller.
 */
export function createResponseContractCheck(
  deps: Pick<PipelineDependencies, 'contracts' | 'metrics' | 'logger'>,
  connectorId: string,
  operation: Pick<OperationDescriptor, 'id' | 'response'>,
): ResponseContractCheck {
  const validate = deps.contracts.validator(operation.response);
  const labels = { connector: connectorId, operation: operation.id };
  return (answer, requestId) => {
    if (answer.kind !== 'found' || validate(answer.data)) return;
    deps.metrics.contractViolations.inc(labels);
    deps.logger.warn({ ...labels, requestId, violations: describeViolations(validate.errors).map((violation) => violation.field) }, 'upstream answer violates its contract');
    throw new UpstreamError('contract', 'mapped answer violates the response contract');
  };
}
