import type { Dispatcher } from 'undici';
import type { DossierProgress } from '../../contracts/types.generated.js';
import type { PaymentsConfig } from '../config/gateway-config.js';
import { ConfigError } from '../config/load-config.js';
import { CredentialReferenceError, resolveSecretReference } from '../connector-runtime/config-credentials.js';
import type { TargetRegistration } from '../outbox/dispatcher.js';
import { enqueue } from '../outbox/enqueue.js';
import { PermanentDeliveryError } from '../outbox/errors.js';
import { defaultTimeoutMs, originOf, postSignedJson } from '../outbox/http-delivery.js';
import type { OutboxMessage } from '../outbox/types.js';
import type { Queryable } from '../store/store.js';
import { type FinalStateHook, type FinalStateHooks, type FinalTransition } from './final-state-hooks.js';
import type { FinalState } from './payment-states.js';
import type { PaymentView } from './payment-types.js';

/**
 * Notices of a payment's final state (issue 15, item 5), written to the
 * outbox in the transaction of the transition itself (final-state-hooks.ts):
 *
 * - `payments.notice`, keyed by our reference: a signed webhook to the
 *   one-stop system (payments.notifications.url). The outbox message id is
 *   the event id: stable across attempts, so the receiver drops a replay of
 *   an at-least-once delivery by it.
 * - the portal's dossier sync target, keyed by the dossier code: a
 *   processing step (CapNhatTienDoHoSoMC) saying what became of the payment,
 *   only for a dossier the gateway syncs (its key has messages there), and
 *   after every earlier version and step of that dossier (the outbox keeps
 *   one key in order).
 *
 * Neither carries the payer: the one-stop system knows its payer, and the
 * portal's step is about the dossier.
 */
export const paymentNoticeTarget = 'payments.notice';

/**
 * connectors/public-service-portal/dossier-delivery.ts's dossierSyncTarget:
 * src/ does not import a connector, so the name is repeated here and
 * payment-notice.test.ts checks the two agree.
 */
export const portalDossierTarget = 'public-service-portal.dossier';

/** The one event a notice carries today; a receiver should ignore events it does not know. */
export const paymentFinalEvent = 'payment.final';

/** What is stored in the outbox: the notice without its event id (the message id, known once stored). */
export interface PaymentNoticePayload {
  event: typeof paymentFinalEvent;
  reference: string;
  dossierCode: string;
  procedureCode: string;
  state: FinalState;
  /** Integer VND. */
  totalAmount: number;
  currency: string;
  platformTransactionId?: string;
  /** When the platform says the payment happened (paid only, when it said). ISO 8601. */
  paidAt?: string;
  /** When the gateway recorded the final state. ISO 8601. */
  finalAt: string;
}

/** The JSON body the one-stop system receives. */
export interface PaymentNoticeBody extends PaymentNoticePayload {
  /** The outbox message id: the same on every attempt (also in Idempotency-Key and X-LGSP-Event-Id). */
  eventId: string;
}

export const paymentNoticeHeaders = {
  eventId: 'x-lgsp-event-id',
  idempotencyKey: 'idempotency-key',
} as const;

/** The portal message, as connectors/public-service-portal/dossier-delivery.ts's DossierSyncMessage 'progress' kind. */
export interface PortalProgressMessage {
  kind: 'progress';
  dossierCode: string;
  step: DossierProgress;
}

export interface PaymentNoticeSettings {
  /** Enqueue the webhook notice (payments.notifications.url is set). */
  webhook: boolean;
  /** Enqueue the portal step for synced dossiers (payments.notifications.portalProgress). */
  portalProgress: boolean;
}

/** The hook that writes both notices; run by applyToLockedPayment in the transition's transaction. */
export function createPaymentNoticeHook(settings: PaymentNoticeSettings): FinalStateHook {
  return async (tx, transition) => {
    await enqueuePaymentNotices(tx, transition, settings);
  };
}

/**
 * Installs the notices on the gateway's registry as the configuration says;
 * returns the function that removes them.
 */
export function installPaymentNotices(notifications: Pick<PaymentsConfig['notifications'], 'url' | 'portalProgress'>, hooks: FinalStateHooks): () => void {
  return hooks.add(createPaymentNoticeHook({ webhook: notifications.url !== undefined, portalProgress: notifications.portalProgress }));
}

