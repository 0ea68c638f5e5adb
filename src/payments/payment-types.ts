import type { OutcomeDecision, OutcomeState, PaymentState, TransitionSource } from './payment-states.js';

/** One fee line, integer VND. */
export interface FeeItemInput {
  /** MaPhiLePhi, as the procedure catalog codes the fee. */
  code: string;
  name: string;
  amount: number;
  /** phí ('fee') or lệ phí ('charge'); a charge when absent. */
  kind?: 'fee' | 'charge';
}

export interface CreatePaymentInput {
  /** MaHoSo. */
  dossierCode: string;
  /** MaTTHC. */
  procedureCode: string;
  /** MaDonVi: the agency collecting the fee. */
  agencyCode?: string;
  /** HoTenNguoiNop. Personal data: stored only as a keyed hash and a masked form. */
  payerName: string;
  items: readonly FeeItemInput[];
}

export interface CreateContext {
  consumerId: string;
  /** The caller's Idempotency-Key: one payment per consumer and key. */
  idempotencyKey: string;
  requestId?: string;
}

export interface PaymentTransition {
  from: PaymentState | null;
  to: PaymentState;
  at: Date;
  source: TransitionSource;
  actor: string;
  ipnId?: number;
  note?: string;
}

export interface PaymentView {
  reference: string;
  consumerId: string;
  dossierCode: string;
  procedureCode: string;
  agencyCode?: string;
  /** The payer as the audit trail shows a data subject: keyed hash and masked form, never the name. */
  payer: { hash: string; masked: string };
  items: Array<{ code: string; name: string; kind: 'fee' | 'charge'; amount: number }>;
  totalAmount: number;
  currency: string;
  state: PaymentState;
  platformTransactionId?: string;
  bankCode?: string;
  paymentUrl?: string;
  platformPaidAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  finalAt?: Date;
  history: PaymentTransition[];
}

export interface CreateResult {
  /** False when the same consumer and Idempotency-Key already made this payment: the existing one is returned. */
  created: boolean;
  payment: PaymentView;
}

/** News about a payment: from the INIT answer, an IPN, a QUERY answer, the expiry job or an operator. */
export interface PaymentOutcome {
  state: OutcomeState;
  platformTransactionId?: string;
  /** The INIT answer's UrlThanhToan. */
  paymentUrl?: string;
  bankCode?: string;
  /** When the platform says the payment happened. */
  platformPaidAt?: Date;
  note?: string;
}

export interface OutcomeContext {
  /** Who: defaults by source ('paygov-ipn', 'reconciliation', the consumer); required for 'manual'. */
  actor?: string;
  actorClient?: string;
  requestId?: string;
  /** The stored IPN that carried this outcome (source 'ipn'). */
  ipnId?: number;
}

export interface OutcomeResult {
  decision: OutcomeDecision;
  /** The payment after the decision (unchanged unless applied). */
  payment: PaymentView;
}
