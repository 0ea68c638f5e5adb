import { createHash, randomUUID } from 'node:crypto';
import { appendInTransaction } from '../audit/chain/append-in-transaction.js';
import { storableText } from '../audit/chain/chain-streams.js';
import { hashSubjectId, maskSubjectId } from '../audit/subject-protection.js';
import { ProblemError } from '../errors/index.js';
import type { Queryable, Store } from '../store/store.js';
import type { FinalStateHooks } from './final-state-hooks.js';
import { decideOutcome, isFinal, isLegalTransition, type OutcomeState, type PaymentState, type TransitionSource } from './payment-states.js';
import { newPaymentReference } from './payment-reference.js';
import type { CreateContext, CreatePaymentInput, CreateResult, OutcomeContext, OutcomeResult, PaymentOutcome, PaymentTransition, PaymentView } from './payment-types.js';
import { validateCreateInput } from './payment-validation.js';

/**
 * Payments in PostgreSQL (or PGlite). Every change happens in one
 * transaction that holds the payment's row lock (SELECT ... FOR UPDATE), so
 * two deliveries of one outcome — 50 duplicate IPNs at once, an IPN racing
 * the reconciliation job — are decided one after the other: the first
 * applies, the others see the new state and replay. The unique indexes of
 * payment_transitions back this up at the database level. Each transition
 * appends its audit record in the same transaction: both commit or neither.
 */
export interface PaymentStoreOptions {
  store: Store;
  /** The audit subject key (HMAC): the payer's name is kept only as hashSubjectId(key, name) and its masked form. */
  subjectKey: Buffer | string;
  /** How long a payment may stay open before the expiry job closes it (default one day). */
  paymentTtlMs?: number;
  /** Reference generator (tests force a collision with it). */
  newReference?: () => string;
  /**
   * Run in the transaction of every move into a final state this store's
   * applyOutcome makes (final-state-hooks.ts): the gateway's registry, the one its IPN processor
   * passes to applyToLockedPayment too.
   */
  finalStateHooks: FinalStateHooks;
}

export interface PaymentStore {
  create(input: CreatePaymentInput, context: CreateContext): Promise<CreateResult>;
  /** The payment with its history, or undefined. */
  get(reference: string): Promise<PaymentView | undefined>;
  /** The reference of the payment this consumer already made with this Idempotency-Key, if any. */
  findByIdempotencyKey(consumerId: string, idempotencyKey: string): Promise<string | undefined>;
  /** Decides and, when legal, applies one outcome under the payment's row lock; LGSP_NOT_FOUND for an unknown reference. */
  applyOutcome(reference: string, outcome: PaymentOutcome, source: Exclude<TransitionSource, 'create'>, context?: OutcomeContext): Promise<OutcomeResult>;
}

const defaultTtlMs = 24 * 3_600_000;
const referenceAttempts = 5;

export function createPaymentStore(options: PaymentStoreOptions): PaymentStore {
  const { store, subjectKey } = options;
  const ttlMs = options.paymentTtlMs ?? defaultTtlMs;
  const newReference = options.newReference ?? (() => newPaymentReference());
  const { finalStateHooks } = options;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new Error('paymentTtlMs must be a positive integer');

  return {
    async create(input, context) {
      const valid = validateCreateInput(input, context);
      const keyHash = sha256(valid.idempotencyKey);
      // Keyed: the content holds the payer's name, and a plain hash of a name is guessed from a list of names.
      const requestHash = hashSubjectId(subjectKey, JSON.stringify(valid.content));
      const payerName = valid.content.payerName;
      return store.transaction(async (tx) => {
        // Concurrent creates with one key take turns here, so the second finds the first's row instead of racing its insert.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`lgsp:payments:idempotency:${valid.consumerId}:${keyHash}`]);
        const existing = await tx.query<{ reference: string; request_hash: string }>(
          'SELECT reference, request_hash FROM payments WHERE consumer_id = $1 AND idempotency_key_hash = $2',
          [valid.consumerId, keyHash],
        );
        const found = existing.rows[0];
        if (found) {
          if (found.request_hash !== requestHash) {
            throw new ProblemError('LGSP_IDEMPOTENCY_KEY_REUSED', { detail: 'this Idempotency-Key already created a payment with different content' });
          }
          return { created: false, payment: (await loadView(tx, found.reference))! };
        }
        const payer = { hash: hashSubjectId(subjectKey, canonicalName(payerName)), masked: maskSubjectId(canonicalName(payerName)) };
        const total = valid.content.items.reduce((sum, item) => sum + item.amount, 0);
        const reference = await insertPayment(tx, newReference, [
          valid.consumerId, keyHash, requestHash, valid.content.dossierCode, valid.content.procedureCode, valid.content.agencyCode ?? null,
          payer.hash, payer.masked, total, `${ttlMs} milliseconds`,
        ]);
        for (const [position, item] of valid.content.items.entries()) {
          await tx.query('INSERT INTO payment_items (payment_reference, position, code, name, kind, amount) VALUES ($1, $2, $3, $4, $5, $6)', [
            reference, position, item.code, item.name, item.kind, item.amount,
          ]);
        }
        await tx.query("INSERT INTO payment_transitions (payment_reference, from_state, to_state, source, actor) VALUES ($1, NULL, 'created', 'create', $2)", [reference, valid.consumerId]);
        await appendInTransaction(tx, 'admin', {
          occurredAt: new Date(),
          requestId: context.requestId ?? randomUUID(),
          actor: valid.consumerId,
          actorClient: valid.consumerId,
          action: 'create',
          resourceType: 'payment',
          resourceId: reference,
          before: null,
          after: { state: 'created', totalAmount: total, currency: 'VND', dossierCode: valid.content.dossierCode, procedureCode: valid.content.procedureCode, payer, source: 'create' },
        });
        return { created: true, payment: (await loadView(tx, reference))! };
      });
    },

    get: (reference) => loadView(store, reference),

    async findByIdempotencyKey(consumerId, idempotencyKey) {
      const { rows } = await store.query<{ reference: string }>('SELECT reference FROM payments WHERE consumer_id = $1 AND idempotency_key_hash = $2', [consumerId, sha256(idempotencyKey.trim())]);
      return rows[0]?.reference;
    },

    async applyOutcome(reference, outcome, source, context = {}) {
      return store.transaction(async (tx) => {
        const locked = await lockPayment(tx, reference);
        if (!locked) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no payment with this reference' });
        return applyToLockedPayment(tx, locked, outcome, source, context, finalStateHooks);
      });
    },
  };
}

