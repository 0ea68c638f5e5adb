import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import type { Stage } from '../stage.js';

/**
 * Personal-data operations only: fail before, not after. When the audit
 * trail cannot be written, the national system is not asked at all
 * (503 LGSP_AUDIT_UNAVAILABLE), so no call reaches an upstream without the
 * means to record it.
 */
export function auditGateStage(deps: Pick<PipelineDependencies, 'auditGate'>): Stage<OperationContext> {
  return {
    name: 'audit-gate',
    async run() {
      await deps.auditGate.assertOpen();
    },
  };
}
