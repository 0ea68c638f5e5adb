import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import express, { type Response, type Router } from 'express';
import { recordAdminChange } from '../audit/admin-change.js';
import { appendInTransaction } from '../audit/chain/append-in-transaction.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { ProblemError } from '../errors/index.js';
import {
  adminPaymentView, anomaliesOfPayment, InvalidPaymentCursorError, ipnsOfPayment, listPayments, maxPaymentPageSize,
} from '../payments/payment-admin-queries.js';
import { paymentStates, type PaymentState } from '../payments/payment-states.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { dailyReport, reportCsv, vietnamDay } from '../payments/reconciliation-report.js';
import type { PaymentReconciliation } from '../payments/reconciliation-schedule.js';
import type { Store } from '../store/store.js';
import { validQuery } from './query-validation.js';
import { adminActorOf, principalOf, requireRole } from './require-role.js';
import { referenceShape } from '../payments/payment-reference.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** What the payments' admin routes read and run. */
export interface PaymentsAdminSource {
  store: Store;
  /** The payment store (its get: the payment with its history). */
  payments: Pick<PaymentStore, 'get'>;
  /** The reconciliation schedule of this process (runNow joins a run under way). */
  reconciliation: Pick<PaymentReconciliation, 'runNow'>;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true });
addFormats(ajv);
const validateList = ajv.compile<{ state?: PaymentState; dossierCode?: string; from?: string; to?: string; limit?: number; cursor?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { enum: [...paymentStates] },
    dossierCode: { type: 'string', minLength: 1, maxLength: 200 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: maxPaymentPageSize },
    cursor: { type: 'string', minLength: 1, maxLength: 200 },
  },
});
const validateOne = ajv.compile<{ raw?: boolean }>({ type: 'object', additionalProperties: false, properties: { raw: { type: 'boolean' } } });
const validateReport = ajv.compile<{ date: string; format?: 'json' | 'csv' }>({
  type: 'object',
  additionalProperties: false,
  required: ['date'],
  properties: { date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }, format: { enum: ['json', 'csv'] } },
});
const validateNone = ajv.compile<Record<string, never>>({ type: 'object', additionalProperties: false });
const defaultPageSize = 50;

/**
 * /admin/v1/payments (issue 15): the payments for the people who run the
 * gateway. lgsp-admin and lgsp-operator read (lists, one payment with its
 * history, the IPNs that named it and the anomalies recorded about it, the
 * daily reconciliation report); the payer appears only masked. An IPN's raw
 * body (the platform's fields, or whatever a forger sent) only for
 * lgsp-admin with ?raw=true, and that read is recorded in the admin audit
 * stream before it is answered. Running reconciliation now is lgsp-admin's,
 * recorded as an admin action with its summary.
 */
export function createPaymentsAdminRouter(options: { tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>; payments: PaymentsAdminSource }): Router {
  const { store, payments, reconciliation } = options.payments;
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator]);
  const runners = requireRole(options.tokenVerifier, [Roles.admin]);
  const router = express.Router();

  router.get('/payments', readers, async (req, res) => {
    const query = validQuery(req, validateList);
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from.getTime() >= to.getTime()) throw invalid('query:to', 'must be after from');
    let page;
    try {
      page = await listPayments(
        store,
        { ...(query.state !== undefined && { state: query.state }), ...(query.dossierCode !== undefined && { dossierCode: query.dossierCode }), ...(from && { from }), ...(to && { to }) },
        { limit: query.limit ?? defaultPageSize, ...(query.cursor !== undefined && { cursor: query.cursor }) },
      );
    } catch (error) {
      if (error instanceof InvalidPaymentCursorError) throw invalid('query:cursor', 'is not a cursor this gateway issued');
      throw error;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: page.items, nextCursor: page.nextCursor ?? null });
  });

  // Before /payments/:reference: "reconciliation" is not a reference (those are upper case), but the literal route reads better first.
  router.get('/payments/reconciliation', readers, async (req, res) => {
    const query = validQuery(req, validateReport);
    try {
      vietnamDay(query.date);
    } catch {
      throw invalid('query:date', 'must be a real day as YYYY-MM-DD');
    }
    const format = query.format ?? (req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json');
    const report = await dailyReport(store, query.date);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'json') {
      res.json(report);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', `attachment; filename="payments-reconciliation-${query.date}.csv"`);
    res.send(reportCsv(report));
  });

  router.post('/payments/reconciliation/run', runners, async (req, res) => {
    validQuery(req, validateNone);
    const actor = adminActorOf(res);
    const runId = randomUUID();
    const startedAt = new Date();
    let summary;
    try {
      summary = await reconciliation.runNow();
    } catch (error) {
      // Who asked is on record even when the run failed (the error's kind only).
      await store.transaction((tx) =>
        recordAdminChange(tx, actor, { type: 'payment_reconciliation_run', id: runId }, undefined, { startedAt: startedAt.toISOString(), outcome: 'failed', error: (error as Error)?.name ?? 'Error' }),
      );
      throw error;
    }
    const finishedAt = new Date();
    await store.transaction((tx) =>
      recordAdminChange(tx, actor, { type: 'payment_reconciliation_run', id: runId }, undefined, { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), outcome: 'done', summary }),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({ runId, startedAt, finishedAt, summary });
  });

  router.get('/payments/:reference', readers, async (req, res) => {
    const reference = String(req.params.reference);
    const { raw } = validQuery(req, validateOne);
    if (raw && !principalOf(res).roles.includes(Roles.admin)) {
      throw new ProblemError('LGSP_ROLE_REQUIRED', { detail: `an IPN body is third-party text: raw=true needs the role ${Roles.admin}` });
    }
    const payment = referenceShape.test(reference) ? await payments.get(reference) : undefined;
    if (!payment) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no payment with this reference' });
    const ipns = await ipnsOfPayment(store, reference, { rawBody: raw === true });
    if (raw) await recordRawRead(store, res, reference, ipns.map((ipn) => ipn.id));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...adminPaymentView(payment), ipns, anomalies: await anomaliesOfPayment(store, reference) });
  });

  return router;
}

function invalid(field: string, message: string): ProblemError {
  return new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field, message }] });
}

async function recordRawRead(store: Store, res: Response, reference: string, ids: number[]): Promise<void> {
  const actor = adminActorOf(res);
  await store.transaction((tx) =>
    appendInTransaction(tx, 'admin', { occurredAt: new Date(), ...actor, action: 'read', resourceType: 'payment_ipn_raw', resourceId: reference, before: null, after: { returned: ids.length, ids } }),
  );
}

