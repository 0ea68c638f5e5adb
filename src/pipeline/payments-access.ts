import type { ProcedureFeeTable } from '../payments/fee-table.js';
import type { PaymentStore } from '../payments/payment-store.js';
import type { GuardedPlatform } from '../payments/platform-calls.js';

/**
 * What the payment stages need (src/payments/payments-wiring.ts builds it):
 * the payments kept by the gateway, the payment platform behind its guards,
 * and the procedure catalog's fee tables for the fee check.
 */
export interface PaymentsAccess {
  store: Pick<PaymentStore, 'create' | 'get' | 'applyOutcome' | 'findByIdempotencyKey'>;
  /** The platform the payment operations belong to (their connector's descriptor.payments). */
  platform: GuardedPlatform;
  /** config payments.feeCheck. */
  feeCheck: 'when-listed' | 'off';
  /** Absent when no connector serves the catalog: every check is then `catalog_unavailable`. */
  feeTable?: ProcedureFeeTable;
}
