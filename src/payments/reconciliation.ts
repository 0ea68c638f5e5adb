import { randomUUID } from 'node:crypto';
import { appendInTransaction } from '../audit/chain/append-in-transaction.js';
import { storableText } from '../audit/chain/chain-streams.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { PaymentAnomaly } from './payment-states.js';
import type { PaymentStore } from './payment-store.js';
import type { OutcomeResult, PaymentOutcome } from './payment-types.js';
import type { PlatformPaymentStatus } from '../connector-kit/descriptor.js';

/**
 * Reconciliation (issue 15, item 6): asks the platform (QUERY) about the
 * payments still open whose IPN never came, and applies what it says through
 * the payment store, under the payment's row lock, exactly like an IPN would:
 * an IPN racing the job for the same payment is decided one after the other,
 * and the unique indexes of payment_transitions back that up.
 *
 * Several replicas may run it at once. Each run claims its batch in one short
 * transaction with FOR UPDATE SKIP LOCKED and stamps last_queried_at at claim
 * time; a payment stamped less than `requeryAfterMs` ago is not claimed
 * again, so concurrent runs split the work instead of querying twice. No
 * lock is held while the platform is asked.
 *
 * The platform's reply is believed only when its amount and currency match
 * ours: a difference is an anomaly (recorded in the audit trail, reported,
 * never applied) for a human to settle.
 */

/** What the platform says about one reference (QUERY): the kit's shape, as every payment platform connector answers it. */
export type { PlatformPaymentStatus };

export interface ReconciliationDeps {
  store: Store;
  payments: PaymentStore;
  /** QUERY one reference; undefined when the platform does not know it. A throw is an upstream failure (counted, the payment left as it was). */
  queryPlatform(reference: string, signal?: AbortSignal): Promise<PlatformPaymentStatus | undefined>;
  /** Told after the fact about anything a human must look at (the alerting channel, later). Its failure changes nothing. */
  onAnomaly?(kind: PaymentAnomaly, reference: string): void | Promise<void>;
  logger?: Logger;
  /** The clock that picks the age window and decides expiry (tests move it). */
  now?: () => Date;
}

export interface ReconciliationOptions {
  /** Younger payments are left to their IPN (default 30 minutes). */
  minAgeMs?: number;
  /** Older open payments are left to a human (default 3 days). */
  maxAgeMs?: number;
  /** Most payments claimed by one run (default 100). */
  batchSize?: number;
  /** QUERY calls in flight at once (default 4). */
  concurrency?: number;
  /** A payment queried less than this long ago is not claimed again, by this replica or another (default 5 minutes). */
  requeryAfterMs?: number;
  signal?: AbortSignal;
}

export interface ReconciliationSummary {
  /** Payments claimed and queried (or attempted) by this run. */
  examined: number;
  /** Moved to paid / failed by this run. */
  paid: number;
  failed: number;
  /** Closed as expired by this run (past expires_at, the platform says pending or does not know it). */
  expired: number;
  stillPending: number;
  /** Not known to the platform, not yet past expiry. */
  unknown: number;
  /** Already in the state the platform reports (an IPN got there first): nothing applied. */
  alreadySettled: number;
  anomalies: number;
  /** QUERY (or applying its answer) failed: the payment's state was left as it was. */
  errors: number;
}

export const reconciliationDefaults: Readonly<Settings> = {
  minAgeMs: 30 * 60_000,
  maxAgeMs: 3 * 24 * 3_600_000,
  batchSize: 100,
  concurrency: 4,
  requeryAfterMs: 5 * 60_000,
};

type Settings = Required<Omit<ReconciliationOptions, 'signal'>>;

/** The actor every reconciliation transition and anomaly record names. */
export const reconciliationActor = 'reconciliation';

interface ClaimedPayment {
  reference: string;
  totalAmount: number;
  currency: string;
  expiresAt: Date;
}

