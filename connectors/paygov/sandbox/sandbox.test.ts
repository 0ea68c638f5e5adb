import { testInvocation } from '../../../simulators/kit/test-support/strict-upstream.js';
import { initChecksum, verifyIpnChecksum } from '../checksum.js';
import { defaultPaths, type PaygovClient } from '../client.js';
import { initOutcome, type PaygovPayment } from '../mapping.js';
import type { IpnMessage } from '../upstream-types.js';
import { start as startEmbedded } from './embedded.js';
import { gatewayIpnPath, paygovSandboxDevCredentials, startPaygovSandbox, type PaygovSandbox } from './server.js';
import { createSandboxClient, startIpnReceiver, type IpnReceiver } from './test-support.js';

const secret = paygovSandboxDevCredentials.secretKey;
const valid = (message: IpnMessage) => verifyIpnChecksum(message as never, [secret]).valid;

let sequence = 0;
const newPayment = (amount = 50_000): PaygovPayment => ({
  reference: `LGSPS${String(++sequence).padStart(6, '0')}`,
  dossierCode: '000.00.01.H22-250521-0002',
  procedureCode: '1.003560.000.00.00.H56',
  agencyCode: '000.00.01.H22',
  payerName: 'Lê Văn Bảy <b>',
  feeItems: [{ code: 'LP01', name: 'Lệ phí & phí "đặc biệt"', amount }],
  description: 'Nộp lệ phí hồ sơ 000.00.01.H22-250521-0002',
  createdAt: new Date(),
});

