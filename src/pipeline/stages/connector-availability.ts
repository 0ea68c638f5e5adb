import type { ConnectorHandle } from '../../connector-runtime/connector-slot.js';
import type { OperationContext } from '../operation-context.js';
import type { Stage } from '../stage.js';
import { unavailableConnectorProblem } from '../upstream-problem.js';

/**
 * A connector an administrator switched off or put under maintenance answers
 * 503 at once, before quotas are spent or an upstream is asked; maintenance
 * carries the administrator's message and a Retry-After.
 */
export function connectorAvailabilityStage(handle: Pick<ConnectorHandle, 'connectorId' | 'availability'>): Stage<OperationContext> {
  return {
    name: 'connector-availability',
    run() {
      const availability = handle.availability();
      if (availability.kind !== 'available') throw unavailableConnectorProblem(handle.connectorId, availability);
    },
  };
}