export async function reconcilePending(deps: ReconciliationDeps, options: ReconciliationOptions = {}): Promise<ReconciliationSummary> {
  const { signal, ...sizes } = options;
  const settings: Settings = { ...reconciliationDefaults, ...definedOnly(sizes) };
  for (const name of ['minAgeMs', 'maxAgeMs', 'requeryAfterMs'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 0) throw new Error(`${name} must be a non-negative integer`);
  }
  for (const name of ['batchSize', 'concurrency'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) throw new Error(`${name} must be a positive integer`);
  }
  if (settings.maxAgeMs <= settings.minAgeMs) throw new Error('maxAgeMs must be greater than minAgeMs');

  const now = (deps.now ?? (() => new Date()))();
  const summary: ReconciliationSummary = { examined: 0, paid: 0, failed: 0, expired: 0, stillPending: 0, unknown: 0, alreadySettled: 0, anomalies: 0, errors: 0 };
  if (signal?.aborted) return summary;
  const claimed = await claimBatch(deps.store, now, settings);

  // An aborted run stops taking payments; the ones claimed but not asked wait requeryAfterMs like any other.
  let next = 0;
  const worker = async () => {
    while (next < claimed.length && !signal?.aborted) {
      const payment = claimed[next++]!;
      summary.examined += 1;
      await reconcileOne(deps, payment, now, summary, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, claimed.length) }, worker));
  deps.logger?.info({ ...summary }, 'payment reconciliation run finished');
  return summary;
}

/**
 * Open payments between the two ages, oldest first (index payments_state_created),
 * not queried within requeryAfterMs; rows another run holds are skipped, and
 * the claim is the last_queried_at stamp committed before any QUERY is sent.
 */
async function claimBatch(store: Store, now: Date, settings: Settings): Promise<ClaimedPayment[]> {
  const oldest = new Date(now.getTime() - settings.maxAgeMs);
  const youngest = new Date(now.getTime() - settings.minAgeMs);
  const requeryBefore = new Date(now.getTime() - settings.requeryAfterMs);
  return store.transaction(async (tx) => {
    const { rows } = await tx.query<{ reference: string; total_amount: number | bigint; currency: string; expires_at: Date }>(
      `SELECT reference, total_amount, currency, expires_at FROM payments
        WHERE state IN ('created', 'pending') AND created_at >= $1 AND created_at <= $2
          AND (last_queried_at IS NULL OR last_queried_at <= $3)
        ORDER BY created_at, reference
        LIMIT $4
        FOR UPDATE SKIP LOCKED`,
      [oldest, youngest, requeryBefore, settings.batchSize],
    );
    if (rows.length === 0) return [];
    await tx.query('UPDATE payments SET last_queried_at = $2, query_count = query_count + 1 WHERE reference = ANY($1::text[])', [
      rows.map((row) => row.reference),
      now,
    ]);
    return rows.map((row) => ({ reference: row.reference, totalAmount: Number(row.total_amount), currency: row.currency, expiresAt: row.expires_at }));
  });
}

async function reconcileOne(deps: ReconciliationDeps, payment: ClaimedPayment, now: Date, summary: ReconciliationSummary, signal: AbortSignal | undefined): Promise<void> {
  const { reference } = payment;
  let status: PlatformPaymentStatus | undefined;
  try {
    status = await deps.queryPlatform(reference, signal);
  } catch (error) {
    summary.errors += 1;
    // The error's kind only: an upstream message may echo what we sent.
    deps.logger?.warn({ reference, err: (error as Error)?.name }, 'payment reconciliation: QUERY failed, payment left as it was');
    return;
  }
  const pastExpiry = payment.expiresAt.getTime() <= now.getTime();
  try {
    if (status) {
      const mismatch = moneyMismatch(payment, status);
      if (mismatch) {
        await recordAnomaly(deps.store, now, reference, mismatch.anomaly, { source: 'query', reportedState: status.state, ...mismatch.detail });
        summary.anomalies += 1;
        await report(deps, mismatch.anomaly, reference);
        return;
      }
    }
    if (status?.state === 'paid' || status?.state === 'failed') {
      const outcome: PaymentOutcome = {
        state: status.state,
        ...(status.platformTransactionId !== undefined && { platformTransactionId: status.platformTransactionId }),
        ...(status.paidAt !== undefined && validDate(status.paidAt) && { platformPaidAt: new Date(status.paidAt) }),
        note: `QUERY: ${status.state}`,
      };
      await settle(deps, now, summary, reference, await deps.payments.applyOutcome(reference, outcome, 'query', { actor: reconciliationActor }));
      return;
    }
    if (!pastExpiry) {
      if (status) summary.stillPending += 1;
      else summary.unknown += 1;
      return;
    }
    const note = status ? 'past expiry, QUERY: pending' : 'past expiry, unknown to the platform';
    await settle(deps, now, summary, reference, await deps.payments.applyOutcome(reference, { state: 'expired', note }, 'expiry', { actor: reconciliationActor }));
  } catch (error) {
    summary.errors += 1;
    deps.logger?.error({ reference, err: (error as Error)?.name }, 'payment reconciliation: applying the QUERY answer failed');
  }
}

