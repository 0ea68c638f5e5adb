import type { OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import type { Stage } from '../stage.js';
import { createRequestValidator } from '../validate-request.js';

/** The request against the operation's contract (compiled once, here): a violation is a 400 naming each field. */
export function requestContractStage(deps: Pick<PipelineDependencies, 'contracts'>, operation: OperationDescriptor<any>): Stage<OperationContext> {
  const validate = createRequestValidator(operation as OperationDescriptor, deps.contracts);
  return {
    name: 'request-contract',
    run(context) {
      context.input = validate(context.req);
    },
  };
}
