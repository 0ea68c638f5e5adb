import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createMessageChecksumAuth } from '../../src/connector-kit/upstream-auth/message-checksum.js';
import { noUpstreamAuth } from '../../src/connector-kit/upstream-auth/upstream-auth.js';
import { testInvocation } from '../../simulators/kit/test-support/strict-upstream.js';
import type { PaygovClient, PaygovCredentials } from './client.js';
import { paygovConnector, probeReference } from './descriptor.js';
import { initOutcome, queryOutcome, receiptFromBill, type PaygovPayment } from './mapping.js';
import { paygovSandboxDevCredentials, startPaygovSandbox, type PaygovSandbox } from './sandbox/server.js';
import { createSandboxClient } from './sandbox/test-support.js';

const clientFor = (sandbox: PaygovSandbox, credentials: PaygovCredentials = paygovSandboxDevCredentials) => createSandboxClient(sandbox.baseUrl, credentials);

let sequence = 0;
const newPayment = (): PaygovPayment => ({
  reference: `LGSPC${String(++sequence).padStart(6, '0')}`,
  dossierCode: '000.00.01.H22-250521-0001',
  procedureCode: '1.003560.000.00.00.H56',
  agencyCode: '000.00.01.H22',
  payerName: 'Trần Thị Ngọc Ánh',
  feeItems: [
    { code: 'LP01', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75_000 },
    { code: 'P02', name: 'Phí thẩm định hồ sơ', amount: 25_000, kind: 'fee' },
  ],
  payerIp: '203.162.4.1',
  createdAt: new Date(),
});

