import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import type { PlatformPaymentRequest } from '../../src/connector-kit/index.js';
import { testInvocation } from '../../simulators/kit/test-support/strict-upstream.js';
import type { PaygovClient } from './client.js';
import { paygovConnector } from './descriptor.js';
import { paygovPaymentPlatform } from './payment-platform.js';
import { paygovSandboxDevCredentials, startPaygovSandbox, type PaygovSandbox } from './sandbox/server.js';
import { createSandboxClient, startIpnReceiver, type IpnReceiver } from './sandbox/test-support.js';

/**
 * The kit's PaymentPlatform of paygov against the real sandbox over HTTP,
 * the client sealed by the kit's message-checksum auth as the gateway builds
 * it: what the core's payments stage and reconciliation will call.
 */

const handVector = JSON.parse(readFileSync(connectorFile('paygov', 'fixtures', 'ipn-hand-vector.json'), 'utf8')) as {
  secret: string;
  previousSecret: string;
  message: Record<string, string>;
  sealedWithPreviousSecret: string;
};

let sequence = 0;
const newRequest = (overrides: Partial<PlatformPaymentRequest> = {}): PlatformPaymentRequest => ({
  reference: `LGSPP${Date.now().toString(36).toUpperCase()}${String(++sequence).padStart(3, '0')}`.slice(0, 20),
  dossierCode: '000.00.01.H22-250715-0001',
  procedureCode: '1.001193.000.00.00.H56',
  agencyCode: '000.00.01.H22',
  payerName: 'Nguyễn Thị Hồng Nhung',
  items: [
    { code: 'LP01', name: 'Lệ phí đăng ký khai sinh', amount: 8_000, kind: 'charge' },
    { code: 'P02', name: 'Phí sao lục', amount: 12_000, kind: 'fee' },
  ],
  totalAmount: 20_000,
  currency: 'VND',
  createdAt: new Date(),
  ...overrides,
});