/** The columns a decision needs, read under the row lock. */
export interface LockedPayment {
  reference: string;
  consumerId: string;
  state: PaymentState;
  totalAmount: number;
  currency: string;
  platformTransactionId: string | null;
  payer: { hash: string; masked: string };
}

/** Locks the payment's row until the transaction ends; undefined when there is none. */
export async function lockPayment(tx: Queryable, reference: string): Promise<LockedPayment | undefined> {
  const { rows } = await tx.query<PaymentRow>('SELECT * FROM payments WHERE reference = $1 FOR UPDATE', [reference]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    reference: row.reference,
    consumerId: row.consumer_id,
    state: row.state,
    totalAmount: Number(row.total_amount),
    currency: row.currency,
    platformTransactionId: row.platform_transaction_id,
    payer: { hash: row.payer_name_hash, masked: row.payer_name_masked },
  };
}

/**
 * Decides what the outcome does to a payment locked by lockPayment in this
 * transaction and, when the decision is to apply it, makes the one
 * transition: the row, its history line and its audit record together, and,
 * for a move into a final state, whatever the final-state hooks write (the
 * outbox notices). Callers that pass no registry (the IPN processor) get the
 * process-wide one.
 */
export async function applyToLockedPayment(
  tx: Queryable,
  locked: LockedPayment,
  outcome: PaymentOutcome,
  source: Exclude<TransitionSource, 'create'>,
  context: OutcomeContext,
  finalStateHooks: FinalStateHooks,
): Promise<OutcomeResult> {
  // The platform's texts (INIT answer, IPN, QUERY) are bounded here, once, before they are compared or stored.
  outcome = boundedOutcome(outcome);
  const decision = decideOutcome(locked, outcome);
  if (decision.kind === 'apply') {
    const to: OutcomeState = decision.to;
    if (!isLegalTransition(locked.state, to)) throw new Error(`illegal payment transition ${locked.state} -> ${to}`); // decideOutcome guarantees this
    const actor = context.actor ?? defaultActor(source, locked);
    await tx.query(
      `UPDATE payments SET state = $2, updated_at = now(),
         final_at = CASE WHEN $3 THEN now() ELSE final_at END,
         platform_transaction_id = COALESCE($4, platform_transaction_id),
         payment_url = COALESCE($5, payment_url),
         bank_code = COALESCE($6, bank_code),
         platform_paid_at = COALESCE($7, platform_paid_at)
       WHERE reference = $1`,
      [locked.reference, to, isFinal(to), outcome.platformTransactionId ?? null, outcome.paymentUrl ?? null, outcome.bankCode ?? null, to === 'paid' ? (outcome.platformPaidAt ?? null) : null],
    );
    await tx.query('INSERT INTO payment_transitions (payment_reference, from_state, to_state, source, ipn_id, actor, note) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      locked.reference, locked.state, to, source, context.ipnId ?? null, actor, outcome.note ?? null,
    ]);
    const facts = { totalAmount: locked.totalAmount, currency: locked.currency, payer: locked.payer };
    await appendInTransaction(tx, 'admin', {
      occurredAt: new Date(),
      requestId: context.requestId ?? randomUUID(),
      actor,
      actorClient: context.actorClient ?? (source === 'ipn' ? 'paygov' : locked.consumerId),
      action: 'update',
      resourceType: 'payment',
      resourceId: locked.reference,
      before: { state: locked.state, platformTransactionId: locked.platformTransactionId, ...facts },
      after: { state: to, platformTransactionId: outcome.platformTransactionId ?? locked.platformTransactionId, ...facts, source, ...(context.ipnId !== undefined && { ipnId: context.ipnId }) },
    });
    const payment = (await loadView(tx, locked.reference))!;
    // Only an applied move reaches here: a replay or a recorded-only news notifies nobody, and the unique final-transition index makes this once per payment.
    if (isFinal(to) && !isFinal(locked.state)) {
      await finalStateHooks.run(tx, { payment, from: locked.state as 'created' | 'pending', to, source });
    }
    return { decision, payment };
  }
  return { decision, payment: (await loadView(tx, locked.reference))! };
}

