import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/** Personal-data operations only: no 2xx leaves before its audit record is committed (a failure is a 503). */
export function auditRecordStage(deps: Pick<PipelineDependencies, 'auditor'>): Stage<OperationContext> {
  return {
    name: 'audit-record',
    async run(context) {
      const { operation, connector } = context;
      const input = required(context.input, 'the validated input', 'audit-record');
      await deps.auditor.recordAccess({
        context: context.request,
        principal: required(context.principal, 'the principal', 'audit-record'),
        headers: required(context.personalData, 'the personal-data headers', 'audit-record'),
        operation: operation.id,
        connector: connector.id,
        subjectId: operation.subjectIdOf(input),
        fieldsReleased: required(context.released, 'the released fields', 'audit-record').fields,
        outcome: 'success',
        httpStatus: context.status ?? 200,
        upstreamReference: context.answer?.upstreamReference,
      });
    },
  };
}
