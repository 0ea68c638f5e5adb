import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import type { Stage } from '../stage.js';

/** Who calls: the bearer token, verified offline against the realm's keys. */
export function authenticateStage(deps: Pick<PipelineDependencies, 'tokenVerifier'>): Stage<OperationContext> {
  return {
    name: 'authenticate',
    async run(context) {
      context.principal = await deps.tokenVerifier.verifyAuthorizationHeader(context.req.header('authorization'));
    },
  };
}
