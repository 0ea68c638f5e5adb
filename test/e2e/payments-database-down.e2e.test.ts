import request from 'supertest';
import type { PaygovSandbox } from '../../connectors/paygov/sandbox/server.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { findPostgresBin, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

/**
 * Issue 15: an IPN that arrives while PostgreSQL is down is answered 503
 * (application/problem+json with the platform's MaLoi "99"), so the platform
 * delivers it again; nothing of it is stored or applied. Once the database
 * is back, the same IPN applies, once. The database is a private PostgreSQL
 * really stopped (`pg_ctl stop -m immediate`).
 */

// Never skipped: without the server binaries this file fails, saying what to install.
const bin = await findPostgresBin();

let postgres: PrivatePostgres | undefined;
let harness: Harness | undefined;
let paygov: PaygovSandbox;
let token: string;

beforeAll(async () => {
  if (!bin) {
    throw new Error('payments-database-down needs the PostgreSQL server binaries initdb and pg_ctl (looked in /usr/lib/postgresql/<version>/bin and on PATH): install them, e.g. apt-get install postgresql');
  }
  postgres = await startPrivatePostgres(bin);
  harness = await startHarness({
    store: 'pg',
    databaseUrl: postgres.url,
    overrides: { store: { connectionTimeoutMs: 1_000 }, health: { probeIntervalMs: 3_600_000 } },
  });
  paygov = harness.stack.sandboxes.paygov as unknown as PaygovSandbox;
  token = await harness.token();
}, 120_000);

afterAll(async () => {
  await paygov?.idle();
  await harness?.close();
  await postgres?.destroy();
}, 60_000);

describe('an IPN while the database is down', () => {
  it('is answered 503 with MaLoi 99 (retried by the platform), stores and applies nothing, and applies once when delivered again', async () => {
    const api = () => request(harness!.url);
    const dossierCode = '000.00.01.H22-250717-0001';
    const created = await api()
      .post('/api/v1/payments')
      .set({ ...personalDataHeaders(token), 'idempotency-key': `down-${dossierCode}` })
      .send({ dossierCode, procedureCode: '1.003560.000.00.00.H56', payer: { name: 'Phạm Thị Hồng Nhung' }, items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 200_000 }] });
    expect(created.status).toBe(201);
    const reference = created.body.reference as string;

    await postgres!.stop();
    try {
      // The payer pays: every delivery attempt of the platform meets the database outage.
      expect(paygov.pay(reference)).toBe(true);
      await paygov.idle();
      const delivery = paygov.deliveries.find((item) => item.message.MaThamChieu === reference)!;
      expect(delivery.answer).toBeUndefined();
      expect(delivery.attempts.length).toBe(3);
      for (const attempt of delivery.attempts) expect(attempt).toMatchObject({ status: 503, answer: { code: 'LGSP_PAYMENT_CALLBACK_UNAVAILABLE', MaLoi: '99' } });

      const direct = await api().post('/callbacks/paygov/ipn').set('content-type', 'application/json').send(JSON.stringify(delivery.message));
      expect(direct.status).toBe(503);
      expect(direct.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(direct.headers['retry-after']).toBe('5');
      expect(direct.body).toMatchObject({ status: 503, code: 'LGSP_PAYMENT_CALLBACK_UNAVAILABLE', MaLoi: '99', MoTaLoi: 'Lỗi hệ thống' });
    } finally {
      await postgres!.start();
    }

    const store = harness!.stack.gateway.store;
    await eventually(() => store.query('SELECT 1').then(() => true, () => false), (up) => up, 20_000);
    // Nothing of the refused deliveries was kept: no IPN row, no transition.
    expect((await store.query('SELECT 1 FROM payment_ipns WHERE parsed_reference = $1', [reference])).rowCount).toBe(0);
    expect((await api().get(`/api/v1/payments/${reference}`).set('authorization', `Bearer ${token}`)).body.state).toBe('pending');

    // The platform delivers it again: applied once.
    const message = JSON.stringify(paygov.deliveries.find((item) => item.message.MaThamChieu === reference)!.message);
    const again = await api().post('/callbacks/paygov/ipn').set('content-type', 'application/json').send(message);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ MaLoi: '00', MoTaLoi: 'Thành công' });
    expect((await api().post('/callbacks/paygov/ipn').set('content-type', 'application/json').send(message)).body.MaLoi).toBe('00');
    const verdicts = (await store.query<{ verdict: string }>('SELECT verdict FROM payment_ipns WHERE parsed_reference = $1 ORDER BY id', [reference])).rows.map((row) => row.verdict);
    expect(verdicts).toEqual(['applied', 'replay']);
    expect((await api().get(`/api/v1/payments/${reference}`).set('authorization', `Bearer ${token}`)).body.state).toBe('paid');

    const metrics = await (await fetch(`${harness!.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/lgsp_payment_ipn_total\{verdict="unavailable"\} 4/);
    const logs = harness!.logs.join('');
    expect(logs).toContain('paygov IPN could not be processed');
    for (const needle of ['Phạm Thị Hồng Nhung', 'dev-only-paygov-checksum-secret', 'MaXacThuc']) expect(logs).not.toContain(needle);
  }, 120_000);
});