describe('paygov sandbox: payer page and IPN', () => {
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
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.paths.length = 0;
    receiver.failFirst = 0;
  });
  afterEach(() => {
    sandbox.hostile.clear();
    sandbox.faults.clear();
  });

  const create = async (payment = newPayment()) => ({ payment, ...initOutcome(await client.init(payment, testInvocation())) });

  it('serves a Vietnamese payer page with plain forms, no script, escaped text and a strict CSP', async () => {
    const { paymentUrl, payment } = await create();
    const page = await fetch(paymentUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain(payment.reference);
    expect(html).toContain('50.000 ₫');
    expect(html).toContain('Lệ phí &#38; phí &#34;đặc biệt&#34;');
    expect(html).not.toMatch(/<script|on[a-z]+=|https?:\/\/(?!127\.0\.0\.1)/i);
    expect(html).toMatch(/<form method="post" action="\/thanh-toan\/[0-9a-f]{32}\/pay">/);
    expect(html).toContain('/cancel"');
    expect((await fetch(`${sandbox.baseUrl}/thanh-toan/${'0'.repeat(32)}`)).status).toBe(404);
  });

  it('Pay records the outcome, redirects back to the page, and sends a correctly sealed IPN', async () => {
    const { paymentUrl, payment } = await create();
    const paid = await fetch(`${paymentUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MaNganHang=CTG', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(new URL(paymentUrl).pathname);
    await sandbox.idle();
    expect(receiver.received).toHaveLength(1);
    const [ipn] = receiver.received;
    expect(ipn).toMatchObject({ LoaiBanTin: 'IPN', MaLoi: '00', MaDoiTac: 'LGSP-DEV', MaThamChieu: payment.reference, SoTien: '50000', MaTienTe: 'VND', MaNganHang: 'CTG', ThongTinGiaoDich: payment.description });
    expect(valid(ipn!)).toBe(true);
    expect(await (await fetch(paymentUrl)).text()).toContain('Đã thanh toán thành công');
    // A second click on a settled payment changes nothing and sends nothing.
    expect((await fetch(`${paymentUrl}/cancel`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
    await sandbox.idle();
    expect(receiver.received).toHaveLength(1);
    expect(sandbox.payment(payment.reference)?.state).toBe('paid');
  });

  it('Cancel and a bank refusal send failure IPNs; expiry sends none', async () => {
    const cancelled = await create();
    const refused = await create();
    const expired = await create();
    await fetch(`${cancelled.paymentUrl}/cancel`, { method: 'POST', redirect: 'manual' });
    await sandbox.idle();
    await fetch(`${refused.paymentUrl}/fail`, { method: 'POST', redirect: 'manual' });
    const expiry = await fetch(`${sandbox.baseUrl}/__sandbox/payments/${expired.payment.reference}/expire`, { method: 'POST' });
    expect(await expiry.json()).toEqual({ reference: expired.payment.reference, state: 'expired' });
    await sandbox.idle();
    expect(receiver.received.map((ipn) => [ipn.MaThamChieu, ipn.MaLoi])).toEqual([
      [cancelled.payment.reference, '02'],
      [refused.payment.reference, '01'],
    ]);
    expect(receiver.received.every(valid)).toBe(true);
    expect((await fetch(`${sandbox.baseUrl}/__sandbox/payments/${expired.payment.reference}/expire`, { method: 'POST' })).status).toBe(409);
  });

  it('retries an IPN the callback did not take, a few times, then gives up', async () => {
    const { payment } = await create();
    receiver.failFirst = 2;
    sandbox.pay(payment.reference);
    await sandbox.idle();
    expect(receiver.received).toHaveLength(1);
    const delivery = sandbox.deliveries.at(-1)!;
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
    expect(delivery.answer).toEqual({ MaLoi: '00', MoTaLoi: 'Thành công' });

    const second = await create();
    receiver.failFirst = 10;
    sandbox.pay(second.payment.reference);
    await sandbox.idle();
    expect(sandbox.deliveries.at(-1)!.attempts).toHaveLength(3);
    expect(sandbox.deliveries.at(-1)!.answer).toBeUndefined();
  });

  describe('hostile IPN modes', () => {
    it('wrong-checksum: the IPN is sealed with another secret', async () => {
      const { payment } = await create();
      sandbox.hostile.set('wrong-checksum');
      sandbox.pay(payment.reference);
      await sandbox.idle();
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]).toMatchObject({ MaThamChieu: payment.reference, MaLoi: '00' });
      expect(receiver.received[0]!.MaXacThuc).toMatch(/^[0-9a-f]{64}$/);
      expect(valid(receiver.received[0]!)).toBe(false);
    });

    it.each([
      ['amount-changed', { SoTien: '49000' }],
      ['currency-changed', { SoTien: '50000', MaTienTe: 'USD' }],
    ] as const)('%s: correctly sealed, but not what was created', async (mode, changed) => {
      const { payment } = await create();
      sandbox.hostile.set(mode);
      sandbox.pay(payment.reference);
      await sandbox.idle();
      expect(receiver.received).toEqual([expect.objectContaining({ MaThamChieu: payment.reference, ...changed })]);
      expect(valid(receiver.received[0]!)).toBe(true);
    });

    it('unknown-reference: correctly sealed, for a reference never created', async () => {
      const { payment } = await create();
      sandbox.hostile.set('unknown-reference');
      sandbox.pay(payment.reference);
      await sandbox.idle();
      const reference = receiver.received[0]!.MaThamChieu!;
      expect(reference).not.toBe(payment.reference);
      expect(sandbox.payment(reference)).toBeUndefined();
      expect(valid(receiver.received[0]!)).toBe(true);
    });

    it('duplicate: the same IPN twice, byte for byte; `times` bounds it', async () => {
      const first = await create();
      const second = await create();
      sandbox.hostile.set('duplicate', { times: 1 });
      sandbox.pay(first.payment.reference);
      await sandbox.idle();
      sandbox.pay(second.payment.reference);
      await sandbox.idle();
      expect(receiver.received.map((ipn) => ipn.MaThamChieu)).toEqual([first.payment.reference, first.payment.reference, second.payment.reference]);
      expect(receiver.received[0]).toEqual(receiver.received[1]);
    });

    it('before-init-answer: the paid IPN has arrived when INIT answers', async () => {
      sandbox.hostile.set('before-init-answer', { times: 1 });
      const payment = newPayment();
      const reply = await client.init(payment, testInvocation());
      expect(receiver.received).toEqual([expect.objectContaining({ MaThamChieu: payment.reference, MaLoi: '00' })]);
      expect(valid(receiver.received[0]!)).toBe(true);
      expect(reply.UrlThanhToan).toBeTruthy();
      expect(sandbox.payment(payment.reference)?.state).toBe('paid');
    });

    it('ipn-for-closed-payment: a cancelled and an expired payment each still get a "paid" IPN', async () => {
      const cancelled = await create();
      const expired = await create();
      sandbox.hostile.set('ipn-for-closed-payment');
      sandbox.cancel(cancelled.payment.reference);
      await sandbox.idle();
      sandbox.expire(expired.payment.reference);
      await sandbox.idle();
      expect(receiver.received.map((ipn) => [ipn.MaThamChieu, ipn.MaLoi])).toEqual([
        [cancelled.payment.reference, '02'],
        [cancelled.payment.reference, '00'],
        [expired.payment.reference, '00'],
      ]);
      expect(receiver.received.every(valid)).toBe(true);
      expect(sandbox.payment(expired.payment.reference)?.state).toBe('expired');
    });

    it('late-failed-after-paid: "paid", then "failed" for the same payment', async () => {
      const { payment } = await create();
      sandbox.hostile.set('late-failed-after-paid');
      sandbox.pay(payment.reference);
      await sandbox.idle();
      expect(receiver.received.map((ipn) => [ipn.MaThamChieu, ipn.MaLoi])).toEqual([
        [payment.reference, '00'],
        [payment.reference, '01'],
      ]);
      expect(receiver.received.every(valid)).toBe(true);
      expect(sandbox.payment(payment.reference)?.state).toBe('paid');
    });

    it('are switchable over HTTP for other processes, and refuse unknown modes', async () => {
      const set = await fetch(`${sandbox.baseUrl}/__sandbox/hostile-ipn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'duplicate', times: 2 }) });
      expect(await set.json()).toEqual({ active: { mode: 'duplicate', remaining: 2 } });
      const bad = await fetch(`${sandbox.baseUrl}/__sandbox/hostile-ipn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'forge-everything' }) });
      expect(bad.status).toBe(400);
      expect((await fetch(`${sandbox.baseUrl}/__sandbox/hostile-ipn`, { method: 'DELETE' })).status).toBe(204);
      expect(sandbox.hostile.active).toBeUndefined();
    });
  });

  it('takes its IPN address over HTTP and lists deliveries', async () => {
    const other = await startIpnReceiver();
    try {
      const pointed = await fetch(`${sandbox.baseUrl}/__sandbox/ipn-url`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: other.url }) });
      expect(pointed.status).toBe(200);
      const { payment } = await create();
      sandbox.pay(payment.reference);
      await sandbox.idle();
      expect(other.received.map((ipn) => ipn.MaThamChieu)).toEqual([payment.reference]);
      expect(receiver.received).toHaveLength(0);
      const listed = (await (await fetch(`${sandbox.baseUrl}/__sandbox/ipn-deliveries`)).json()) as { deliveries: Array<{ message: IpnMessage }> };
      expect(listed.deliveries.at(-1)!.message.MaThamChieu).toBe(payment.reference);
    } finally {
      sandbox.setIpnUrl(receiver.url);
      await other.close();
    }
  });

  it('bounds request bodies and refuses malformed or wrongly sealed messages in the platform envelope', async () => {
    const post = (body: string) => fetch(`${sandbox.baseUrl}${defaultPaths.init}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const huge = await post(JSON.stringify({ LoaiBanTin: 'INIT', padding: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ MaLoi: '02' });
    expect(await (await post('{not json')).json()).toMatchObject({ MaLoi: '02' });
    expect(await (await post(JSON.stringify({ LoaiBanTin: 'INIT', MaDoiTac: 'LGSP-DEV', MaXacThuc: '0'.repeat(64) }))).json()).toMatchObject({ MaLoi: '01' });
  });

  it('rotates its secret: IPNs are then sealed with the new one', async () => {
    const { payment } = await create();
    sandbox.rotateSecret('rotated-dev-only-secret-0002');
    try {
      sandbox.pay(payment.reference);
      await sandbox.idle();
      expect(verifyIpnChecksum(receiver.received[0] as never, [secret])).toEqual({ valid: false });
      expect(verifyIpnChecksum(receiver.received[0] as never, ['rotated-dev-only-secret-0002', secret])).toEqual({ valid: true, secretIndex: 0 });
    } finally {
      sandbox.rotateSecret(secret);
    }
  });
});

