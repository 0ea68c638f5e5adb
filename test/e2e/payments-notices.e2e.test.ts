import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { PaygovSandbox } from '../../connectors/paygov/sandbox/server.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { verifyWebhookSignature } from '../../src/util/webhook-signature.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 15, items 5 and 6, through the whole gateway as `npm start` wires it
 * (real PostgreSQL): a final state reaches the one-stop system as a signed
 * webhook (once) and a synced dossier's portal record as a processing step;
 * a payment whose IPN never came is settled by the reconciliation job (run
 * on demand through the admin API), listed by the daily report, and counted
 * in /metrics. The payer's name is in none of it.
 */

const noticeSecret = 'one-stop-webhook-secret-for-tests';
const payerName = 'Hoàng Thị Thu Trang';
const procedureCode = wellKnownProcedureCodes.criminalRecordCertificate;

interface ReceivedNotice {
  eventId: string;
  signatureValid: boolean;
  body: Record<string, unknown>;
  raw: string;
}

let harness: Harness;
let paygov: PaygovSandbox;
let portal: PublicServicePortalSandbox;
let receiver: Server;
const notices: ReceivedNotice[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      notices.push({
        eventId: String(req.headers['x-lgsp-event-id']),
        signatureValid: verifyWebhookSignature(noticeSecret, { timestamp: req.headers['x-lgsp-timestamp'] as string, signature: req.headers['x-lgsp-signature'] as string }, raw),
        body: JSON.parse(raw) as Record<string, unknown>,
        raw,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lgsp/payments`;
  harness = await startHarness({
    store: 'pg',
    overrides: {
      outbox: { pollIntervalMs: 50, baseDelayMs: 20, maxDelayMs: 200 },
      payments: {
        notifications: { url: receiverUrl, secret: noticeSecret },
        // Scheduled runs out of the way: this test runs reconciliation on demand, with no minimum age.
        reconciliation: { intervalMs: 3_600_000, minAgeMs: 0 },
      },
      health: { probeIntervalMs: 3_600_000 },
    },
  });
  paygov = harness.stack.sandboxes.paygov as unknown as PaygovSandbox;
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
}, 90_000);

afterAll(async () => {
  await paygov?.idle();
  await harness?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const api = () => request(harness.url);
let serial = 0;
const nextDossier = () => `000.00.01.H22-250716-${String(++serial).padStart(4, '0')}`;

async function createPayment(dossierCode: string): Promise<{ reference: string; paymentUrl: string }> {
  const token = await harness.token();
  const created = await api()
    .post('/api/v1/payments')
    .set(personalDataHeaders(token))
    .set('idempotency-key', `notice-${dossierCode}`)
    .send({ dossierCode, procedureCode, agencyCode: '000.00.01.H22', payer: { name: payerName }, items: [{ code: 'LEPHI', name: 'Lệ phí cấp Phiếu lý lịch tư pháp', amount: 200_000 }] });
  expect(created.status).toBe(201);
  return created.body as { reference: string; paymentUrl: string };
}

const noticesOf = (reference: string) => notices.filter((notice) => notice.body.reference === reference);

describe('payment notices and reconciliation through the gateway (real PostgreSQL)', () => {
  it('a paid payment of a synced dossier: one signed webhook to the one-stop system and one processing step on the portal, without the payer', async () => {
    const dossierCode = nextDossier();
    const token = await harness.token();
    // The dossier is synced to the portal first (awaiting payment).
    const synced = await api()
      .put(`/api/v1/public-service-portal/dossiers/${dossierCode}`)
      .set(personalDataHeaders(token))
      .send({
        dossierCode, procedureCode, applicant: { kind: 'citizen', id: '001090012345', name: payerName }, summary: 'Cấp Phiếu lý lịch tư pháp',
        receivedAt: '2025-07-16T08:30:00+07:00', dueAt: '2025-07-25T17:00:00+07:00', status: 'awaiting_payment',
      });
    expect(synced.status).toBe(202);
    await eventually(async () => portal.dossiers.get(dossierCode), (held) => held !== undefined, 15_000);

    const { reference } = await createPayment(dossierCode);
    expect(paygov.pay(reference, 'VCB')).toBe(true);
    await eventually(async () => noticesOf(reference), (received) => received.length >= 1, 15_000);
    const [notice] = noticesOf(reference);
    expect(notice!.signatureValid).toBe(true);
    expect(notice!.body).toMatchObject({ event: 'payment.final', reference, dossierCode, procedureCode, state: 'paid', totalAmount: 200_000, currency: 'VND' });
    expect(notice!.eventId).toMatch(/\S+/);
    expect(notice!.raw).not.toContain(payerName);

    // The portal's record of the dossier gets the payment as a processing step, after the dossier itself.
    await eventually(async () => portal.dossiers.get(dossierCode)?.progress ?? [], (steps) => steps.length === 1, 15_000);
    const step = portal.dossiers.get(dossierCode)!.progress[0]!;
    expect(step.NoiDungXuLy).toContain(reference);
    expect(JSON.stringify(step)).not.toContain(payerName);

    // Delivered once: a replayed IPN changes nothing and sends nothing.
    const delivery = paygov.deliveries.find((entry) => entry.message.MaThamChieu === reference)!;
    const replay = await api().post('/callbacks/paygov/ipn').set('content-type', 'application/json').send(JSON.stringify(delivery.message));
    expect(replay.body.MaLoi).toBe('00');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(noticesOf(reference)).toHaveLength(1);
    expect(portal.dossiers.get(dossierCode)!.progress).toHaveLength(1);
  });

  it('a payment whose IPN never came is settled by reconciliation (admin run), notified, reported and counted', async () => {
    const dossierCode = nextDossier();
    const { reference } = await createPayment(dossierCode);
    // The platform takes the money but its IPN is lost on the way.
    paygov.setIpnUrl(undefined);
    try {
      expect(paygov.pay(reference, 'BIDV')).toBe(true);
      await paygov.idle();
    } finally {
      paygov.gatewayListening(harness.url);
    }
    const token = await harness.token();
    expect((await api().get(`/api/v1/payments/${reference}`).set('authorization', `Bearer ${token}`)).body.state).toBe('pending');

    const { admin, operator } = await harness.staffTokens();
    // Running it is an administrator's act.
    expect((await api().post('/admin/v1/payments/reconciliation/run').set('authorization', `Bearer ${operator}`)).status).toBe(403);
    const run = await api().post('/admin/v1/payments/reconciliation/run').set('authorization', `Bearer ${admin}`);
    expect(run.status).toBe(200);
    expect(JSON.stringify(run.body)).toMatch(/"paid":[1-9]/);

    const shown = await api().get(`/api/v1/payments/${reference}`).set('authorization', `Bearer ${token}`);
    expect(shown.body).toMatchObject({ state: 'paid', platformTransactionId: expect.any(String) });
    expect(shown.body.history.at(-1)).toMatchObject({ from: 'pending', to: 'paid', source: 'query' });
    await eventually(async () => noticesOf(reference), (received) => received.length === 1, 15_000);
    expect(noticesOf(reference)[0]!.body).toMatchObject({ state: 'paid', reference });

    // The daily report (Vietnam's day) counts it, as JSON and as CSV; the payer appears masked at most.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const report = await api().get(`/admin/v1/payments/reconciliation?date=${today}`).set('authorization', `Bearer ${operator}`);
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.body)).toContain('paid');
    const csv = await api().get(`/admin/v1/payments/reconciliation?date=${today}&format=csv`).set('authorization', `Bearer ${operator}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).not.toContain(payerName);
    expect((await api().get('/admin/v1/payments/reconciliation?date=2025-13-40').set('authorization', `Bearer ${operator}`)).headers['content-type']).toMatch(/problem\+json/);

    const metrics = await (await fetch(`${harness.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/lgsp_payment_ipn_total\{verdict="applied"\} [1-9]/);
    expect(metrics).toContain('lgsp_payment_anomalies_total{kind="late_failure_after_paid"} 0');
    expect(harness.logs.join('')).not.toContain(payerName);
    expect(harness.logs.join('')).not.toContain(noticeSecret);
  });
});
