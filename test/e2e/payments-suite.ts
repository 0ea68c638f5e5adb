import http from 'node:http';
import request from 'supertest';
import { ipnChecksum, type IpnChecksumFields } from '../../connectors/paygov/checksum.js';
import type { PaygovSandbox } from '../../connectors/paygov/sandbox/server.js';
import type { HostileIpnMode } from '../../connectors/paygov/sandbox/ipn-sender.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { countByRequestId } from '../../src/audit/audit-reader.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import type { PaymentAnomaly } from '../../src/payments/payment-states.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 15 end to end: the embedded stack (dev IdP, every sandbox, the real
 * paygov platform simulator with its payer page and IPNs) on the given
 * store. A consumer creates a payment, the payer pays on the sandbox's page,
 * the platform's IPN reaches POST /callbacks/paygov/ipn, and the payment is
 * paid; every hostile behaviour of the platform is handled as the issue says
 * and applied at most once.
 */
export function describePaymentsEndToEnd(store: 'pglite' | 'pg'): void {
  const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
  const paymentContract = contracts.validator('https://lgsp.gov.vn/contracts/paygov/v1/payment.json');
  const receiptContract = contracts.validator('https://lgsp.gov.vn/contracts/paygov/v1/payment-receipt.json');
  // The payer: unlike anything else in the logs, so a leak is found by grep.
  const payerName = 'Trần Thị Mỹ Duyên';
  const devSecret = 'dev-only-paygov-checksum-secret';
  const partnerCode = 'LGSP-DEV';
  /** Listed in the sandbox catalog at 200 000 (in person) and 100 000 (online) VND under LEPHI. */
  const procedureCode = wellKnownProcedureCodes.criminalRecordCertificate;
  const maxBodyBytes = 4096;
  const landOffice = { clientId: 'land-office-system', clientSecret: 'land-office-system-dev-secret' };

  let harness: Harness;
  let paygov: PaygovSandbox;
  let token: string;
  const anomalies: Array<[PaymentAnomaly, string]> = [];

  beforeAll(async () => {
    harness = await startHarness({
      store,
      paymentHooks: { onAnomaly: (kind, reference) => void anomalies.push([kind, reference]) },
      overrides: {
        // Behind a proxy the allowlist reads X-Forwarded-For: the sandbox (loopback) and a documentation range may deliver.
        server: { trustProxy: true },
        payments: { ipn: { maxBodyBytes, allowedSources: ['127.0.0.1', '::1', '203.0.113.0/24'] } },
        health: { probeIntervalMs: 3_600_000 },
      },
    });
    paygov = harness.stack.sandboxes.paygov as unknown as PaygovSandbox;
    token = await harness.token();
  }, 90_000);

  afterAll(async () => {
    await paygov?.idle();
    await harness?.close();
  });

  let serial = 0;
  /** A fresh dossier per payment: counts are made per dossier. */
  const nextDossier = () => `000.00.01.H22-250715-${String(++serial).padStart(4, '0')}`;
  const createBody = (dossierCode: string, overrides: Record<string, unknown> = {}) => ({
    dossierCode,
    procedureCode,
    agencyCode: '000.00.01.H22',
    payer: { name: payerName },
    items: [{ code: 'LEPHI', name: 'Lệ phí cấp Phiếu lý lịch tư pháp', amount: 200_000, kind: 'charge' }],
    ...overrides,
  });
  const api = () => request(harness.url);
  const create = (body: object, key: string | undefined, as = token) => {
    const call = api().post('/api/v1/payments').set(personalDataHeaders(as));
    return (key === undefined ? call : call.set('idempotency-key', key)).send(body);
  };
  const status = (reference: string, as = token) => api().get(`/api/v1/payments/${reference}`).set('authorization', `Bearer ${as}`);
  const receipt = (reference: string) => api().get(`/api/v1/payments/${reference}/receipt`).set(personalDataHeaders(token));
  const db = () => harness.stack.gateway.store;
  const paymentsOf = async (dossierCode: string) => (await db().query<{ reference: string }>('SELECT reference FROM payments WHERE dossier_code = $1', [dossierCode])).rows;
  const transitions = async (reference: string) =>
    (await db().query<{ from_state: string | null; to_state: string; source: string }>('SELECT from_state, to_state, source FROM payment_transitions WHERE payment_reference = $1 ORDER BY id', [reference])).rows;
  const ipnRows = async (reference: string) =>
    (await db().query<{ verdict: string; answer_code: string; raw_truncated: boolean; body_bytes: number; source_ip: string }>('SELECT verdict, answer_code, raw_truncated, body_bytes, source_ip FROM payment_ipns WHERE parsed_reference = $1 ORDER BY id', [reference])).rows;
  const ipnCount = async () => Number((await db().query<{ n: number }>('SELECT count(*)::integer AS n FROM payment_ipns')).rows[0]!.n);
  const inits = () => paygov.faults.calls('INIT');
  /** A pending payment: created (201) and registered with the platform. */
  const pendingPayment = async (overrides: Record<string, unknown> = {}) => {
    const dossierCode = nextDossier();
    const created = await create(createBody(dossierCode, overrides), `key-${dossierCode}`);
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('pending');
    return created.body as { reference: string; paymentUrl: string; totalAmount: number };
  };
  /** An IPN as the platform would seal it (the dev secret unless told otherwise). */
  const sealedIpn = (reference: string, amount: number, fields: Partial<IpnChecksumFields> = {}, secret = devSecret) => {
    const message: IpnChecksumFields = {
      LoaiBanTin: 'IPN', MaLoi: '00', MaDoiTac: partnerCode, MaThamChieu: reference, SoTien: String(amount), MaTienTe: 'VND',
      MaGiaoDich: 'PG2507150000XX', MaNganHang: 'VCB', ThoiGianGD: '20250715091500', ThongTinGiaoDich: 'Nop le phi', ...fields,
    };
    return JSON.stringify({ ...message, MaXacThuc: ipnChecksum(message, secret) });
  };
  const postIpn = (body: string, headers: Record<string, string> = {}) => api().post('/callbacks/paygov/ipn').set({ 'content-type': 'application/json', ...headers }).send(body);

  describe(`payments on ${store}`, () => {
    it('create → payment URL → the payer pays on the platform page → the IPN arrives → the payment is paid, with its history; the receipt follows', async () => {
      const dossierCode = nextDossier();
      const before = inits();
      const created = await create(createBody(dossierCode), `key-${dossierCode}`).set('x-request-id', `pay-create-${store}`);
      expect(created.status).toBe(201);
      expect(paymentContract(created.body)).toBe(true);
      expect(created.body).toMatchObject({
        dossierCode, procedureCode, state: 'pending', totalAmount: 200_000, currency: 'VND', feeCheck: 'matched', duplicate: false,
        payer: { masked: expect.stringMatching(/^TRẦ\*+ÊN$/) },
        history: [{ to: 'created', source: 'create' }, { from: 'created', to: 'pending', source: 'init' }],
      });
      expect(created.body.paymentUrl).toMatch(new RegExp(`^${paygov.baseUrl}/thanh-toan/[0-9a-f]{32}$`));
      expect(inits() - before).toBe(1);
      // Personal data left the gateway (the payer's name, to the platform): one audit record for the call.
      expect(await countByRequestId(db(), `pay-create-${store}`)).toBe(1);

      const reference = created.body.reference as string;
      expect((await receipt(reference)).body).toMatchObject({ status: 409, code: 'LGSP_PAYMENT_NOT_PAID', state: 'pending' });

      // The payer's page, as a browser sees it: a plain form posting the payment.
      const page = await fetch(created.body.paymentUrl);
      expect(page.status).toBe(200);
      const html = await page.text();
      const action = /<form method="post" action="([^"]+\/pay)">/.exec(html)?.[1];
      expect(action).toBeDefined();
      const paid = await fetch(new URL(action!, created.body.paymentUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MaNganHang=VCB', redirect: 'manual' });
      expect(paid.status).toBe(303);
      await paygov.idle();

      const shown = await status(reference);
      expect(shown.status).toBe(200);
      expect(paymentContract(shown.body)).toBe(true);
      expect(shown.body).toMatchObject({ reference, state: 'paid', bankCode: 'VCB', platformTransactionId: expect.any(String), paidAt: expect.any(String), finalAt: expect.any(String) });
      expect(shown.body.history.map((line: { from?: string; to: string; source: string }) => [line.from ?? null, line.to, line.source])).toEqual([
        [null, 'created', 'create'],
        ['created', 'pending', 'init'],
        ['pending', 'paid', 'ipn'],
      ]);
      expect(shown.body.duplicate).toBeUndefined();
      expect(await ipnRows(reference)).toEqual([expect.objectContaining({ verdict: 'applied', answer_code: '00' })]);
      expect(paygov.deliveries.find((delivery) => delivery.message.MaThamChieu === reference)?.answer).toEqual({ MaLoi: '00', MoTaLoi: 'Thành công' });

      const issued = await receipt(reference).set('x-request-id', `pay-receipt-${store}`);
      expect(issued.status).toBe(200);
      expect(receiptContract(issued.body)).toBe(true);
      expect(issued.body).toMatchObject({ reference, payerName, totalAmount: 200_000, currency: 'VND', receiptNumber: expect.any(String), items: [{ code: 'LEPHI', amount: 200_000 }] });
      expect(await countByRequestId(db(), `pay-receipt-${store}`)).toBe(1);

      const metrics = await (await fetch(`${harness.opsUrl}/metrics`)).text();
      expect(metrics).toMatch(/lgsp_payment_ipn_total\{verdict="applied"\} [1-9]/);
    });

    it('is idempotent: the same key twice is one payment and one INIT; another body under the key is 422; 10 at once are one payment', async () => {
      const dossierCode = nextDossier();
      const before = inits();
      const first = await create(createBody(dossierCode), `key-${dossierCode}`);
      const again = await create(createBody(dossierCode), `key-${dossierCode}`);
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ reference: first.body.reference, paymentUrl: first.body.paymentUrl, duplicate: true, state: 'pending' });
      expect(inits() - before).toBe(1);
      expect(await paymentsOf(dossierCode)).toHaveLength(1);

      const other = await create(createBody(dossierCode, { items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 100_000 }] }), `key-${dossierCode}`);
      expect(other.status).toBe(422);
      expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(other.body.code).toBe('LGSP_IDEMPOTENCY_KEY_REUSED');
      expect(await paymentsOf(dossierCode)).toHaveLength(1);

      const racing = nextDossier();
      const racingBefore = inits();
      const answers = await Promise.all(Array.from({ length: 10 }, () => create(createBody(racing), `key-${racing}`)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((answer) => answer.body.reference)).size).toBe(1);
      expect(answers.every((answer) => answer.body.state === 'pending' && typeof answer.body.paymentUrl === 'string')).toBe(true);
      expect(await paymentsOf(racing)).toHaveLength(1);
      expect(inits() - racingBefore).toBe(1);
    });

    it('requires an Idempotency-Key (400 naming the header), and stores nothing without it', async () => {
      const dossierCode = nextDossier();
      const refused = await create(createBody(dossierCode), undefined);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', errors: [{ field: 'header:Idempotency-Key' }] });
      expect(await paymentsOf(dossierCode)).toHaveLength(0);
    });

    it("refuses an amount the catalog's fee table does not list (422 naming the item) and creates nothing; an unlisted procedure or a failing catalog lets it through, saying so", async () => {
      const dossierCode = nextDossier();
      const before = inits();
      const body = createBody(dossierCode, { items: [{ code: 'PHI', name: 'Phí', amount: 5_000 }, { code: 'LEPHI', name: 'Lệ phí', amount: 150_000 }] });
      const refused = await create(body, `key-${dossierCode}`);
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({
        code: 'LGSP_FEE_MISMATCH',
        errors: [{ field: 'items[1].amount', message: 'fee LEPHI is listed at 100000, 200000 VND, not 150000' }],
        mismatches: [{ item: 1, code: 'LEPHI', amount: 150_000, listedAmounts: [100_000, 200_000] }],
      });
      expect(await paymentsOf(dossierCode)).toHaveLength(0);
      expect(inits() - before).toBe(0);
      // The online channel's amount is listed too.
      expect((await create(createBody(dossierCode, { items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 100_000 }] }), `key-${dossierCode}`)).body).toMatchObject({ feeCheck: 'matched' });

      const unlisted = nextDossier();
      const notListed = await create(createBody(unlisted, { procedureCode: wellKnownProcedureCodes.unknown }), `key-${unlisted}`);
      expect(notListed.status).toBe(201);
      expect(notListed.body.feeCheck).toBe('not_listed');

      const portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
      portal.faults.set({ kind: 'http-500' });
      try {
        const down = nextDossier();
        // A code nobody asked for yet: nothing of it is cached.
        const unchecked = await create(createBody(down, { procedureCode: '1.888888.000.00.00.H56' }), `key-${down}`);
        expect(unchecked.status).toBe(201);
        expect(unchecked.body.feeCheck).toBe('catalog_unavailable');
      } finally {
        portal.faults.clear();
      }
    });

    it("hides one consumer's payments from another: 404, the same as a reference that does not exist", async () => {
      const { staffTokens } = harness;
      const { admin } = await staffTokens();
      await api().post('/admin/v1/consumers').set('authorization', `Bearer ${admin}`)
        .send({ id: 'land-office', clientId: landOffice.clientId, name: 'Land office system', agency: 'Sở Nông nghiệp và Môi trường', status: 'active' });
      for (const operation of ['paygov.payment.get', 'paygov.payment.receipt']) {
        await api().post('/admin/v1/grants').set('authorization', `Bearer ${admin}`)
          .send({ consumerId: 'land-office', operation, ...(operation.endsWith('receipt') && { purposes: ['DOSSIER-PROCESSING'] }), fields: ['*'] });
      }
      const other = (await requestClientCredentialsToken(harness.stack.idp.tokenUrl, landOffice)).access_token;
      const { reference } = await pendingPayment();
      const theirs = await eventually(() => status(reference, other), (response) => response.status !== 403, 10_000);
      const none = await status('PG000000NOSUCHREF', other);
      expect(theirs.status).toBe(404);
      expect(theirs.body.code).toBe('LGSP_NOT_FOUND');
      const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined });
      expect(strip(theirs.body)).toEqual(strip(none.body));
      const theirReceipt = await api().get(`/api/v1/payments/${reference}/receipt`).set(personalDataHeaders(other));
      expect(theirReceipt.status).toBe(404);
      // The owner still sees it.
      expect((await status(reference)).status).toBe(200);
    });

    it('leaves a payment whose INIT failed created (the upstream problem for the caller); a retry with the same key registers it', async () => {
      const dossierCode = nextDossier();
      paygov.faults.set({ kind: 'http-500' }, { operation: 'INIT' });
      let failed;
      try {
        failed = await create(createBody(dossierCode), `key-${dossierCode}`);
      } finally {
        paygov.faults.clear();
      }
      expect(failed.status).toBe(502);
      expect(failed.body).toMatchObject({ code: 'LGSP_UPSTREAM_ERROR', connector: 'paygov' });
      const [stored] = await paymentsOf(dossierCode);
      expect((await status(stored!.reference)).body).toMatchObject({ state: 'created', history: [{ to: 'created' }] });

      const retried = await create(createBody(dossierCode), `key-${dossierCode}`);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ reference: stored!.reference, state: 'pending', duplicate: true, paymentUrl: expect.any(String) });
    });
  });

  describe(`the payments in the OpenAPI document on ${store}`, () => {
    it('says the create needs an Idempotency-Key and answers 201 (200 for a retry) or 422; the receipt may be a 409', async () => {
      const { body } = await api().get('/api/v1/openapi.json');
      const create = body.paths['/api/v1/payments'].post;
      expect(create.operationId).toBe('paygov.payment.create');
      expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '422', '502', '503', '504']));
      expect(create.responses['202']).toBeUndefined();
      expect(create.responses['422'].description).toContain('LGSP_FEE_MISMATCH');
      const receiptOperation = body.paths['/api/v1/payments/{reference}/receipt'].get;
      expect(receiptOperation.responses['409'].description).toContain('LGSP_PAYMENT_NOT_PAID');
      expect(body.paths['/api/v1/payments/{reference}'].get.parameters.map((parameter: { name: string }) => parameter.name)).not.toContain('Idempotency-Key');
      // No route of the API for the callback: it is no consumer operation.
      expect(Object.keys(body.paths).some((path) => path.includes('callbacks'))).toBe(false);
    });
  });

  describe(`the IPN route on ${store}`, () => {
    it('refuses a forged checksum (MaLoi 01) and keeps it as evidence; the payment does not move', async () => {
      const { reference, totalAmount } = await pendingPayment();
      const answer = await postIpn(sealedIpn(reference, totalAmount, {}, 'a-secret-that-is-not-the-shared-one'));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ MaLoi: '01', MoTaLoi: 'Sai mã xác thực' });
      expect(await ipnRows(reference)).toEqual([expect.objectContaining({ verdict: 'refused_checksum', answer_code: '01' })]);
      expect((await status(reference)).body.state).toBe('pending');
      // The genuine one still applies.
      expect((await postIpn(sealedIpn(reference, totalAmount))).body).toEqual({ MaLoi: '00', MoTaLoi: 'Thành công' });
      expect((await status(reference)).body.state).toBe('paid');
    });

    it('refuses a body over the cap without reading the rest of it, and stores what it read, marked truncated', async () => {
      const { reference, totalAmount } = await pendingPayment();
      const before = await ipnCount();
      const head = sealedIpn(reference, totalAmount).slice(0, -1) + ', "padding": "';
      const url = new URL('/callbacks/paygov/ipn', harness.url);
      // The body never ends: the answer can only come if the route stopped reading at its cap.
      const answer = await new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
        const outgoing = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode!, body: text, ...(response.headers.connection !== undefined && { connection: response.headers.connection }) }));
        });
        outgoing.on('error', reject);
        outgoing.write(head + 'x'.repeat(maxBodyBytes * 2));
        const drip = setInterval(() => outgoing.write('x'.repeat(1024)), 50);
        outgoing.on('close', () => clearInterval(drip));
        setTimeout(() => {
          clearInterval(drip);
          outgoing.destroy();
        }, 10_000).unref();
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ MaLoi: '02', MoTaLoi: 'Thông điệp không hợp lệ' });
      expect(answer.connection).toBe('close');
      const rows = (await db().query<{ verdict: string; raw_truncated: boolean; body_bytes: number; raw_body: string }>('SELECT verdict, raw_truncated, body_bytes, raw_body FROM payment_ipns ORDER BY id DESC LIMIT 1')).rows;
      expect(await ipnCount()).toBe(before + 1);
      expect(rows[0]).toMatchObject({ verdict: 'refused_malformed', raw_truncated: true, body_bytes: maxBodyBytes + 1 });
      expect(rows[0]!.raw_body.length).toBeLessThanOrEqual(maxBodyBytes);
      expect((await status(reference)).body.state).toBe('pending');
    });

    it('refuses a source outside the allowlist (MaLoi 01), stored with the address; an allowed one goes through', async () => {
      const { reference, totalAmount } = await pendingPayment();
      const refused = await postIpn(sealedIpn(reference, totalAmount), { 'x-forwarded-for': '198.51.100.7' });
      expect(refused.body).toEqual({ MaLoi: '01', MoTaLoi: 'Địa chỉ nguồn không được phép' });
      expect(await ipnRows(reference)).toEqual([expect.objectContaining({ verdict: 'refused_source_ip', source_ip: '198.51.100.7' })]);
      expect((await status(reference)).body.state).toBe('pending');
      const allowed = await postIpn(sealedIpn(reference, totalAmount), { 'x-forwarded-for': '203.0.113.9' });
      expect(allowed.body.MaLoi).toBe('00');
      expect((await status(reference)).body.state).toBe('paid');
    });

    it('applies 50 concurrent deliveries of one IPN once: one transition, the others acknowledged as replays', async () => {
      const { reference } = await pendingPayment();
      // The platform's own IPN, kept from reaching us so it can be delivered 50 times at once.
      paygov.setIpnUrl(undefined);
      expect(paygov.pay(reference)).toBe(true);
      await paygov.idle();
      paygov.setIpnUrl(`${harness.url}/callbacks/paygov/ipn`);
      const message = paygov.deliveries.find((delivery) => delivery.message.MaThamChieu === reference)!.message;
      const answers = await Promise.all(Array.from({ length: 50 }, () => postIpn(JSON.stringify(message))));
      expect(answers.every((answer) => answer.status === 200 && answer.body.MaLoi === '00')).toBe(true);
      const verdicts = (await ipnRows(reference)).map((row) => row.verdict);
      expect(verdicts.filter((verdict) => verdict === 'applied')).toHaveLength(1);
      expect(verdicts.filter((verdict) => verdict === 'replay')).toHaveLength(49);
      expect((await transitions(reference)).filter((line) => line.to_state === 'paid')).toHaveLength(1);
    });
  });

  describe(`the platform's hostile modes on ${store}`, () => {
    /** Pays `reference` on the platform with `mode` on for that one payment, and waits for every IPN it causes. */
    const payHostile = async (reference: string, mode: HostileIpnMode, outcome: 'pay' | 'cancel' | 'expire' = 'pay') => {
      paygov.hostile.set(mode, { times: 1 });
      try {
        expect(paygov[outcome](reference)).toBe(true);
        await paygov.idle();
      } finally {
        paygov.hostile.clear();
      }
    };
    const paidOnce = async (reference: string) => expect((await transitions(reference)).filter((line) => line.to_state === 'paid')).toHaveLength(1);

    it('wrong checksum: refused (01), stored, nothing applied', async () => {
      const { reference } = await pendingPayment();
      await payHostile(reference, 'wrong-checksum');
      expect(await ipnRows(reference)).toEqual([expect.objectContaining({ verdict: 'refused_checksum', answer_code: '01' })]);
      expect((await status(reference)).body.state).toBe('pending');
    });

    it.each([
      ['amount-changed', 'refused_amount', 'amount_mismatch'],
      ['currency-changed', 'refused_currency', 'currency_mismatch'],
    ] as const)('%s (sealed by the platform): refused (02), stored, alerted, nothing applied', async (mode, verdict, anomaly) => {
      const { reference } = await pendingPayment();
      await payHostile(reference, mode);
      expect(await ipnRows(reference)).toEqual([expect.objectContaining({ verdict, answer_code: '02' })]);
      expect((await status(reference)).body.state).toBe('pending');
      expect(anomalies).toContainEqual([anomaly, reference]);
    });

    it('unknown reference: refused (04), stored under the reference it named', async () => {
      const { reference } = await pendingPayment();
      await payHostile(reference, 'unknown-reference');
      const delivered = paygov.deliveries.filter((delivery) => delivery.hostile === 'unknown-reference').at(-1)!;
      expect(delivered.answer).toMatchObject({ MaLoi: '04' });
      expect(await ipnRows(delivered.message.MaThamChieu as string)).toEqual([expect.objectContaining({ verdict: 'refused_unknown', answer_code: '04' })]);
      expect((await status(reference)).body.state).toBe('pending');
    });

    it('duplicate IPN: applied once, the second acknowledged as a replay', async () => {
      const { reference } = await pendingPayment();
      await payHostile(reference, 'duplicate');
      expect((await ipnRows(reference)).map((row) => [row.verdict, row.answer_code])).toEqual([['applied', '00'], ['replay', '00']]);
      await paidOnce(reference);
    });

    it('IPN before the INIT answer: the payment is paid by the IPN, the late INIT answer does not move it back', async () => {
      const dossierCode = nextDossier();
      paygov.hostile.set('before-init-answer', { times: 1 });
      let created;
      try {
        created = await create(createBody(dossierCode), `key-${dossierCode}`);
      } finally {
        paygov.hostile.clear();
      }
      await paygov.idle();
      expect(created.status).toBe(201);
      expect(created.body.state).toBe('paid');
      const reference = created.body.reference as string;
      expect((await transitions(reference)).map((line) => [line.from_state, line.to_state, line.source])).toEqual([
        [null, 'created', 'create'],
        ['created', 'paid', 'ipn'],
      ]);
      expect((await status(reference)).body.state).toBe('paid');
    });

    it('a "paid" IPN for a cancelled payment: recorded (acknowledged), alerted, never applied', async () => {
      const { reference } = await pendingPayment();
      await payHostile(reference, 'ipn-for-closed-payment', 'cancel');
      expect((await ipnRows(reference)).map((row) => row.verdict)).toEqual(['applied', 'recorded_after_final']);
      expect((await status(reference)).body.state).toBe('cancelled');
      expect(anomalies).toContainEqual(['paid_after_closed', reference]);
    });

    it('a "paid" IPN for an expired payment: recorded, alerted, never applied', async () => {
      const { reference } = await pendingPayment();
      // The gateway closed it as expired (what reconciliation does once the platform says it was not paid).
      await harness.stack.gateway.payments!.store.applyOutcome(reference, { state: 'expired' }, 'expiry');
      await payHostile(reference, 'ipn-for-closed-payment', 'expire');
      expect((await ipnRows(reference)).map((row) => row.verdict)).toEqual(['recorded_after_final']);
      expect((await status(reference)).body.state).toBe('expired');
      expect(anomalies).toContainEqual(['paid_after_closed', reference]);
    });

    it('a late "failed" after "paid": recorded, alerted, never applied', async () => {
      const { reference } = await pendingPayment();
      await payHostile(reference, 'late-failed-after-paid');
      expect((await ipnRows(reference)).map((row) => [row.verdict, row.answer_code])).toEqual([['applied', '00'], ['ignored_late', '00']]);
      expect((await status(reference)).body.state).toBe('paid');
      await paidOnce(reference);
      expect(anomalies).toContainEqual(['late_failure_after_paid', reference]);
    });
  });

  describe(`what the gateway wrote on ${store}`, () => {
    it('never logs the payer, the checksum secret or an IPN body', async () => {
      await paygov.idle();
      const logs = harness.logs.join('');
      expect(logs).toContain('paygov IPN processed');
      for (const needle of [payerName, payerName.toUpperCase(), 'Mỹ Duyên', devSecret, 'MaXacThuc', 'ThongTinGiaoDich']) expect(logs).not.toContain(needle);
    });
  });
}