describe('paygov payment platform (the kit interface) against the sandbox over HTTP', () => {
  let sandbox: PaygovSandbox;
  let client: PaygovClient;
  let receiver: IpnReceiver;

  beforeAll(async () => {
    receiver = await startIpnReceiver();
    sandbox = await startPaygovSandbox({ ipnUrl: receiver.url, ipnRetryDelayMs: 20 });
    client = await createSandboxClient(sandbox.baseUrl);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await receiver.close();
  });
  afterEach(() => sandbox.faults.clear());

  it('is the descriptor\'s payment platform, on the message-checksum auth, its credential fields in the credential schema', () => {
    expect(paygovConnector.payments).toBe(paygovPaymentPlatform);
    expect(paygovConnector.authScheme).toBe('message-checksum');
    const properties = (paygovConnector.credentialSchema as { properties: Record<string, { 'x-secret'?: boolean }> }).properties;
    expect(properties[paygovPaymentPlatform.credentialFields.secret]?.['x-secret']).toBe(true);
    expect(properties[paygovPaymentPlatform.credentialFields.partnerCode]).toBeDefined();
    expect(properties[paygovPaymentPlatform.credentialFields.partnerCode]?.['x-secret']).toBeUndefined();
  });

  it('init registers the payment and answers a URL that opens the payer page with the reference and the amount', async () => {
    const request = newRequest();
    const outcome = await paygovPaymentPlatform.init(client, request, testInvocation());
    expect(outcome.paymentUrl.startsWith(`${sandbox.baseUrl}/thanh-toan/`)).toBe(true);
    expect(outcome.platformTransactionId).toMatch(/^PG[0-9]{14}$/);
    expect(sandbox.payment(request.reference)).toMatchObject({ amount: 20_000, state: 'pending', receipt: { HoTenNguoiNop: request.payerName, MaHoSo: request.dossierCode } });

    const page = await fetch(outcome.paymentUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(request.reference);
    expect(html).toContain('20.000 ₫');
    expect(html).toContain('Lệ phí đăng ký khai sinh');
  });

  it('init refuses a payment whose total is not its items\' sum before anything is sent', async () => {
    const request = newRequest({ totalAmount: 19_000 });
    await expect(paygovPaymentPlatform.init(client, request, testInvocation())).rejects.toMatchObject({ name: 'UpstreamError', kind: 'rejected' });
    expect(sandbox.payment(request.reference)).toBeUndefined();
  });

  it('init with a reference the platform cannot take is the request\'s fault (rejected), not the platform\'s', async () => {
    await expect(paygovPaymentPlatform.init(client, newRequest({ reference: 'LGSP-1' }), testInvocation())).rejects.toMatchObject({ name: 'UpstreamError', kind: 'rejected' });
  });

  it('init answered "bad checksum" (a secret the platform does not share) is an auth failure, the secret in no error', async () => {
    const wrong = await createSandboxClient(sandbox.baseUrl, { partnerCode: paygovSandboxDevCredentials.partnerCode, secretKey: 'not-the-platform-secret-42' });
    try {
      const failure = await paygovPaymentPlatform.init(wrong, newRequest(), testInvocation()).catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: 'auth', upstreamCode: '01' });
      expect(JSON.stringify({ message: (failure as Error).message, ...(failure as object) })).not.toContain('not-the-platform-secret');
    } finally {
      await wrong.close();
    }
  });

  it('query reads TrangThaiGD 3 as pending, 1 as paid (with amount, transaction and time) and 4 as failed; unknown is undefined', async () => {
    const [paid, failed] = [newRequest(), newRequest()];
    const { platformTransactionId } = await paygovPaymentPlatform.init(client, paid, testInvocation());
    await paygovPaymentPlatform.init(client, failed, testInvocation());

    expect(await paygovPaymentPlatform.query(client, paid.reference, testInvocation())).toEqual({ state: 'pending', amount: 20_000, currency: 'VND', platformTransactionId });

    expect(sandbox.pay(paid.reference, 'BIDV')).toBe(true);
    const status = await paygovPaymentPlatform.query(client, paid.reference, testInvocation());
    expect(status).toMatchObject({ state: 'paid', amount: 20_000, currency: 'VND', platformTransactionId });
    expect(status?.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

    expect(sandbox.cancel(failed.reference)).toBe(true);
    const failedStatus = await paygovPaymentPlatform.query(client, failed.reference, testInvocation());
    expect(failedStatus).toMatchObject({ state: 'failed', amount: 20_000 });
    // ThoiGianGD of a failure is no payment time.
    expect(failedStatus).not.toHaveProperty('paidAt');

    expect(await paygovPaymentPlatform.query(client, 'NOSUCHREF', testInvocation())).toBeUndefined();
  });

  it('receipt: undefined before payment and for an unknown reference; after payment the receipt with its items and payer', async () => {
    const request = newRequest();
    const { platformTransactionId } = await paygovPaymentPlatform.init(client, request, testInvocation());
    expect(await paygovPaymentPlatform.receipt(client, request.reference, testInvocation())).toBeUndefined();
    expect(await paygovPaymentPlatform.receipt(client, 'NOSUCHREF', testInvocation())).toBeUndefined();

    sandbox.pay(request.reference);
    const receipt = await paygovPaymentPlatform.receipt(client, request.reference, testInvocation());
    expect(receipt).toMatchObject({
      receiptNumber: expect.stringMatching(/^[0-9]{7}$/),
      receiptSeries: 'BLP/25E',
      amount: 20_000,
      currency: 'VND',
      payerName: request.payerName,
      dossierCode: request.dossierCode,
      procedureCode: request.procedureCode,
      platformTransactionId,
      items: [
        { code: 'LP01', name: 'Lệ phí đăng ký khai sinh', amount: 8_000 },
        { code: 'P02', name: 'Phí sao lục', amount: 12_000 },
      ],
    });
    expect(receipt?.paidAt).toMatch(/\+07:00$/);
  });

  it('a platform fault on QUERY leaves as an UpstreamError of its kind (the core\'s guards decide on retries)', async () => {
    sandbox.faults.set({ kind: 'http-500' }, { operation: 'QUERY', times: 1 });
    await expect(paygovPaymentPlatform.query(client, 'NOSUCHREF', testInvocation())).rejects.toMatchObject({ name: 'UpstreamError', kind: 'http' });
  });

  it('declares the three payment operations for the core\'s payments stage; none names a data subject in its URL (no lookup form)', () => {
    const declared = paygovConnector.operations.map((operation) => [operation.id, operation.method, operation.path, operation.payment, operation.personalData, operation.idempotent]);
    expect(declared).toEqual([
      ['paygov.payment.create', 'POST', '/payments', 'create', true, false],
      ['paygov.payment.get', 'GET', '/payments/{reference}', 'status', false, true],
      ['paygov.payment.receipt', 'GET', '/payments/{reference}/receipt', 'receipt', true, true],
    ]);
    for (const operation of paygovConnector.operations) {
      expect(operation.invoke).toBeUndefined();
      expect(operation.lookup).toBeUndefined();
      expect(operation.subjectIdOf({ params: { reference: 'LGSP0001' }, query: {}, body: { payer: { name: 'Nguyễn Văn An' } } })).toBeUndefined();
    }
  });

  describe('verifyCallback', () => {
    it('accepts the hand-computed IPN with the active secret, and with the previous one inside a rotation, saying which', () => {
      const { secret, previousSecret, message, sealedWithPreviousSecret } = handVector;
      expect(paygovPaymentPlatform.verifyCallback(message, [secret])).toEqual({ valid: true, secretIndex: 0 });
      expect(paygovPaymentPlatform.verifyCallback({ ...message, MaXacThuc: sealedWithPreviousSecret }, [secret, previousSecret])).toEqual({ valid: true, secretIndex: 1 });
      expect(paygovPaymentPlatform.verifyCallback({ ...message, MaXacThuc: sealedWithPreviousSecret }, [secret])).toEqual({ valid: false });
      expect(paygovPaymentPlatform.verifyCallback({ ...message, SoTien: '150001' }, [secret, previousSecret])).toEqual({ valid: false });
    });

    it('refuses a field that is no text (an object would hash as "[object Object]")', () => {
      const { secret, message } = handVector;
      expect(paygovPaymentPlatform.verifyCallback({ ...message, ThongTinGiaoDich: { toString: () => message.ThongTinGiaoDich } }, [secret])).toEqual({ valid: false });
      expect(paygovPaymentPlatform.verifyCallback({ ...message, SoTien: [150000] }, [secret])).toEqual({ valid: false });
    });

    it('verifies the IPNs the sandbox really sends, across the platform rotating its secret', async () => {
      const before = newRequest();
      await paygovPaymentPlatform.init(client, before, testInvocation());
      sandbox.pay(before.reference);
      await sandbox.idle();
      const sentBefore: Record<string, unknown> = { ...receiver.received.find((ipn) => ipn.MaThamChieu === before.reference)! };
      expect(paygovPaymentPlatform.verifyCallback(sentBefore, [paygovSandboxDevCredentials.secretKey])).toEqual({ valid: true, secretIndex: 0 });

      const rotated = 'rotated-paygov-secret-2026-0001';
      sandbox.rotateSecret(rotated);
      const rotatedClient = await createSandboxClient(sandbox.baseUrl, { partnerCode: paygovSandboxDevCredentials.partnerCode, secretKey: rotated });
      try {
        const after = newRequest();
        await paygovPaymentPlatform.init(rotatedClient, after, testInvocation());
        sandbox.pay(after.reference);
        await sandbox.idle();
        const sentAfter: Record<string, unknown> = { ...receiver.received.find((ipn) => ipn.MaThamChieu === after.reference)! };
        const secrets = [rotated, paygovSandboxDevCredentials.secretKey];
        expect(paygovPaymentPlatform.verifyCallback(sentAfter, secrets)).toEqual({ valid: true, secretIndex: 0 });
        // A late retry of an IPN sealed before the rotation: still valid inside the overlap, refused after it.
        expect(paygovPaymentPlatform.verifyCallback(sentBefore, secrets)).toEqual({ valid: true, secretIndex: 1 });
        expect(paygovPaymentPlatform.verifyCallback(sentBefore, [rotated])).toEqual({ valid: false });
      } finally {
        await rotatedClient.close();
        sandbox.rotateSecret(paygovSandboxDevCredentials.secretKey);
      }
    });
  });
});
