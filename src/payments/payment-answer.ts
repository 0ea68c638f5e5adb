import type { Payment } from '../../contracts/types.generated.js';
import type { PaymentView } from './payment-types.js';

/** How a create request's fee amounts compared with the procedure catalog (contracts/paygov/v1/payment.json `feeCheck`). */
export type FeeCheckResult = NonNullable<Payment['feeCheck']>;

/** contracts/paygov/v1/payment.json: one payment as a consumer sees it (the type generated from the contract). */
export type PaymentAnswer = Payment;

/**
 * The stored payment as the payments API answers it. The payer leaves only
 * masked: the keyed hash (an audit-trail search key) and the consumer id
 * stay inside, and so do the actors of the history (they name consumers and
 * operators). Create answers add `feeCheck` and `duplicate`.
 */
export function paymentAnswer(payment: PaymentView, create?: { duplicate: boolean; feeCheck?: FeeCheckResult }): PaymentAnswer {
  return {
    reference: payment.reference,
    dossierCode: payment.dossierCode,
    procedureCode: payment.procedureCode,
    ...(payment.agencyCode !== undefined && { agencyCode: payment.agencyCode }),
    payer: { masked: payment.payer.masked },
    items: payment.items.map((item) => ({ code: item.code, name: item.name, amount: item.amount, kind: item.kind })),
    totalAmount: payment.totalAmount,
    // The store creates VND payments only (the column's default; nothing sets another).
    currency: payment.currency as Payment['currency'],
    state: payment.state,
    ...(payment.paymentUrl !== undefined && { paymentUrl: payment.paymentUrl }),
    ...(payment.platformTransactionId !== undefined && { platformTransactionId: payment.platformTransactionId }),
    ...(payment.bankCode !== undefined && { bankCode: payment.bankCode }),
    ...(payment.platformPaidAt !== undefined && { paidAt: payment.platformPaidAt.toISOString() }),
    createdAt: payment.createdAt.toISOString(),
    expiresAt: payment.expiresAt.toISOString(),
    ...(payment.finalAt !== undefined && { finalAt: payment.finalAt.toISOString() }),
    ...(create?.feeCheck !== undefined && { feeCheck: create.feeCheck }),
    ...(create !== undefined && { duplicate: create.duplicate }),
    history: payment.history.map((line) => ({
      ...(line.from !== null && { from: line.from }),
      to: line.to,
      at: line.at.toISOString(),
      source: line.source,
      ...(line.note !== undefined && { note: line.note }),
    })),
  };
}
