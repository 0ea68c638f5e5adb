import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import type { Stage } from '../stage.js';

/**
 * An open breaker answers 503 before the quotas are counted, like a
 * connector switched off (connector-availability.ts): the caller is not
 * charged for a call nobody will make, and the fail-fast answer skips the
 * shared quota counter's round trip. The upstream-call stage checks again
 * (the breaker may open in between); a half-open breaker still lets its
 * trial call through. Only for operations without a response cache: those
 * may still answer a stale copy while the breaker is open.
 */
export function breakerGateStage(deps: Pick<PipelineDependencies, 'upstreams'>, connectorId: string): Stage<OperationContext> {
  return {
    name: 'breaker-gate',
    run() {
      deps.upstreams.refuseIfOpen(connectorId);
    },
  };
}