export async function enqueuePaymentNotices(tx: Queryable, transition: FinalTransition, settings: PaymentNoticeSettings): Promise<void> {
  const { payment } = transition;
  // One final state per payment ever (payment_transitions_one_final): the key makes a second hook or a second call the same message.
  const idempotencyKey = `payment-final:${payment.reference}`;
  if (settings.webhook) {
    await enqueue(tx, { target: paymentNoticeTarget, key: payment.reference, payload: noticePayload(payment, transition.to), idempotencyKey });
  }
  if (settings.portalProgress) {
    const status = await syncedDossierStatus(tx, payment.dossierCode);
    if (status !== undefined) {
      const message: PortalProgressMessage = { kind: 'progress', dossierCode: payment.dossierCode, step: paymentProgressStep(payment, transition.to, status) };
      await enqueue(tx, { target: portalDossierTarget, key: payment.dossierCode, payload: message, idempotencyKey });
    }
  }
}

export function noticePayload(payment: PaymentView, state: FinalState): PaymentNoticePayload {
  return {
    event: paymentFinalEvent,
    reference: payment.reference,
    dossierCode: payment.dossierCode,
    procedureCode: payment.procedureCode,
    state,
    totalAmount: payment.totalAmount,
    currency: payment.currency,
    ...(payment.platformTransactionId !== undefined && { platformTransactionId: payment.platformTransactionId }),
    ...(state === 'paid' && payment.platformPaidAt !== undefined && { paidAt: payment.platformPaidAt.toISOString() }),
    finalAt: (payment.finalAt ?? payment.updatedAt).toISOString(),
  };
}

type DossierStatus = DossierProgress['status'];
const dossierStatuses: ReadonlySet<string> = new Set<DossierStatus>([
  'new', 'received', 'refused', 'processing', 'supplement_requested', 'awaiting_payment', 'withdrawn', 'stopped', 'processed', 'result_returned',
]);

/**
 * The dossier's status as the portal last heard it from us, when the gateway
 * syncs this dossier: its key on the portal target holds a dossier version
 * that was not cancelled. The status is that of the latest message not
 * cancelled, a version (dossier.status) or a step (step.status), both
 * checked against the portal's contract when they were accepted. Undefined:
 * not a synced dossier, so no step is sent.
 */
export async function syncedDossierStatus(db: Queryable, dossierCode: string): Promise<DossierStatus | undefined> {
  const { rows } = await db.query<{ status: string | null; synced: boolean }>(
    `SELECT (SELECT coalesce(payload->'dossier'->>'status', payload->'step'->>'status') FROM outbox_messages
              WHERE target = $1 AND ordering_key = $2 AND state <> 'cancelled' ORDER BY sequence DESC LIMIT 1) AS status,
            EXISTS (SELECT 1 FROM outbox_messages
              WHERE target = $1 AND ordering_key = $2 AND state <> 'cancelled' AND payload->>'kind' = 'dossier') AS synced`,
    [portalDossierTarget, dossierCode],
  );
  const row = rows[0];
  if (!row?.synced || row.status === null || !dossierStatuses.has(row.status)) return undefined;
  return row.status as DossierStatus;
}

/** Who the step names: the platform, not a person (the contract's officer field is usually an officer's name). */
export const paymentStepOfficer = 'Nền tảng thanh toán trực tuyến (Paygov)';
export const paymentStepDepartment = 'Nền tảng thanh toán trực tuyến';

/**
 * The processing step describing the payment, in Vietnamese.
 *
 * [assumption] The status after the step: a paid fee moves a dossier that
 * waited for its financial obligation (awaiting_payment, code 6) on to
 * processing (4), as one-stop systems do once the fee is in; any other
 * status, and any unpaid outcome, leaves the dossier's status as it was
 * (the officer decides what happens next). Neither the portal's documents
 * nor a public client show what a payment step should say; the one-stop
 * system may send its own step after ours.
 */
export function paymentProgressStep(payment: Pick<PaymentView, 'reference' | 'totalAmount' | 'currency' | 'finalAt' | 'updatedAt'>, state: FinalState, dossierStatus: DossierStatus): DossierProgress {
  const amount = `${groupThousands(payment.totalAmount)} ${payment.currency === 'VND' ? 'đồng' : payment.currency}`;
  const reference = `mã tham chiếu ${payment.reference}`;
  const content = {
    paid: `Đã thanh toán trực tuyến phí, lệ phí ${amount} (${reference}).`,
    failed: `Thanh toán trực tuyến phí, lệ phí ${amount} không thành công (${reference}).`,
    expired: `Hết thời hạn thanh toán trực tuyến phí, lệ phí ${amount}, chưa thanh toán (${reference}).`,
    cancelled: `Đã hủy thanh toán trực tuyến phí, lệ phí ${amount} (${reference}).`,
  }[state];
  return {
    officer: paymentStepOfficer,
    department: paymentStepDepartment,
    at: (payment.finalAt ?? payment.updatedAt).toISOString(),
    content,
    status: state === 'paid' && dossierStatus === 'awaiting_payment' ? 'processing' : dossierStatus,
  };
}

