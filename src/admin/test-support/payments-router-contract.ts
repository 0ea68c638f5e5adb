import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { consoleUserToken } from '../../../simulators/dev-idp/scripted-login.js';
import { startDevIdp, type DevIdp } from '../../../simulators/dev-idp/index.js';
import { requestClientCredentialsToken } from '../../auth/test-support/token-client.js';
import { createTokenVerifier } from '../../auth/token-verifier.js';
import { notFoundResponder, problemResponder } from '../../errors/problem-responder.js';
import { createLogger } from '../../observability/logger.js';
import { fromProjectRoot } from '../../paths.js';
import { requestContextMiddleware } from '../../pipeline/request-context.js';
import { startPaymentReconciliation, type PaymentReconciliation } from '../../payments/reconciliation-schedule.js';
import { startGuardedPaygov, type GuardedPaygov } from '../../payments/test-support/guarded-paygov.js';
import { openPayments, payerName, paymentInput, sealedIpn, type PaymentsFixture } from '../../payments/test-support/payments-harness.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { createPaymentsAdminRouter } from '../payments-router.js';

const minute = 60_000;
/** Today in Vietnam (UTC+7), as the report's date parameter names a day. */
const vietnamToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** /admin/v1/payments over real HTTP, real tokens from the dev IdP, on every store driver. */
export function describePaymentsRouterContract(storeTarget: StoreTarget): void {
  let idp: DevIdp;
  let paygov: GuardedPaygov;
  let fixture: PaymentsFixture;
  let reconciliation: PaymentReconciliation;
  let server: Server;
  let url: string;
  let tokens: { admin: string; operator: string; auditor: string; consumer: string };
  let keys = 0;
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    idp = await startDevIdp({ realmExportPath: fromProjectRoot('config/keycloak/lgsp-realm.json'), logger });
    paygov = await startGuardedPaygov();
    fixture = await openPayments(storeTarget);
    reconciliation = startPaymentReconciliation({
      store: fixture.store, payments: fixture.payments, platform: paygov.platform, logger: fixture.log.logger,
      config: { enabled: false, intervalMs: 60_000, minAgeMs: 30 * minute, maxAgeMs: 3 * 24 * 60 * minute, requeryAfterMs: 0, batchSize: 100, concurrency: 2 },
    });
    const tokenVerifier = createTokenVerifier({ issuer: idp.issuer, jwksUri: idp.jwksUri, audience: 'lgsp-gateway', jwksCooldownMs: 0 });
    const app = express();
    app.use(requestContextMiddleware);
    app.use('/admin/v1', createPaymentsAdminRouter({ tokenVerifier, payments: { store: fixture.store, payments: fixture.payments, reconciliation } }));
    app.use(notFoundResponder);
    app.use(problemResponder(logger));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [admin, operator, auditor] = await Promise.all(['admin', 'operator', 'auditor'].map((user) => consoleUserToken(idp.issuer, idp.tokenUrl, user)));
    const consumer = (await requestClientCredentialsToken(idp.tokenUrl, { clientId: 'one-stop', clientSecret: 'one-stop-dev-secret' })).access_token;
    tokens = { admin: admin!, operator: operator!, auditor: auditor!, consumer };
  }, 60_000);
  afterAll(async () => {
    await reconciliation?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await paygov?.close();
    await idp?.close();
    await storeTarget.dispose();
  });

  const get = (path: string, token: string) => request(url).get(`/admin/v1${path}`).set('authorization', `Bearer ${token}`);
  const create = async (dossierCode = '000.00.01.H22-250521-0001') => {
    const { payment } = await fixture.payments.create(paymentInput({ dossierCode }), { consumerId: 'one-stop-h22', idempotencyKey: `admin-${++keys}` });
    const { paymentUrl } = await paygov.init(payment);
    await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl }, 'init');
    return payment.reference;
  };
  const expectProblem = (response: request.Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe(code);
  };

  describe(`${storeTarget.driver} /admin/v1/payments`, () => {
    let paid: string;
    let failed: string;
    let open: string;
    let other: string;

    beforeAll(async () => {
      paid = await create();
      expect((await fixture.ipn(sealedIpn(paid))).verdict).toBe('applied');
      expect((await fixture.ipn(sealedIpn(paid))).verdict).toBe('replay');
      // A forgery naming the payment: refused, not linked to it, still shown with it.
      expect((await fixture.ipn({ ...sealedIpn(paid, {}, 'not-the-secret'), ThongTinGiaoDich: `forged by ${payerName}` }, '198.51.100.66')).verdict).toBe('refused_checksum');
      failed = await create();
      await fixture.payments.applyOutcome(failed, { state: 'failed' }, 'query');
      open = await create();
      other = await create('000.00.01.H22-250521-0002');
    });

    it('reads for lgsp-admin and lgsp-operator only: no token 401, a consumer or an auditor 403, as problems', async () => {
      expectProblem(await request(url).get('/admin/v1/payments'), 401, 'LGSP_TOKEN_MISSING');
      expectProblem(await get('/payments', tokens.consumer), 403, 'LGSP_ROLE_REQUIRED');
      expectProblem(await get('/payments', tokens.auditor), 403, 'LGSP_ROLE_REQUIRED');
      expectProblem(await get(`/payments/${paid}`, tokens.auditor), 403, 'LGSP_ROLE_REQUIRED');
      for (const token of [tokens.operator, tokens.admin]) expect((await get('/payments', token)).status).toBe(200);
    });

    it('lists newest first with the masked payer only, filtered by state, dossier and time, paged by cursor', async () => {
      const all = await get('/payments', tokens.operator);
      expect(all.headers['cache-control']).toBe('no-store');
      expect(all.body.items.map((item: { reference: string }) => item.reference)).toEqual([other, open, failed, paid]);
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items[0]).toMatchObject({ reference: other, state: 'pending', totalAmount: 150_000, currency: 'VND', payerMasked: 'NGU***************ỌC', dossierCode: '000.00.01.H22-250521-0002' });
      expect(all.body.items[0]).not.toHaveProperty('payer');
      expect(JSON.stringify(all.body)).not.toContain(payerName);
      const hash = (await fixture.payments.get(paid))!.payer.hash;
      expect(JSON.stringify(all.body)).not.toContain(hash);

      expect((await get('/payments?state=paid', tokens.operator)).body.items.map((item: { reference: string }) => item.reference)).toEqual([paid]);
      expect((await get('/payments?dossierCode=000.00.01.H22-250521-0002', tokens.operator)).body.items.map((item: { reference: string }) => item.reference)).toEqual([other]);
      const future = new Date(Date.now() + minute).toISOString();
      expect((await get(`/payments?from=${encodeURIComponent(future)}`, tokens.operator)).body.items).toEqual([]);
      expect((await get(`/payments?to=${encodeURIComponent(future)}&state=failed`, tokens.operator)).body.items).toHaveLength(1);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await get(`/payments?limit=3${cursor ? `&cursor=${cursor}` : ''}`, tokens.operator);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((item: { reference: string }) => item.reference));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([other, open, failed, paid]);
    });

    it('refuses bad filters as 400 problems naming the parameter', async () => {
      for (const [query, field] of [
        ['state=unpaid', 'query:state'], ['limit=0', 'query:limit'], ['limit=501', 'query:limit'], ['from=yesterday', 'query:from'],
        ['cursor=not-a-cursor', 'query:cursor'], ['payer=x', 'query:'], [`from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(0).toISOString())}`, 'query:to'],
      ] as const) {
        const response = await get(`/payments?${query}`, tokens.operator);
        expectProblem(response, 400, 'LGSP_VALIDATION_FAILED');
        expect(response.body.errors.map((error: { field: string }) => error.field).join(' ')).toContain(field);
      }
    });

    it('shows one payment with its history and every IPN that named it (verdict, answer, time, source), without bodies', async () => {
      const response = await get(`/payments/${paid}`, tokens.operator);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ reference: paid, state: 'paid', payer: { masked: 'NGU***************ỌC' }, items: [{ code: 'LP01' }, { code: 'P02' }] });
      expect(response.body.payer).not.toHaveProperty('hash');
      expect(response.body.history.map((line: { to: string; source: string }) => `${line.to}:${line.source}`)).toEqual(['created:create', 'pending:init', 'paid:ipn']);
      expect(response.body.ipns).toEqual([
        expect.objectContaining({ verdict: 'applied', answerCode: '00', sourceIp: '203.0.113.10', linked: true, amount: 150_000, currency: 'VND', secretIndex: 0, receivedAt: expect.any(String) }),
        expect.objectContaining({ verdict: 'replay', answerCode: '00', linked: true }),
        expect.objectContaining({ verdict: 'refused_checksum', answerCode: '01', sourceIp: '198.51.100.66', linked: false, secretIndex: null }),
      ]);
      for (const ipn of response.body.ipns) expect(ipn).not.toHaveProperty('rawBody');
      expect(response.body.anomalies).toEqual([]);
      expect(JSON.stringify(response.body)).not.toContain(payerName);

      expectProblem(await get('/payments/NOSUCHREFERENCE', tokens.operator), 404, 'LGSP_NOT_FOUND');
      expectProblem(await get(`/payments/${paid.toLowerCase()}`, tokens.operator), 404, 'LGSP_NOT_FOUND');
      expectProblem(await get(`/payments/${paid}?verbose=true`, tokens.operator), 400, 'LGSP_VALIDATION_FAILED');
    });

    it('gives the raw IPN bodies to an admin who asks (?raw=true), recorded in the admin audit stream; never to an operator', async () => {
      expectProblem(await get(`/payments/${paid}?raw=true`, tokens.operator), 403, 'LGSP_ROLE_REQUIRED');
      const response = await get(`/payments/${paid}?raw=true`, tokens.admin);
      expect(response.status).toBe(200);
      const bodies = response.body.ipns.map((ipn: { rawBody: string }) => JSON.parse(ipn.rawBody) as Record<string, string>);
      // An authentic IPN holds the platform's fields only: none of them names the payer.
      expect(Object.keys(bodies[0]).sort()).toEqual(['LoaiBanTin', 'MaDoiTac', 'MaGiaoDich', 'MaLoi', 'MaNganHang', 'MaThamChieu', 'MaTienTe', 'MaXacThuc', 'SoTien', 'ThoiGianGD', 'ThongTinGiaoDich'].sort());
      expect(bodies[0].MaThamChieu).toBe(paid);
      // A forger's body is whatever it sent: this is why it is an admin's read, and audited.
      expect(bodies[2].ThongTinGiaoDich).toContain('forged by');
      const { rows } = await fixture.store.query<{ actor: string; action: string; after: Record<string, unknown> }>(
        "SELECT actor, action, after FROM admin_audit_log WHERE resource_type = 'payment_ipn_raw' AND resource_id = $1",
        [paid],
      );
      expect(rows).toEqual([{ actor: 'admin', action: 'read', after: { returned: 3, ids: response.body.ipns.map((ipn: { id: number }) => ipn.id) } }]);
    });

    it('serves the daily reconciliation report as JSON, and as CSV for Accept: text/csv or format=csv (an attachment)', async () => {
      const date = vietnamToday();
      const json = await get(`/payments/reconciliation?date=${date}`, tokens.operator);
      expect(json.status).toBe(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.body).toMatchObject({ date, total: { count: 4, amount: '600000' } });
      expect(json.body.byState).toEqual(expect.arrayContaining([{ state: 'paid', count: 1, amount: '150000' }, { state: 'pending', count: 2, amount: '300000' }]));

      for (const asked of [get(`/payments/reconciliation?date=${date}`, tokens.operator).set('accept', 'text/csv'), get(`/payments/reconciliation?date=${date}&format=csv`, tokens.admin)]) {
        const csv = await asked;
        expect(csv.status).toBe(200);
        expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
        expect(csv.headers['content-disposition']).toBe(`attachment; filename="payments-reconciliation-${date}.csv"`);
        const lines = csv.text.split('\r\n');
        expect(lines[0]).toBe('date,section,state_or_kind,reference,count,amount_vnd,at,detail,payer_masked');
        expect(lines).toContain(`${date},total,all,,4,600000,,,`);
      }
      expectProblem(await get(`/payments/reconciliation?date=${date}`, tokens.auditor), 403, 'LGSP_ROLE_REQUIRED');
    });

    it('refuses a missing or impossible date as a 400 problem', async () => {
      for (const query of ['', '?date=2025-02-30', '?date=2025-13-01', '?date=yesterday', '?date=2025-5-1', `?date=${vietnamToday()}&format=xml`]) {
        const response = await get(`/payments/reconciliation${query}`, tokens.operator);
        expectProblem(response, 400, 'LGSP_VALIDATION_FAILED');
        expect(response.body.errors[0].field).toMatch(/^query:(date|format)$/);
      }
    });

    it('runs reconciliation now for lgsp-admin only, answers its summary and records who ran it', async () => {
      // The open payment was paid at the platform and its IPN lost; the other one is 40 minutes old too, still waiting.
      await fixture.store.query('UPDATE payments SET created_at = $2 WHERE reference = ANY($1::text[])', [[open, other], new Date(Date.now() - 40 * minute)]);
      expect(paygov.sandbox.pay(open, 'VCB')).toBe(true);
      await paygov.sandbox.idle();
      const post = (token: string) => request(url).post('/admin/v1/payments/reconciliation/run').set('authorization', `Bearer ${token}`);
      expectProblem(await post(tokens.operator), 403, 'LGSP_ROLE_REQUIRED');
      expectProblem(await post(tokens.auditor), 403, 'LGSP_ROLE_REQUIRED');
      const response = await post(tokens.admin);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ runId: expect.any(String), summary: { examined: 2, paid: 1, stillPending: 1, errors: 0 } });
      expect((await fixture.payments.get(open))!.state).toBe('paid');
      const { rows } = await fixture.store.query<{ actor: string; action: string; resource_id: string; after: Record<string, unknown> }>(
        "SELECT actor, action, resource_id, after FROM admin_audit_log WHERE resource_type = 'payment_reconciliation_run'",
      );
      expect(rows).toEqual([{ actor: 'admin', action: 'create', resource_id: response.body.runId, after: expect.objectContaining({ outcome: 'done', summary: response.body.summary }) }]);
      expectProblem(await request(url).post('/admin/v1/payments/reconciliation/run?now=1').set('authorization', `Bearer ${tokens.admin}`), 400, 'LGSP_VALIDATION_FAILED');
    });

    it('lists the anomalies recorded about a payment with it', async () => {
      // The platform says paid with another amount: recorded by reconciliation, never applied.
      await fixture.store.query('UPDATE payments SET total_amount = 149000 WHERE reference = $1', [other]);
      paygov.sandbox.pay(other, 'VCB');
      await paygov.sandbox.idle();
      expect(await reconciliation.runNow()).toMatchObject({ anomalies: 1 });
      const response = await get(`/payments/${other}`, tokens.operator);
      expect(response.body.state).toBe('pending');
      expect(response.body.anomalies).toEqual([{ at: expect.any(String), detail: expect.objectContaining({ anomaly: 'amount_mismatch', expectedAmount: 149_000, reportedAmount: 150_000 }) }]);
    });
  });
}
