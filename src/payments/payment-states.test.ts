import { decideOutcome, finalStates, isFinal, isLegalTransition, paymentStates, type OutcomeDecision, type OutcomeState, type PaymentState } from './payment-states.js';

const outcomes: OutcomeState[] = ['pending', 'paid', 'failed', 'expired', 'cancelled'];

/**
 * The whole table, written out by hand: every current state against every
 * incoming outcome (same platform transaction id, or none).
 */
const table: Record<PaymentState, Record<OutcomeState, OutcomeDecision>> = {
  created: {
    pending: { kind: 'apply', to: 'pending' },
    paid: { kind: 'apply', to: 'paid' }, // IPN before the INIT answer
    failed: { kind: 'apply', to: 'failed' },
    expired: { kind: 'apply', to: 'expired' },
    cancelled: { kind: 'apply', to: 'cancelled' },
  },
  pending: {
    pending: { kind: 'replay' },
    paid: { kind: 'apply', to: 'paid' },
    failed: { kind: 'apply', to: 'failed' },
    expired: { kind: 'apply', to: 'expired' },
    cancelled: { kind: 'apply', to: 'cancelled' },
  },
  paid: {
    pending: { kind: 'stale' }, // the INIT answer after the IPN
    paid: { kind: 'replay' },
    failed: { kind: 'record_only', anomaly: 'late_failure_after_paid' },
    expired: { kind: 'record_only', anomaly: 'late_failure_after_paid' },
    cancelled: { kind: 'record_only', anomaly: 'late_failure_after_paid' },
  },
  failed: {
    pending: { kind: 'stale' },
    paid: { kind: 'record_only', anomaly: 'paid_after_closed' },
    failed: { kind: 'replay' },
    expired: { kind: 'record_only' },
    cancelled: { kind: 'record_only' },
  },
  expired: {
    pending: { kind: 'stale' },
    paid: { kind: 'record_only', anomaly: 'paid_after_closed' },
    failed: { kind: 'record_only' },
    expired: { kind: 'replay' },
    cancelled: { kind: 'record_only' },
  },
  cancelled: {
    pending: { kind: 'stale' },
    paid: { kind: 'record_only', anomaly: 'paid_after_closed' },
    failed: { kind: 'record_only' },
    expired: { kind: 'record_only' },
    cancelled: { kind: 'replay' },
  },
};

describe('payment state machine', () => {
  it('has exactly the six states, four of them final', () => {
    expect([...paymentStates]).toEqual(['created', 'pending', 'paid', 'failed', 'expired', 'cancelled']);
    expect(paymentStates.filter(isFinal)).toEqual([...finalStates]);
  });

  describe.each(paymentStates.flatMap((state) => outcomes.map((outcome) => [state, outcome] as const)))('%s + %s', (state, outcome) => {
    it('decides as the table says, with or without a transaction id', () => {
      expect(decideOutcome({ state }, { state: outcome })).toEqual(table[state][outcome]);
      expect(decideOutcome({ state, platformTransactionId: 'PG1' }, { state: outcome, platformTransactionId: 'PG1' })).toEqual(table[state][outcome]);
    });

    it('applies only legal transitions, and never out of a final state', () => {
      const decision = decideOutcome({ state }, { state: outcome });
      if (decision.kind === 'apply') expect(isLegalTransition(state, decision.to)).toBe(true);
      if (isFinal(state)) expect(decision.kind).not.toBe('apply');
    });
  });

  it('paid again under another platform transaction id is a second payment: recorded and alerted, not a replay', () => {
    expect(decideOutcome({ state: 'paid', platformTransactionId: 'PG1' }, { state: 'paid', platformTransactionId: 'PG2' })).toEqual({ kind: 'record_only', anomaly: 'second_payment' });
    // A QUERY answer without the id, or a payment that never got one, is the same payment.
    expect(decideOutcome({ state: 'paid', platformTransactionId: 'PG1' }, { state: 'paid' })).toEqual({ kind: 'replay' });
    expect(decideOutcome({ state: 'paid', platformTransactionId: null }, { state: 'paid', platformTransactionId: 'PG2' })).toEqual({ kind: 'replay' });
  });

  it('the legal transitions: created and pending lead anywhere forward, final states nowhere, nothing back to created', () => {
    for (const from of paymentStates) {
      for (const to of paymentStates) {
        const expected = (from === 'created' && to !== 'created') || (from === 'pending' && isFinal(to));
        expect([from, to, isLegalTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });
});
