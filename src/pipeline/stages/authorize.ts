import { authorize } from '../authorize.js';
import { systemClock } from '../clock.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/** Deny by default: a registered, active consumer with a grant for this operation, valid now. */
export function authorizeStage(deps: Pick<PipelineDependencies, 'access' | 'logger' | 'clock'>): Stage<OperationContext> {
  const clock = deps.clock ?? systemClock;
  return {
    name: 'authorize',
    run(context) {
      const principal = required(context.principal, 'the principal', 'authorize');
      context.authorization = authorize(deps.access, principal, context.operation.id, clock.now().getTime());
    },
  };
}
