import type { OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { ProblemError } from '../../errors/index.js';
import type { Stage } from '../stage.js';
import { createRequestValidator } from '../validate-request.js';

/** The request against the operation's contract (compiled once, here): a violation is a 400 naming each field. */
export function requestContractStage(deps: Pick<PipelineDependencies, 'contracts'>, operation: OperationDescriptor<any>): Stage<OperationContext> {
  const validate = createRequestValidator(operation as OperationDescriptor, deps.contracts);
  return {
    name: 'request-contract',
    run(context) {
      const input = validate(context.req);
      // A resource named both in the path and in the body (PUT /dossiers/{dossierCode} with its dossierCode) must be one resource.
      const body = input.body as Record<string, unknown> | undefined;
      for (const [name, value] of Object.entries(input.params)) {
        if (body && typeof body === 'object' && name in body && body[name] !== value) {
          throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: name, message: `must equal the ${name} in the path` }] });
        }
      }
      context.input = input;
    },
  };
}