/** Counts what the store decided; a contradiction of a final state (paid after the payment was closed, ...) is recorded and reported. */
async function settle(deps: ReconciliationDeps, now: Date, summary: ReconciliationSummary, reference: string, result: OutcomeResult): Promise<void> {
  const { decision } = result;
  switch (decision.kind) {
    case 'apply':
      if (decision.to === 'paid') summary.paid += 1;
      else if (decision.to === 'failed') summary.failed += 1;
      else if (decision.to === 'expired') summary.expired += 1;
      return;
    case 'replay':
    case 'stale':
      // An IPN (or another replica) settled it between the claim and the answer.
      summary.alreadySettled += 1;
      return;
    case 'record_only':
      if (!decision.anomaly) {
        summary.alreadySettled += 1;
        return;
      }
      await recordAnomaly(deps.store, now, reference, decision.anomaly, { source: 'query', state: result.payment.state });
      summary.anomalies += 1;
      await report(deps, decision.anomaly, reference);
  }
}

function moneyMismatch(payment: ClaimedPayment, status: PlatformPaymentStatus): { anomaly: 'amount_mismatch' | 'currency_mismatch'; detail: Record<string, unknown> } | undefined {
  // "Paid" without saying how much is no proof of our amount: like an IPN without SoTien/MaTienTe, it is not applied.
  if (status.state === 'paid' && (status.amount === undefined || status.currency === undefined)) {
    return { anomaly: 'amount_mismatch', detail: { expectedAmount: payment.totalAmount, reportedAmount: status.amount ?? null, reportedCurrency: status.currency === undefined ? null : storableText(status.currency.slice(0, 16)) } };
  }
  if (status.amount !== undefined && status.amount !== payment.totalAmount) {
    return { anomaly: 'amount_mismatch', detail: { expectedAmount: payment.totalAmount, reportedAmount: status.amount } };
  }
  if (status.currency !== undefined && status.currency !== payment.currency) {
    return { anomaly: 'currency_mismatch', detail: { expectedCurrency: payment.currency, reportedCurrency: storableText(status.currency.slice(0, 16)) } };
  }
  return undefined;
}

/** The audit trail's resource type of an anomaly record (one per anomaly; resourceId is the payment's reference). */
export const paymentAnomalyResourceType = 'payment_anomaly';

/**
 * An anomaly is evidence: it goes to the admin audit trail (hash-chained,
 * the payment's reference as resource id) so the daily report lists it and
 * nobody can quietly drop it. No table of 0012 holds QUERY answers, and
 * 0012 is released: a payment_anomalies table would be the cleaner home.
 */
async function recordAnomaly(store: Store, at: Date, reference: string, anomaly: PaymentAnomaly, detail: Record<string, unknown>): Promise<void> {
  await store.transaction((tx) =>
    appendInTransaction(tx, 'admin', {
      // The run's clock: the record says when the run saw the anomaly.
      occurredAt: at,
      requestId: randomUUID(),
      actor: reconciliationActor,
      actorClient: reconciliationActor,
      action: 'create',
      resourceType: paymentAnomalyResourceType,
      resourceId: reference,
      before: null,
      after: { anomaly, ...detail },
    }),
  );
}

async function report(deps: ReconciliationDeps, anomaly: PaymentAnomaly, reference: string): Promise<void> {
  deps.logger?.warn({ anomaly, reference }, 'payment reconciliation: anomaly');
  try {
    await deps.onAnomaly?.(anomaly, reference);
  } catch (error) {
    deps.logger?.error({ anomaly, reference, err: (error as Error)?.name }, 'payment anomaly hook failed');
  }
}

function validDate(text: string): boolean {
  return !Number.isNaN(new Date(text).getTime());
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
