import { enforceQuotas } from '../enforce-quotas.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/** The consumer's and the grant's quotas, shared across replicas (429 with Retry-After when spent). */
export function quotasStage(deps: Pick<PipelineDependencies, 'limiter'>): Stage<OperationContext> {
  return {
    name: 'quotas',
    async run(context) {
      await enforceQuotas(deps.limiter, required(context.authorization, 'the grant', 'quotas'), context.res);
    },
  };
}
