import type { Queryable } from '../store/store.js';
import type { PaymentState } from './payment-states.js';
import type { PaymentView } from './payment-types.js';
import { paymentAnomalyResourceType } from './reconciliation.js';
import { decodeKeysetCursor, encodeKeysetCursor, keysetTimestampSql } from '../store/keyset-cursor.js';
import { referenceShape } from './payment-reference.js';

/**
 * What operators read about payments (/admin/v1/payments): lists with keyset
 * paging, one payment with the IPNs that named it and the anomalies recorded
 * about it. The payer appears only masked (never the keyed hash: it is a
 * search key for the audit trail's data-subject lookups, not something to
 * show). IPN bodies only when asked (rawBody), for an admin.
 */

export interface PaymentListFilter {
  state?: PaymentState;
  dossierCode?: string;
  /** created_at >= from. */
  from?: Date;
  /** created_at < to. */
  to?: Date;
}

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
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  finalAt?: Date;
}

export interface PaymentListPage {
  items: PaymentListItem[];
  nextCursor?: string;
}

export const maxPaymentPageSize = 500;

export class InvalidPaymentCursorError extends Error {
  constructor() {
    super('the cursor is not one this gateway issued');
    this.name = 'InvalidPaymentCursorError';
  }
}

interface ListRow {
  reference: string;
  consumer_id: string;
  dossier_code: string;
  procedure_code: string;
  agency_code: string | null;
  payer_name_masked: string;
  total_amount: number | bigint;
  currency: string;
  state: PaymentState;
  platform_transaction_id: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  final_at: Date | null;
  cursor_at: string;
}

/** Newest first; the cursor is the last item's (created_at with microseconds, reference), so a page boundary never splits a millisecond. */
export async function listPayments(db: Queryable, filter: PaymentListFilter, page: { limit: number; cursor?: string }): Promise<PaymentListPage> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxPaymentPageSize) throw new RangeError(`limit must be an integer from 1 to ${maxPaymentPageSize}`);
  const cursor = page.cursor === undefined ? undefined : decodePaymentCursor(page.cursor);
  if (page.cursor !== undefined && !cursor) throw new InvalidPaymentCursorError();
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.state !== undefined) add((p) => `state = ${p}`, filter.state);
  if (filter.dossierCode !== undefined) add((p) => `dossier_code = ${p}`, filter.dossierCode);
  if (filter.from !== undefined) add((p) => `created_at >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `created_at < ${p}`, filter.to);
  if (cursor) {
    params.push(cursor.createdAt, cursor.reference);
    conditions.push(`(created_at, reference) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(page.limit + 1);
  const { rows } = await db.query<ListRow>(
    `SELECT reference, consumer_id, dossier_code, procedure_code, agency_code, payer_name_masked, total_amount, currency, state,
            platform_transaction_id, created_at, updated_at, expires_at, final_at,
            ${keysetTimestampSql('created_at')} AS cursor_at
       FROM payments
      ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY created_at DESC, reference DESC
      LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(toListItem),
    ...(rows.length > page.limit && last && { nextCursor: encodePaymentCursor({ createdAt: last.cursor_at, reference: last.reference }) }),
  };
}

function toListItem(row: ListRow): PaymentListItem {
  return {
    reference: row.reference,
    consumerId: row.consumer_id,
    dossierCode: row.dossier_code,
    procedureCode: row.procedure_code,
    ...(row.agency_code !== null && { agencyCode: row.agency_code }),
    payerMasked: row.payer_name_masked,
    totalAmount: Number(row.total_amount),
    currency: row.currency,
    state: row.state,
    ...(row.platform_transaction_id !== null && { platformTransactionId: row.platform_transaction_id }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    ...(row.final_at !== null && { finalAt: row.final_at }),
  };
}

export function encodePaymentCursor(cursor: { createdAt: string; reference: string }): string {
  return encodeKeysetCursor({ at: cursor.createdAt, key: cursor.reference });
}

export function decodePaymentCursor(text: string): { createdAt: string; reference: string } | undefined {
  const position = decodeKeysetCursor(text, referenceShape);
  return position && { createdAt: position.at, reference: position.key };
}

/** One IPN as stored (payment_ipns), for an operator: its verdict, our answer, when, from where. */
export interface StoredIpnView {
  id: number;
  receivedAt: Date;
  sourceIp: string | null;
  verdict: string;
  /** The MaLoi we answered. */
  answerCode: string;
  note: string | null;
  /** Linked to the payment (authentic and about it); false: it only named the reference (refused before that). */
  linked: boolean;
  resultCode: string | null;
  amount: number | null;
  currency: string | null;
  platformTransactionId: string | null;
  /** Which secret matched (0 active, 1 previous); null when none did. */
  secretIndex: number | null;
  bodyBytes: number;
  truncated: boolean;
  /** Only when asked for (an admin's ?raw=true). */
  rawBody?: string;
}

interface IpnRow {
  id: number | bigint;
  received_at: Date;
  source_ip: string | null;
  verdict: string;
  answer_code: string;
  note: string | null;
  payment_reference: string | null;
  result_code: string | null;
  amount: number | bigint | null;
  currency: string | null;
  platform_transaction_id: string | null;
  secret_index: number | null;
  body_bytes: number;
  raw_truncated: boolean;
  raw_body?: string;
}

/** Every IPN that named the reference (linked or refused), oldest first. */
export async function ipnsOfPayment(db: Queryable, reference: string, options: { rawBody?: boolean } = {}): Promise<StoredIpnView[]> {
  const raw = options.rawBody === true;
  const { rows } = await db.query<IpnRow>(
    `SELECT id, received_at, source_ip, verdict, answer_code, note, payment_reference, result_code, amount, currency, platform_transaction_id,
            secret_index, body_bytes, raw_truncated${raw ? ', raw_body' : ''}
       FROM payment_ipns WHERE payment_reference = $1 OR parsed_reference = $1
      ORDER BY received_at, id`,
    [reference],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    receivedAt: row.received_at,
    sourceIp: row.source_ip,
    verdict: row.verdict,
    answerCode: row.answer_code,
    note: row.note,
    linked: row.payment_reference !== null,
    resultCode: row.result_code,
    amount: row.amount === null ? null : Number(row.amount),
    currency: row.currency,
    platformTransactionId: row.platform_transaction_id,
    secretIndex: row.secret_index,
    bodyBytes: row.body_bytes,
    truncated: row.raw_truncated,
    ...(raw && { rawBody: row.raw_body! }),
  }));
}

export interface PaymentAnomalyRecord {
  at: Date;
  /** PaymentAnomaly and the facts reconciliation recorded (amounts, reported state...). */
  detail: Record<string, unknown>;
}

/** The anomalies reconciliation recorded about the payment (admin audit records of type payment_anomaly), oldest first. */
export async function anomaliesOfPayment(db: Queryable, reference: string): Promise<PaymentAnomalyRecord[]> {
  const { rows } = await db.query<{ occurred_at: Date; after: Record<string, unknown> | null }>(
    'SELECT occurred_at, after FROM admin_audit_log WHERE resource_type = $1 AND resource_id = $2 ORDER BY occurred_at, id',
    [paymentAnomalyResourceType, reference],
  );
  return rows.map((row) => ({ at: row.occurred_at, detail: row.after ?? {} }));
}

/** The payment as an operator sees it: the masked payer only. */
export type AdminPaymentView = Omit<PaymentView, 'payer'> & { payer: { masked: string } };

export function adminPaymentView(payment: PaymentView): AdminPaymentView {
  const { payer, ...rest } = payment;
  return { ...rest, payer: { masked: payer.masked } };
}