/** 8000 → "8.000", as amounts are written in Vietnamese. */
export function groupThousands(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

export interface PaymentNoticeDeliveryDeps {
  /** payments.notifications.url. */
  url: string;
  /** The resolved HMAC key (resolvePaymentNoticeSecret). */
  secret: string;
  /** payments.notifications.timeoutMs: one POST. */
  timeoutMs?: number;
  /** The address guard's dispatcher: every connect is checked like an upstream's. */
  dispatcher?: Dispatcher;
  now?: () => number;
}

/**
 * The outbox registration of `payments.notice`: one signed POST per attempt.
 * 2xx delivered; 408, 425, 429, 5xx, timeouts and connection failures
 * retried with the outbox's backoff (Retry-After honoured); 3xx and the
 * other 4xx dead (the receiver refuses this content, or moved: a
 * configuration to fix, then re-drive).
 */
export function paymentNoticeRegistration(deps: PaymentNoticeDeliveryDeps): TargetRegistration {
  const timeoutMs = deps.timeoutMs ?? defaultTimeoutMs;
  return {
    // The POST's own timeout, plus room for the outbox's bookkeeping.
    deliveryTimeoutMs: timeoutMs + 5_000,
    handler: (message, signal) => deliverPaymentNotice(deps, message, signal),
  };
}

export async function deliverPaymentNotice(deps: PaymentNoticeDeliveryDeps, message: OutboxMessage, signal?: AbortSignal): Promise<{ answer: string }> {
  const notice: PaymentNoticeBody = { ...payloadOf(message), eventId: message.id };
  const { status } = await postSignedJson({
    url: deps.url,
    secret: deps.secret,
    body: JSON.stringify(notice),
    headers: { 'user-agent': 'lgsp-gateway-payments', [paymentNoticeHeaders.idempotencyKey]: message.id, [paymentNoticeHeaders.eventId]: message.id },
    describe: `payment notice receiver ${originOf(deps.url)}`,
    urlSetting: 'payments.notifications.url',
    ...(signal && { signal }),
    ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }),
    ...(deps.dispatcher && { dispatcher: deps.dispatcher }),
    ...(deps.now && { now: deps.now }),
  });
  return { answer: `sent (HTTP ${status})` };
}

/** The stored payload, its fields named one by one so nothing else ever slips into a notice. */
function payloadOf(message: OutboxMessage): PaymentNoticePayload {
  const payload = message.payload as Partial<PaymentNoticePayload> | null;
  if (!payload || payload.event !== paymentFinalEvent || typeof payload.reference !== 'string') {
    throw new PermanentDeliveryError('malformed', 'the stored message is not a payment notice');
  }
  return {
    event: paymentFinalEvent,
    reference: payload.reference,
    dossierCode: payload.dossierCode!,
    procedureCode: payload.procedureCode!,
    state: payload.state!,
    totalAmount: payload.totalAmount!,
    currency: payload.currency!,
    ...(payload.platformTransactionId !== undefined && { platformTransactionId: payload.platformTransactionId }),
    ...(payload.paidAt !== undefined && { paidAt: payload.paidAt }),
    finalAt: payload.finalAt!,
  };
}

/**
 * The webhook's HMAC key as the configuration gives it (a value, { fromEnv }
 * or { fromFile }), resolved once at start; undefined when no url is set. A
 * url without a usable secret is a configuration error: an unsigned notice
 * about money would be trusted by nobody, or worse, by someone.
 */
export function resolvePaymentNoticeSecret(notifications: Pick<PaymentsConfig['notifications'], 'url' | 'secret'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (notifications.url === undefined) return undefined;
  const field = 'payments.notifications.secret';
  if (notifications.secret === undefined) throw new ConfigError(`${field}: required with payments.notifications.url`);
  try {
    return resolveSecretReference(notifications.secret, field, env);
  } catch (error) {
    if (error instanceof CredentialReferenceError) throw new ConfigError(error.message);
    throw error;
  }
}