describe('paygov sandbox: a repeated INIT (the province re-sends one whose answer it lost)', () => {
  let sandbox: PaygovSandbox;
  let client: PaygovClient;
  beforeAll(async () => {
    sandbox = await startPaygovSandbox();
    client = await createSandboxClient(sandbox.baseUrl);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('answers the same content with the same payment URL and transaction, whatever the payment became, and keeps one payment', async () => {
    const payment = newPayment();
    const first = await client.init(payment, testInvocation());
    const again = await client.init(payment, testInvocation());
    expect(again).toEqual(first);
    expect(sandbox.pay(payment.reference)).toBe(true);
    // Paid in between: the same payment still, the page then shows it paid; nothing is settled or created twice.
    expect(await client.init(payment, testInvocation())).toEqual(first);
    expect(sandbox.payment(payment.reference)).toMatchObject({ state: 'paid', amount: 50_000, transactionId: first.MaGiaoDich });
  });

  it('is the same content when only the key order differs, or the checksum after a secret rotation', async () => {
    const payment = newPayment();
    const first = await client.init(payment, testInvocation());
    // What was sent (checksum aside), its keys in another order.
    const reordered = Object.fromEntries(Object.entries(JSON.parse(sandbox.payment(payment.reference)!.initContent) as Record<string, unknown>).reverse());
    const rotated = 'rotated-dev-only-secret-0003';
    sandbox.rotateSecret(rotated);
    const rotatedClient = await createSandboxClient(sandbox.baseUrl, { partnerCode: paygovSandboxDevCredentials.partnerCode, secretKey: rotated });
    try {
      expect(await rotatedClient.init(payment, testInvocation())).toEqual(first);
      const answer = await fetch(`${sandbox.baseUrl}${defaultPaths.init}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...reordered, MaXacThuc: initChecksum(reordered as never, rotated) }) });
      expect(await answer.json()).toMatchObject({ MaLoi: '00', MaGiaoDich: first.MaGiaoDich, UrlThanhToan: first.UrlThanhToan });
    } finally {
      await rotatedClient.close();
      sandbox.rotateSecret(secret);
    }
  });

  it.each([
    ['another amount', { feeItems: [{ code: 'LP01', name: 'Lệ phí & phí "đặc biệt"', amount: 60_000 }] }],
    ['another payer', { payerName: 'Người Khác' }],
    ['another dossier', { dossierCode: '000.00.01.H22-250521-0099' }],
    ['another time', { createdAt: new Date(Date.now() + 60_000) }],
  ] as const)('refuses the same reference with %s: MaLoi 05 (duplicate reference), the payment unchanged', async (_case, changed) => {
    const payment = newPayment();
    await client.init(payment, testInvocation());
    await expect(client.init({ ...payment, ...changed }, testInvocation())).rejects.toMatchObject({ kind: 'rejected', upstreamCode: '05' });
    expect(sandbox.payment(payment.reference)).toMatchObject({ amount: 50_000, receipt: { HoTenNguoiNop: payment.payerName, MaHoSo: payment.dossierCode } });
  });

  it('the before-init-answer race happens once: the re-sent INIT pays nothing again', async () => {
    sandbox.hostile.set('before-init-answer');
    try {
      const payment = newPayment();
      await client.init(payment, testInvocation());
      await sandbox.idle();
      const sent = sandbox.deliveries.length;
      await client.init(payment, testInvocation());
      await sandbox.idle();
      expect(sandbox.deliveries).toHaveLength(sent);
    } finally {
      sandbox.hostile.clear();
    }
  });
});

describe('paygov sandbox: the payer page as a browser uses it (plain HTTP, forms)', () => {
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

  const open = async (payment: PaygovPayment = { ...newPayment(), feeItems: [{ code: 'LP01', name: 'Lệ phí cấp giấy phép', amount: 75_000 }, { code: 'P02', name: 'Phí thẩm định', amount: 25_000, kind: 'fee' }] }) => {
    const { paymentUrl } = initOutcome(await client.init(payment, testInvocation()));
    return { payment, paymentUrl };
  };
  /** A button press as a browser sends it: a urlencoded form POST, then the redirect followed with a GET. */
  const press = async (paymentUrl: string, action: string, form = '') => {
    const pressed = await fetch(`${paymentUrl}/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
    expect(pressed.status).toBe(303);
    const shown = await fetch(new URL(pressed.headers.get('location')!, paymentUrl));
    expect(shown.status).toBe(200);
    return shown.text();
  };

  it('shows the reference, the amount, each item with its code and amount, and the state, in Vietnamese, with the four buttons', async () => {
    const { payment, paymentUrl } = await open();
    const html = await (await fetch(paymentUrl)).text();
    expect(html).toContain(`<dd id="reference">${payment.reference}</dd>`);
    expect(html).toContain('<dd id="amount">100.000 ₫</dd>');
    expect(html).toMatch(/<td>LP01<\/td><td>Lệ phí cấp giấy phép<\/td><td class="so">75.000 ₫<\/td>/);
    expect(html).toMatch(/<td>P02<\/td><td>Phí thẩm định<\/td><td class="so">25.000 ₫<\/td>/);
    expect(html).toContain('<dd id="state">Chờ thanh toán</dd>');
    for (const action of ['pay', 'fail', 'cancel', 'expire']) expect(html).toContain(`action="${new URL(paymentUrl).pathname}/${action}"`);
    expect(html).toContain('>Thanh toán</button>');
    expect(html).toContain('>Hủy giao dịch</button>');
    expect(html).toContain('>Giả lập hết thời hạn thanh toán</button>');
  });

  it('Thanh toán: the page then says paid and shows what the gateway answered the IPN it was sent', async () => {
    const { payment, paymentUrl } = await open();
    const html = await press(paymentUrl, 'pay', 'MaNganHang=BIDV');
    expect(html).toContain('<dd id="state">Đã thanh toán thành công</dd>');
    expect(html).toContain('Thông báo kết quả (thành công) đã gửi; cổng trả lời MaLoi 00 (Thành công)');
    expect(html).not.toContain('<form');
    expect(receiver.received.filter((ipn) => ipn.MaThamChieu === payment.reference)).toEqual([expect.objectContaining({ MaLoi: '00', MaNganHang: 'BIDV', SoTien: '100000' })]);
    expect(receiver.paths.at(-1)).toBe('/callbacks/paygov/ipn');
  });

  it('Hủy giao dịch: cancelled, a "02" IPN sent and shown', async () => {
    const { payment, paymentUrl } = await open();
    const html = await press(paymentUrl, 'cancel');
    expect(html).toContain('<dd id="state">Người nộp đã hủy giao dịch</dd>');
    expect(html).toContain('Thông báo kết quả (không thành công) đã gửi; cổng trả lời MaLoi 00');
    expect(receiver.received.filter((ipn) => ipn.MaThamChieu === payment.reference).map((ipn) => ipn.MaLoi)).toEqual(['02']);
  });

  it('Giả lập hết thời hạn: expired, no IPN (the platform sends none, assumed), QUERY then says failed', async () => {
    const { payment, paymentUrl } = await open();
    const html = await press(paymentUrl, 'expire');
    expect(html).toContain('<dd id="state">Giao dịch đã hết hạn</dd>');
    expect(html).not.toContain('id="ipn"');
    await sandbox.idle();
    expect(receiver.received.filter((ipn) => ipn.MaThamChieu === payment.reference)).toEqual([]);
    expect((await client.query(payment.reference, testInvocation()))?.TrangThaiGD).toBe('4');
  });

  it('says so on the page when the IPN could not be delivered', async () => {
    const { paymentUrl } = await open();
    sandbox.setIpnUrl(undefined);
    try {
      expect(await press(paymentUrl, 'pay')).toContain('chưa gửi được sau 1 lần (chưa cấu hình địa chỉ nhận thông báo)');
    } finally {
      sandbox.setIpnUrl(receiver.url);
    }
  });

  it('refuses an unknown button (404), a GET on a button (405), and a second press once settled (409)', async () => {
    const { paymentUrl } = await open();
    expect((await fetch(`${paymentUrl}/constructor`, { method: 'POST', redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${paymentUrl}/pay`)).status).toBe(405);
    await press(paymentUrl, 'expire');
    expect((await fetch(`${paymentUrl}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
  });
});

describe('paygov sandbox: embedded start, told where the gateway listens', () => {
  let receiver: IpnReceiver;
  beforeAll(async () => {
    receiver = await startIpnReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  async function payOne(sandbox: PaygovSandbox): Promise<string> {
    const client = await createSandboxClient(sandbox.baseUrl);
    try {
      const payment = newPayment();
      await client.init(payment, testInvocation());
      sandbox.pay(payment.reference);
      await sandbox.idle();
      return payment.reference;
    } finally {
      await client.close();
    }
  }

  it('without a callbackUrl: no IPN address until the gateway listens, then its /callbacks/paygov/ipn', async () => {
    const sandbox = (await startEmbedded({ host: '127.0.0.1', port: 0, credentials: paygovSandboxDevCredentials, settings: {} })) as PaygovSandbox;
    try {
      expect(sandbox.ipnUrl).toBeUndefined();
      await payOne(sandbox);
      expect(sandbox.deliveries.at(-1)!.attempts).toEqual([{ error: 'no callback URL configured' }]);

      sandbox.gatewayListening(`${new URL(receiver.url).origin}/`);
      expect(sandbox.ipnUrl).toBe(`${new URL(receiver.url).origin}${gatewayIpnPath}`);
      const reference = await payOne(sandbox);
      expect(receiver.received.at(-1)?.MaThamChieu).toBe(reference);
      expect(receiver.paths.at(-1)).toBe(gatewayIpnPath);
    } finally {
      await sandbox.close();
    }
  });

  it("serves INIT, QUERY and GET_BILL at the paths the section configures, as the connector's client calls them", async () => {
    const settings = { initPath: '/lgsp/paygov/init', queryPath: '/lgsp/paygov/query', billPath: '/lgsp/paygov/bill' };
    const sandbox = (await startEmbedded({ host: '127.0.0.1', port: 0, credentials: paygovSandboxDevCredentials, settings })) as PaygovSandbox;
    const client = await createSandboxClient(sandbox.baseUrl, paygovSandboxDevCredentials, settings);
    try {
      const payment = newPayment();
      await client.init(payment, testInvocation());
      sandbox.pay(payment.reference);
      expect(await client.query(payment.reference, testInvocation())).toMatchObject({ MaThamChieu: payment.reference, TrangThaiGD: '1' });
      expect(await client.getBill(payment.reference, testInvocation())).toMatchObject({ MaThamChieu: payment.reference });
      expect((await fetch(`${sandbox.baseUrl}/api/v1/thanh-toan/init`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("with the section's callbackUrl: IPNs go there, before and after the gateway listens", async () => {
    const sandbox = (await startEmbedded({ host: '127.0.0.1', port: 0, credentials: paygovSandboxDevCredentials, settings: { callbackUrl: receiver.url } })) as PaygovSandbox;
    try {
      expect(sandbox.ipnUrl).toBe(receiver.url);
      sandbox.gatewayListening('http://127.0.0.1:9');
      expect(sandbox.ipnUrl).toBe(receiver.url);
      const reference = await payOne(sandbox);
      expect(receiver.received.at(-1)?.MaThamChieu).toBe(reference);
    } finally {
      await sandbox.close();
    }
  });
});
