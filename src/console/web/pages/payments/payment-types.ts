/**
 * What /admin/v1/payments answers (src/admin/payments-router.ts,
 * src/payments/payment-admin-queries.ts, reconciliation-report.ts), as JSON:
 * dates are ISO strings. The payer appears only masked: the API never gives
 * an operator the name.
 */
export type PaymentState = 'created' | 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';
export const paymentStates: readonly PaymentState[] = ['created', 'pending', 'paid', 'failed', 'expired', 'cancelled'];

export type TransitionSource = 'create' | 'init' | 'ipn' | 'query' | 'expiry' | 'manual';

export interface PaymentListItem {
  reference: string;
  consumerId: string;
  dossierCode: string;
  procedureCode: string;
  agencyCode?: string;
  payerMasked: string;
  totalAmount: number;
  currency: string;
  state: PaymentState;
  platformTransactionId?: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  finalAt?: string;
}

export interface PaymentPage {
  items: PaymentListItem[];
  nextCursor: string | null;
}

export interface PaymentTransition {
  from: PaymentState | null;
  to: PaymentState;
  at: string;
  source: TransitionSource;
  actor: string;
  ipnId?: number;
  note?: string;
}

export interface StoredIpn {
  id: number;
  receivedAt: string;
  sourceIp: string | null;
  verdict: string;
  answerCode: string;
  note: string | null;
  linked: boolean;
  resultCode: string | null;
  amount: number | null;
  currency: string | null;
  platformTransactionId: string | null;
  secretIndex: number | null;
  bodyBytes: number;
  truncated: boolean;
}

export interface PaymentDetail {
  reference: string;
  consumerId: string;
  dossierCode: string;
  procedureCode: string;
  agencyCode?: string;
  payer: { masked: string };
  items: Array<{ code: string; name: string; kind: 'fee' | 'charge'; amount: number }>;
  totalAmount: number;
  currency: string;
  state: PaymentState;
  platformTransactionId?: string;
  bankCode?: string;
  platformPaidAt?: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  finalAt?: string;
  history: PaymentTransition[];
  ipns: StoredIpn[];
  anomalies: Array<{ at: string; detail: Record<string, unknown> }>;
}

export type MismatchKind = 'ipn_amount_refused' | 'ipn_currency_refused' | 'ipn_recorded_after_final' | 'ipn_late_failure_after_paid' | 'query_anomaly' | 'open_past_expiry';

export interface DailyReport {
  date: string;
  from: string;
  to: string;
  /** Amounts are integer VND as decimal strings (a report about money does not round). */
  byState: Array<{ state: PaymentState; count: number; amount: string }>;
  total: { count: number; amount: string };
  mismatches: Array<{ kind: MismatchKind; reference: string; at: string; detail: string; payerMasked?: string }>;
}

export interface ReconciliationRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  summary: {
    examined: number;
    paid: number;
    failed: number;
    expired: number;
    stillPending: number;
    unknown: number;
    alreadySettled: number;
    anomalies: number;
    errors: number;
  };
}
