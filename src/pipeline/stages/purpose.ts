import { bindRequestPurpose } from '../authorize.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/** Personal-data operations only: X-Purpose must satisfy one of the grant's purposes (malformed → 400, not covered → 403). */
export function purposeStage(deps: Pick<PipelineDependencies, 'access'>): Stage<OperationContext> {
  return {
    name: 'purpose',
    run(context) {
      const { grant } = required(context.authorization, 'the grant', 'purpose');
      const headers = required(context.personalData, 'the personal-data headers', 'purpose');
      bindRequestPurpose(deps.access, grant, headers.purpose, context.req.header('x-procedure'));
    },
  };
}