describe('paygov client against the sandbox over HTTP', () => {
  let sandbox: PaygovSandbox;
  let client: PaygovClient;

  beforeAll(async () => {
    sandbox = await startPaygovSandbox();
    client = await clientFor(sandbox);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.faults.clear());

  it('INIT → payment URL; QUERY pending, then paid; GET_BILL the receipt', async () => {
    const payment = newPayment();
    const { paymentUrl, platformTransactionId } = initOutcome(await client.init(payment, testInvocation()));
    expect(paymentUrl).toMatch(new RegExp(`^${sandbox.baseUrl}/thanh-toan/[0-9a-f]{32}$`));
    expect(platformTransactionId).toMatch(/^PG[0-9]{14}$/);
    expect(sandbox.payment(payment.reference)).toMatchObject({ amount: 100_000, state: 'pending' });

    expect(queryOutcome((await client.query(payment.reference, testInvocation()))!)).toMatchObject({ state: 'pending', amount: 100_000 });
    expect(await client.getBill(payment.reference, testInvocation())).toBeUndefined();

    expect(sandbox.pay(payment.reference, 'BIDV')).toBe(true);
    expect(queryOutcome((await client.query(payment.reference, testInvocation()))!)).toMatchObject({ state: 'paid', amount: 100_000, bankCode: 'BIDV', platformTransactionId });
    const receipt = receiptFromBill((await client.getBill(payment.reference, testInvocation()))!.BienLai!);
    expect(receipt).toMatchObject({ amount: 100_000, currency: 'VND', payerName: 'Trần Thị Ngọc Ánh', dossierCode: '000.00.01.H22-250521-0001', platformTransactionId });
    expect(receipt.items.map((item) => item.amount)).toEqual([75_000, 25_000]);
  });

  it('QUERY says failed for a cancelled, a refused and an expired payment', async () => {
    const [cancelled, refused, expired] = [newPayment(), newPayment(), newPayment()];
    for (const payment of [cancelled, refused, expired]) await client.init(payment, testInvocation());
    sandbox.cancel(cancelled.reference);
    sandbox.fail(refused.reference);
    sandbox.expire(expired.reference);
    for (const payment of [cancelled, refused, expired]) expect(queryOutcome((await client.query(payment.reference, testInvocation()))!).state).toBe('failed');
  });

  it('an unknown reference is an answer (undefined), and is the health probe', async () => {
    expect(await client.query('NOSUCHREF', testInvocation())).toBeUndefined();
    expect(await client.getBill('NOSUCHREF', testInvocation())).toBeUndefined();
    await expect(paygovConnector.probe(client, AbortSignal.timeout(5000))).resolves.toBeUndefined();
    expect(sandbox.payment(probeReference)).toBeUndefined();
  });

  it('the same INIT again is the same payment; a known reference with other content is rejected (the caller\'s fault), not retried as an upstream failure', async () => {
    const payment = newPayment();
    const first = initOutcome(await client.init(payment, testInvocation()));
    expect(initOutcome(await client.init(payment, testInvocation()))).toEqual(first);
    await expect(client.init({ ...payment, feeItems: [{ code: 'LP01', name: 'Lệ phí cấp giấy phép xây dựng', amount: 80_000 }] }, testInvocation())).rejects.toMatchObject({ kind: 'rejected', upstreamCode: '05' });
  });

  it('a wrong secret or partner code fails as auth (the platform refused our checksum), and the secret is in no error', async () => {
    const wrongSecret = await clientFor(sandbox, { partnerCode: paygovSandboxDevCredentials.partnerCode, secretKey: 'not-the-shared-secret-at-all' });
    const wrongPartner = await clientFor(sandbox, { partnerCode: 'SOMEONE-ELSE', secretKey: paygovSandboxDevCredentials.secretKey });
    try {
      const refusal = await wrongSecret.init(newPayment(), testInvocation()).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ kind: 'auth', upstreamCode: '01' });
      expect(JSON.stringify({ message: (refusal as Error).message, ...(refusal as object) })).not.toContain('not-the-shared-secret');
      await expect(wrongSecret.query('NOSUCHREF', testInvocation())).rejects.toMatchObject({ kind: 'auth', upstreamCode: '01' });
      await expect(paygovConnector.probe(wrongPartner, AbortSignal.timeout(5000))).rejects.toMatchObject({ kind: 'auth', upstreamCode: '03' });
    } finally {
      await wrongSecret.close();
      await wrongPartner.close();
    }
  });

  it.each([
    [{ kind: 'http-500' as const }, 'http'],
    [{ kind: 'soap-fault' as const }, 'fault'],
    [{ kind: 'garbage' as const }, 'contract'],
    [{ kind: 'empty' as const }, 'contract'],
    [{ kind: 'reset' as const }, 'connection'],
  ])('fault %j on QUERY leaves as UpstreamError %s', async (fault, kind) => {
    sandbox.faults.set(fault, { operation: 'QUERY', times: 1 });
    await expect(client.query('NOSUCHREF', testInvocation())).rejects.toMatchObject({ kind });
    expect(await client.query('NOSUCHREF', testInvocation())).toBeUndefined();
  });

  it('a QUERY or GET_BILL reply about another reference is a contract failure, never this payment\'s answer', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MaLoi: '00', MaThamChieu: 'LGSPOTHER000001', TrangThaiGD: '1', SoTien: '100000', MaTienTe: 'VND' })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const mixedUp = await clientFor({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } as PaygovSandbox);
    try {
      await expect(mixedUp.query('LGSPC999999', testInvocation())).rejects.toMatchObject({ kind: 'contract' });
      await expect(mixedUp.getBill('LGSPC999999', testInvocation())).rejects.toMatchObject({ kind: 'contract' });
    } finally {
      await mixedUp.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a slow platform is cut at the deadline as a timeout', async () => {
    sandbox.faults.set({ kind: 'latency', ms: 2000 }, { operation: 'INIT', times: 1 });
    await expect(client.init(newPayment(), { ...testInvocation(), signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('the descriptor builds its client on the kit\'s message-checksum auth, and refuses any other auth (it could seal nothing)', async () => {
    expect(paygovConnector.authScheme).toBe('message-checksum');
    const context = { baseUrl: sandbox.baseUrl, settings: {}, logger: pino({ level: 'silent' }), transport: { connectTimeoutMs: 2000 } };
    await expect(paygovConnector.createClient({ ...context, auth: noUpstreamAuth })).rejects.toMatchObject({ kind: 'auth' });
    const viaDescriptor = (await paygovConnector.createClient({ ...context, auth: createMessageChecksumAuth(paygovSandboxDevCredentials) })) as PaygovClient;
    try {
      expect(await viaDescriptor.query('NOSUCHREF', testInvocation())).toBeUndefined();
    } finally {
      await viaDescriptor.close();
    }
  });
});
