import type { OperationDescriptor } from '../../connector-kit/descriptor.js';
import { checkFees, feeMismatchProblem } from '../../payments/fee-check.js';
import { Deadline } from '../../resilience/deadline.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/**
 * A payment's create only (config payments.feeCheck `when-listed`): the fee
 * amounts against the procedure's fee table in the national catalog, before
 * anything is stored, so a mismatch (422) creates nothing. The catalog gets
 * at most half of the time left, so that a slow catalog still leaves the
 * payment platform's INIT its share; when it cannot answer, the payment
 * proceeds and says so (`feeCheck: catalog_unavailable`).
 *
 * A retry of a create that already made its payment is not checked again:
 * the payment exists (and may be paid), so a catalog changed since must not
 * answer it with a 422 saying nothing was created. The create stage returns
 * that payment, or refuses other content under the same key.
 */
export function feeCheckStage(deps: Pick<PipelineDependencies, 'payments'>, operation: Pick<OperationDescriptor<any>, 'id'>): Stage<OperationContext> {
  const payments = required(deps.payments, 'the payments', `fee-check of ${operation.id}`);
  return {
    name: 'fee-check',
    async run(context) {
      if (payments.feeCheck === 'off') return;
      const { consumer } = required(context.authorization, 'the grant', 'fee-check');
      const idempotencyKey = required(context.idempotencyKey, 'the Idempotency-Key', 'fee-check');
      if ((await payments.store.findByIdempotencyKey(consumer.id, idempotencyKey)) !== undefined) return;
      const body = required(context.input, 'the validated input', 'fee-check').body as { procedureCode: string; items: Array<{ code: string; amount: number }> };
      const deadline = required(context.deadline, 'the deadline', 'fee-check');
      const now = performance.now();
      const catalogDeadline = new Deadline(now + deadline.remaining(now) / 2, deadline.cancellation);
      const table = payments.feeTable
        ? await payments.feeTable.lookUp(body.procedureCode, { requestId: context.request.requestId, traceparent: context.request.traceparent, deadline: catalogDeadline })
        : ({ kind: 'unavailable' } as const);
      const { result, mismatches } = checkFees(body.items, table);
      if (mismatches.length > 0) throw feeMismatchProblem(mismatches);
      context.feeCheck = result;
    },
  };
}
