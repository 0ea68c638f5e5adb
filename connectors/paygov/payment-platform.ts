import { UpstreamError, type PaymentPlatform, type PlatformPaymentRequest, type PlatformPaymentStatus, type PlatformReceipt } from '../../src/connector-kit/index.js';
import { ipnChecksumOrder, verifyIpnChecksum, type ChecksumField, type IpnChecksumFields } from './checksum.js';
import type { PaygovClient } from './client.js';
import { initOutcome, PaygovPaymentError, queryOutcome, receiptFromBill, type PaygovPayment } from './mapping.js';

/**
 * What the core asks of the payment platform (the kit's PaymentPlatform):
 * INIT, QUERY and GET_BILL through the connector's client, and the IPN's
 * checksum check. The core owns the payments, their states and the callback
 * route; here are only the platform's messages, read into the kit's shapes.
 */
export const paygovPaymentPlatform: PaymentPlatform<PaygovClient> = {
  async init(client, request, context) {
    const reply = await client.init(paygovPaymentOf(request), context).catch((error: unknown) => {
      throw refusedPayment(error);
    });
    return initOutcome(reply);
  },

  async query(client, reference, context) {
    const reply = await client.query(reference, context);
    return reply === undefined ? undefined : platformStatusOf(queryOutcome(reply));
  },

  async receipt(client, reference, context) {
    const reply = await client.getBill(reference, context);
    if (reply === undefined) return undefined;
    if (!reply.BienLai || typeof reply.BienLai !== 'object') throw new UpstreamError('contract', 'GET_BILL answered "00" without its BienLai');
    const { url, ...receipt } = receiptFromBill(reply.BienLai);
    const platformReceipt: PlatformReceipt = { ...receipt, ...(url !== undefined && { receiptUrl: url }) };
    return platformReceipt;
  },

  verifyCallback(message, secrets) {
    // The formula hashes each field as text: a field that is an object or an array is no IPN the platform sends (and String() of it is no text to hash).
    if (!ipnChecksumOrder.every((name) => isChecksumField(message[name]))) return { valid: false };
    return verifyIpnChecksum(message as unknown as IpnChecksumFields & { MaXacThuc?: unknown }, secrets);
  },

  credentialFields: { secret: 'secretKey', partnerCode: 'partnerCode' },
};

/**
 * The core's payment as the INIT mapping takes it. The core validated the
 * request against contracts/paygov/v1/payment-create.json and computed the
 * total; a payment the platform cannot take anyway (a total that is not the
 * sum of its items, a reference out of the platform's limit) is refused here,
 * before anything is sent, as the request's fault.
 */
export function paygovPaymentOf(request: PlatformPaymentRequest): PaygovPayment {
  const payment: PaygovPayment = {
    reference: request.reference,
    dossierCode: request.dossierCode,
    procedureCode: request.procedureCode,
    agencyCode: request.agencyCode,
    payerName: request.payerName,
    feeItems: request.items.map((item) => ({ code: item.code, name: item.name, amount: item.amount, kind: item.kind })),
    ...(request.description !== undefined && { description: request.description }),
    createdAt: request.createdAt,
  };
  const itemsTotal = request.items.reduce((sum, item) => sum + item.amount, 0);
  if (request.currency !== 'VND' || itemsTotal !== request.totalAmount) {
    throw new UpstreamError('rejected', 'payment not sent: its total is not the sum of its items in VND');
  }
  return payment;
}

/** A PaygovPaymentError from the INIT mapping (a field the platform cannot take) leaves as the request's fault, like any refusal; the rest unchanged. */
function refusedPayment(error: unknown): unknown {
  return error instanceof PaygovPaymentError ? new UpstreamError('rejected', `payment not sent: ${error.message}`, { cause: error }) : error;
}

function platformStatusOf(outcome: ReturnType<typeof queryOutcome>): PlatformPaymentStatus {
  return {
    state: outcome.state,
    ...(outcome.platformTransactionId !== undefined && { platformTransactionId: outcome.platformTransactionId }),
    ...(outcome.amount !== undefined && { amount: outcome.amount }),
    ...(outcome.currency !== undefined && { currency: outcome.currency }),
    // ThoiGianGD is when the outcome happened: a payment time only when the outcome is a payment.
    ...(outcome.state === 'paid' && outcome.at !== undefined && { paidAt: outcome.at }),
  };
}

function isChecksumField(value: unknown): value is ChecksumField {
  return value === undefined || value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