function defaultActor(source: TransitionSource, payment: LockedPayment): string {
  switch (source) {
    case 'ipn':
      return 'paygov-ipn';
    case 'query':
    case 'expiry':
      return 'reconciliation';
    case 'create':
    case 'init':
      return payment.consumerId;
    case 'manual':
      throw new Error('a manual payment transition needs its actor');
  }
}

interface PaymentRow {
  reference: string;
  consumer_id: string;
  dossier_code: string;
  procedure_code: string;
  agency_code: string | null;
  payer_name_hash: string;
  payer_name_masked: string;
  total_amount: number | bigint;
  currency: string;
  state: PaymentState;
  platform_transaction_id: string | null;
  bank_code: string | null;
  payment_url: string | null;
  platform_paid_at: Date | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  final_at: Date | null;
}

async function insertPayment(tx: Queryable, newReference: () => string, values: unknown[]): Promise<string> {
  for (let attempt = 0; attempt < referenceAttempts; attempt += 1) {
    const reference = newReference();
    // ON CONFLICT on the reference only: a collision is retried with a fresh reference instead of aborting the transaction.
    const { rows } = await tx.query<{ reference: string }>(
      `INSERT INTO payments (reference, consumer_id, idempotency_key_hash, request_hash, dossier_code, procedure_code, agency_code,
         payer_name_hash, payer_name_masked, total_amount, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + $11::interval)
       ON CONFLICT (reference) DO NOTHING RETURNING reference`,
      [reference, ...values],
    );
    if (rows[0]) return rows[0].reference;
  }
  throw new Error(`no free payment reference after ${referenceAttempts} attempts`);
}

async function loadView(db: Queryable, reference: string): Promise<PaymentView | undefined> {
  const { rows } = await db.query<PaymentRow>('SELECT * FROM payments WHERE reference = $1', [reference]);
  const row = rows[0];
  if (!row) return undefined;
  const items = await db.query<{ code: string; name: string; kind: 'fee' | 'charge'; amount: number | bigint }>(
    'SELECT code, name, kind, amount FROM payment_items WHERE payment_reference = $1 ORDER BY position',
    [reference],
  );
  const history = await db.query<{ from_state: PaymentState | null; to_state: PaymentState; at: Date; source: TransitionSource; actor: string; ipn_id: number | bigint | null; note: string | null }>(
    'SELECT from_state, to_state, at, source, actor, ipn_id, note FROM payment_transitions WHERE payment_reference = $1 ORDER BY id',
    [reference],
  );
  return {
    reference: row.reference,
    consumerId: row.consumer_id,
    dossierCode: row.dossier_code,
    procedureCode: row.procedure_code,
    ...(row.agency_code !== null && { agencyCode: row.agency_code }),
    payer: { hash: row.payer_name_hash, masked: row.payer_name_masked },
    items: items.rows.map((item) => ({ code: item.code, name: item.name, kind: item.kind, amount: Number(item.amount) })),
    totalAmount: Number(row.total_amount),
    currency: row.currency,
    state: row.state,
    ...(row.platform_transaction_id !== null && { platformTransactionId: row.platform_transaction_id }),
    ...(row.bank_code !== null && { bankCode: row.bank_code }),
    ...(row.payment_url !== null && { paymentUrl: row.payment_url }),
    ...(row.platform_paid_at !== null && { platformPaidAt: row.platform_paid_at }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    ...(row.final_at !== null && { finalAt: row.final_at }),
    history: history.rows.map((line): PaymentTransition => ({
      from: line.from_state,
      to: line.to_state,
      at: line.at,
      source: line.source,
      actor: line.actor,
      ...(line.ipn_id !== null && { ipnId: Number(line.ipn_id) }),
      ...(line.note !== null && { note: line.note }),
    })),
  };
}

/** The name as hashed: Unicode NFC, single spaces, upper case, so "Nguyễn  Văn A" and "NGUYỄN VĂN A" find the same records. */
export function canonicalName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleUpperCase('vi');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What an outcome may write into a payment row: the platform's texts cut to a sane length and made storable. */
function boundedOutcome(outcome: PaymentOutcome): PaymentOutcome {
  const bounded = (value: string, max: number) => storableText(value.slice(0, max));
  return {
    ...outcome,
    ...(outcome.platformTransactionId !== undefined && { platformTransactionId: bounded(outcome.platformTransactionId, 100) }),
    ...(outcome.paymentUrl !== undefined && { paymentUrl: bounded(outcome.paymentUrl, 2000) }),
    ...(outcome.bankCode !== undefined && { bankCode: bounded(outcome.bankCode, 32) }),
    ...(outcome.note !== undefined && { note: bounded(outcome.note, 500) }),
  };
}
