import type { Queryable } from '../store/store.js';
import type { FinalState, TransitionSource } from './payment-states.js';
import type { PaymentView } from './payment-types.js';

/**
 * What must happen in the same transaction as a payment's move into a final
 * state (paid, failed, expired, cancelled), whichever path applied it: the
 * notices to the one-stop system and the portal go into the outbox there, so
 * they commit with the transition or not at all. A process killed right
 * after the commit still delivers them (the outbox does, once the
 * dispatcher runs again); a rollback leaves none.
 *
 * One registry per gateway (payments-wiring.ts), passed to everything that
 * applies an outcome: the payment store and the IPN processor, which calls
 * applyToLockedPayment itself inside its own transaction (the IPN's evidence
 * row and the transition commit together). It is a required argument, never
 * a process-wide default: a path that forgot it would settle payments
 * without telling anyone.
 *
 * A hook that throws rolls the transition back (an IPN then stays
 * unanswered and the platform delivers it again): hooks write in the
 * transaction and call nothing outside it.
 */
export interface FinalTransition {
  payment: PaymentView;
  /** The state before (created or pending). */
  from: 'created' | 'pending';
  to: FinalState;
  source: Exclude<TransitionSource, 'create'>;
}

export type FinalStateHook = (tx: Queryable, transition: FinalTransition) => Promise<void>;

export interface FinalStateHooks {
  /** Adds a hook; the function returned removes it again. */
  add(hook: FinalStateHook): () => void;
  /** Runs every hook, in the order added, in the caller's transaction. */
  run(tx: Queryable, transition: FinalTransition): Promise<void>;
}

export function createFinalStateHooks(): FinalStateHooks {
  const hooks: FinalStateHook[] = [];
  return {
    add(hook) {
      hooks.push(hook);
      return () => {
        const index = hooks.indexOf(hook);
        if (index >= 0) hooks.splice(index, 1);
      };
    },
    async run(tx, transition) {
      // A copy: a hook removed while another runs does not shift the loop.
      for (const hook of [...hooks]) await hook(tx, transition);
    },
  };
}

