import type { ConnectorDescriptor, OperationDescriptor, PlatformReceipt } from '../../connector-kit/descriptor.js';
import { ProblemError } from '../../errors/index.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';
import { paymentsFor } from './payment-create.js';
import { ownPayment } from './payment-status.js';
import { createResponseContractCheck } from './response-contract.js';

/**
 * The receipt (biên lai) of one of the consumer's paid payments, asked of the
 * platform (GET_BILL) through the connector's guards, checked against
 * contracts/paygov/v1/payment-receipt.json. It names the payer: a
 * personal-data operation, audited. A payment not paid has none (409); a paid
 * one the platform holds no receipt for is a 404.
 */
export function paymentReceiptStage(
  deps: Pick<PipelineDependencies, 'payments' | 'contracts' | 'metrics' | 'logger'>,
  connector: Pick<ConnectorDescriptor<any>, 'id'>,
  operation: Pick<OperationDescriptor<any>, 'id' | 'response' | 'releasedFields'>,
): Stage<OperationContext> {
  const { store, platform } = paymentsFor(deps, connector, operation, 'payment-receipt');
  const checkResponseContract = createResponseContractCheck(deps, connector.id, operation);
  return {
    name: 'payment-receipt',
    async run(context) {
      const payment = await ownPayment(store, context, 'payment-receipt');
      if (payment.state !== 'paid') {
        throw new ProblemError('LGSP_PAYMENT_NOT_PAID', { detail: `the payment is ${payment.state}: a receipt exists only once it is paid`, extensions: { state: payment.state } });
      }
      const { requestId, traceparent } = context.request;
      const receipt = await platform.receipt(payment.reference, {
        requestId,
        traceparent,
        deadline: required(context.deadline, 'the deadline', 'payment-receipt'),
        onAttempt: () => {
          context.upstreamAsked = true;
        },
      });
      if (!receipt) throw new ProblemError('LGSP_SUBJECT_NOT_FOUND', { connector: connector.id, detail: 'the payment platform holds no receipt for this payment' });
      const answer = receiptAnswer(payment.reference, receipt);
      checkResponseContract({ kind: 'found', data: answer }, requestId);
      context.answer = { data: answer, upstreamReference: payment.reference };
      context.released = { body: answer, fields: operation.releasedFields(answer) };
    },
  };
}

/** contracts/paygov/v1/payment-receipt.json from the platform's receipt. */
function receiptAnswer(reference: string, receipt: PlatformReceipt): Record<string, unknown> {
  return {
    reference,
    receiptNumber: receipt.receiptNumber,
    ...(receipt.receiptSeries !== undefined && { receiptSeries: receipt.receiptSeries }),
    ...(receipt.receiptUrl !== undefined && { receiptUrl: receipt.receiptUrl }),
    ...(receipt.payerName !== undefined && { payerName: receipt.payerName }),
    ...(receipt.platformTransactionId !== undefined && { platformTransactionId: receipt.platformTransactionId }),
    totalAmount: receipt.amount,
    currency: receipt.currency,
    items: receipt.items.map((item) => ({ code: item.code, name: item.name, amount: item.amount })),
    paidAt: receipt.paidAt,
    ...(receipt.dossierCode !== undefined && { dossierCode: receipt.dossierCode }),
    ...(receipt.procedureCode !== undefined && { procedureCode: receipt.procedureCode }),
  };
}
