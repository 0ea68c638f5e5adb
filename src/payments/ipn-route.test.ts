import express from 'express';
import request from 'supertest';
import { Registry } from 'prom-client';
import { verifyIpnChecksum } from '../../connectors/paygov/checksum.js';
import { problemResponder } from '../errors/problem-responder.js';
import { requestContextMiddleware } from '../pipeline/request-context.js';
import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { createIpnCounter, createIpnRouter } from './ipn-route.js';
import { callbackCredentials } from './payments-wiring.js';
import { activeSecret, openPayments, partnerCode, paymentInput, previousSecret, sealedIpn, type PaymentsFixture } from './test-support/payments-harness.js';

/**
 * The IPN route over a real store (PGlite) and the real processor: the raw
 * body capped while it streams, the platform's answer for every verdict, and
 * a 503 problem carrying MaLoi 99 when the credentials or the database fail.
 */
const target = pgliteStoreTarget();
afterAll(() => target.dispose());

function appWith(fixture: PaymentsFixture, credentials: { active?: Record<string, unknown>; previous?: { fields: Record<string, unknown>; usableUntil: Date } }) {
  const registry = new Registry();
  const counter = createIpnCounter(registry);
  const runtime = { usableCredentials: () => (credentials.active ? { source: 'vault' as const, active: credentials.active, ...(credentials.previous && { previous: credentials.previous }) } : undefined) };
  const fromRuntime = callbackCredentials(runtime, 'paygov', { secret: 'secretKey', partnerCode: 'partnerCode' });
  const app = express();
  app.use(requestContextMiddleware);
  app.use(createIpnRouter({ processor: { ...fixture.deps, partnerCode: fromRuntime.partnerCode, secrets: fromRuntime.secrets, verifyChecksum: verifyIpnChecksum, maxBodyBytes: 2048 }, counter, logger: fixture.log.logger }));
  app.use(problemResponder(fixture.log.logger));
  return { app, registry };
}

describe('POST /callbacks/paygov/ipn', () => {
  let fixture: PaymentsFixture;
  let reference: string;
  beforeAll(async () => {
    fixture = await openPayments(target);
    ({ payment: { reference } } = await fixture.payments.create(paymentInput(), { consumerId: 'one-stop', idempotencyKey: 'route-1' }));
    await fixture.payments.applyOutcome(reference, { state: 'pending', paymentUrl: 'https://pay.example/1' }, 'init');
  });

  it('answers every processed verdict 200 in the platform format, counting it; the previous secret counts while its window lasts', async () => {
    const later = new Date(Date.now() + 60_000);
    const { app, registry } = appWith(fixture, { active: { partnerCode, secretKey: activeSecret }, previous: { fields: { partnerCode, secretKey: previousSecret }, usableUntil: later } });
    const forged = await request(app).post('/callbacks/paygov/ipn').send(sealedIpn(reference, {}, 'not-the-secret'));
    expect([forged.status, forged.body]).toEqual([200, { MaLoi: '01', MoTaLoi: 'Sai mã xác thực' }]);
    const sealedWithPrevious = await request(app).post('/callbacks/paygov/ipn').send(sealedIpn(reference, {}, previousSecret));
    expect([sealedWithPrevious.status, sealedWithPrevious.body.MaLoi]).toEqual([200, '00']);
    expect((await fixture.payments.get(reference))!.state).toBe('paid');
    const metrics = await registry.metrics();
    expect(metrics).toContain('lgsp_payment_ipn_total{verdict="refused_checksum"} 1');
    expect(metrics).toContain('lgsp_payment_ipn_total{verdict="applied"} 1');
    expect(metrics).toContain('lgsp_payment_ipn_total{verdict="unavailable"} 0');
  });

  it('reads at most the cap (plus one byte) of a body, and refuses it as malformed, closing the connection', async () => {
    const { app } = appWith(fixture, { active: { partnerCode, secretKey: activeSecret } });
    const answer = await request(app).post('/callbacks/paygov/ipn').set('content-type', 'application/json').send('{"x":"' + 'y'.repeat(10_000) + '"}');
    expect([answer.status, answer.body.MaLoi, answer.headers.connection]).toEqual([200, '02', 'close']);
    const { rows } = await fixture.store.query<{ body_bytes: number; raw_truncated: boolean }>('SELECT body_bytes, raw_truncated FROM payment_ipns ORDER BY id DESC LIMIT 1');
    expect(rows[0]).toEqual({ body_bytes: 2049, raw_truncated: true });
  });

  it('answers 503 problem+json with MaLoi 99 and stores nothing when the credentials are unusable (a stopped database: test/e2e/payments-database-down)', async () => {
    const count = async () => Number((await fixture.store.query<{ n: number }>('SELECT count(*)::integer AS n FROM payment_ipns')).rows[0]!.n);
    const before = await count();
    const noCredentials = appWith(fixture, {});
    const unusable = await request(noCredentials.app).post('/callbacks/paygov/ipn').send(sealedIpn(reference));
    expect(unusable.status).toBe(503);
    expect(unusable.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unusable.body).toMatchObject({ code: 'LGSP_PAYMENT_CALLBACK_UNAVAILABLE', MaLoi: '99', MoTaLoi: 'Lỗi hệ thống', requestId: expect.any(String) });
    expect(await noCredentials.registry.metrics()).toContain('lgsp_payment_ipn_total{verdict="unavailable"} 1');

    expect(await count()).toBe(before);
    expect(fixture.log.text()).not.toContain(activeSecret);
  });
});
