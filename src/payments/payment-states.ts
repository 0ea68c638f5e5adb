/**
 * The payment state machine, pure: which states exist, which moves are legal,
 * and what an incoming outcome (an IPN, a QUERY answer, the INIT answer, the
 * expiry job, an operator) does to a payment in a given state. The store
 * applies these decisions under a row lock; nothing here touches a database.
 *
 * Money rules (issue 15): paid is final and never undone; a "failed" (or
 * cancelled, expired) arriving after "paid" is recorded and alerted, never
 * applied; a "paid" arriving for a payment already closed as failed, expired
 * or cancelled is recorded and alerted too: the payer's money may have been
 * taken, so a human decides (refund or accept), the machine does not.
 */

export const paymentStates = ['created', 'pending', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type PaymentState = (typeof paymentStates)[number];

export const finalStates = ['paid', 'failed', 'expired', 'cancelled'] as const satisfies readonly PaymentState[];
export type FinalState = (typeof finalStates)[number];

/** Where a transition came from (payment_transitions.source). */
export const transitionSources = ['create', 'init', 'ipn', 'query', 'expiry', 'manual'] as const;
export type TransitionSource = (typeof transitionSources)[number];

/** What an outcome claims the payment now is; 'created' is only ever the start. */
export type OutcomeState = Exclude<PaymentState, 'created'>;

export function isFinal(state: PaymentState): state is FinalState {
  return (finalStates as readonly PaymentState[]).includes(state);
}

/**
 * The only legal moves. `created` may jump straight to a final state: the
 * platform may deliver the IPN before we have its INIT answer (hostile mode
 * "IPN before the INIT answer"), and an INIT refused outright fails the payment.
 */
export const legalTransitions: Readonly<Record<PaymentState, readonly PaymentState[]>> = {
  created: ['pending', 'paid', 'failed', 'expired', 'cancelled'],
  pending: ['paid', 'failed', 'expired', 'cancelled'],
  paid: [],
  failed: [],
  expired: [],
  cancelled: [],
};

export function isLegalTransition(from: PaymentState, to: PaymentState): boolean {
  return legalTransitions[from].includes(to);
}

/** Anomalies worth a human's attention: each is reported to the alerting hook. */
export type PaymentAnomaly =
  /** failed / cancelled / expired after paid: recorded, never applied. */
  | 'late_failure_after_paid'
  /** paid after the payment was closed as failed, expired or cancelled: money may have been taken for a closed payment. */
  | 'paid_after_closed'
  /** paid again under another platform transaction id: the payer may have paid twice. */
  | 'second_payment'
  /** an authentic IPN (checksum valid) whose amount differs from what we created. */
  | 'amount_mismatch'
  /** an authentic IPN whose currency differs from what we created. */
  | 'currency_mismatch';

export type OutcomeDecision =
  /** Move the payment to `to` (one transition, audited). */
  | { kind: 'apply'; to: OutcomeState }
  /** The payment is already in that state (a duplicate IPN, a repeated QUERY answer): acknowledged, nothing applied. */
  | { kind: 'replay' }
  /** A non-final news the payment has moved past (the INIT answer after the IPN already paid it): nothing to do, nothing wrong. */
  | { kind: 'stale' }
  /** Contradicts a final state: stored as evidence, never applied; `anomaly` when a human must look. */
  | { kind: 'record_only'; anomaly?: PaymentAnomaly };

export interface CurrentPayment {
  state: PaymentState;
  /** The platform's transaction id we hold, if any. */
  platformTransactionId?: string | null;
}

export interface IncomingOutcome {
  state: OutcomeState;
  platformTransactionId?: string | null;
}

/** What an incoming outcome does to the payment as it stands now (under its row lock). */
export function decideOutcome(current: CurrentPayment, outcome: IncomingOutcome): OutcomeDecision {
  const { state } = current;
  if (!isFinal(state)) {
    if (outcome.state === state) return { kind: 'replay' };
    return isLegalTransition(state, outcome.state) ? { kind: 'apply', to: outcome.state } : { kind: 'stale' };
  }
  // From here the payment is final: nothing is ever applied.
  if (outcome.state === 'pending') return { kind: 'stale' };
  if (state === 'paid') {
    if (outcome.state !== 'paid') return { kind: 'record_only', anomaly: 'late_failure_after_paid' };
    return sameTransaction(current.platformTransactionId, outcome.platformTransactionId) ? { kind: 'replay' } : { kind: 'record_only', anomaly: 'second_payment' };
  }
  if (outcome.state === 'paid') return { kind: 'record_only', anomaly: 'paid_after_closed' };
  // Closed without money, and another "not paid" news: the same state is a replay, a different one is kept as evidence.
  return outcome.state === state ? { kind: 'replay' } : { kind: 'record_only' };
}

/**
 * Two "paid" are the same payment unless both name a platform transaction
 * and the names differ: a duplicate IPN repeats MaGiaoDich, and a QUERY
 * answer may leave it out.
 */
function sameTransaction(held: string | null | undefined, incoming: string | null | undefined): boolean {
  return !held || !incoming || held === incoming;
}
