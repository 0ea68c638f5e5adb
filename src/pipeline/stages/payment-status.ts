import type { ConnectorDescriptor, OperationDescriptor } from '../../connector-kit/descriptor.js';
import { ProblemError } from '../../errors/index.js';
import { paymentAnswer } from '../../payments/payment-answer.js';
import type { PaymentView } from '../../payments/payment-types.js';
import type { OperationContext } from '../operation-context.js';
import type { PaymentsAccess } from '../payments-access.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';
import { paymentsFor } from './payment-create.js';

/** A payment's state and history, as the gateway holds it (no upstream call: reconciliation and IPNs keep it current). */
export function paymentStatusStage(
  deps: Pick<PipelineDependencies, 'payments'>,
  connector: Pick<ConnectorDescriptor<any>, 'id'>,
  operation: Pick<OperationDescriptor<any>, 'id' | 'releasedFields'>,
): Stage<OperationContext> {
  const { store } = paymentsFor(deps, connector, operation, 'payment-status');
  return {
    name: 'payment-status',
    async run(context) {
      const payment = await ownPayment(store, context, 'payment-status');
      const answer = paymentAnswer(payment);
      context.answer = { data: answer, upstreamReference: payment.reference };
      context.released = { body: answer, fields: operation.releasedFields(answer) };
    },
  };
}

/**
 * The payment named in the path, if the calling consumer created it. Another
 * consumer's payment is answered exactly like a reference that does not
 * exist: a 404 that says nothing of whether it does.
 */
export async function ownPayment(store: PaymentsAccess['store'], context: OperationContext, stage: string): Promise<PaymentView> {
  const reference = required(context.input, 'the validated input', stage).params.reference;
  const { consumer } = required(context.authorization, 'the grant', stage);
  const payment = reference === undefined ? undefined : await store.get(reference);
  if (!payment || payment.consumerId !== consumer.id) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no payment with this reference' });
  return payment;
}
