import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { createMessageChecksumAuth } from '../../src/connector-kit/upstream-auth/message-checksum.js';
import { verifyIpnChecksum } from './checksum.js';
import { classifyPaygovCode } from './client.js';
import { initMessage, initOutcome, maxReferenceLength, PaygovPaymentError, paymentTotal, queryOutcome, queryState, receiptFromBill, vietnamTime, vndAmount, type InitSettings, type PaygovPayment } from './mapping.js';
import type { GetBillReply, InitReply, IpnMessage, QueryReply } from './upstream-types.js';

function fixture<T>(file: string): T {
  return JSON.parse(readFileSync(connectorFile('paygov', 'fixtures', file), 'utf8')) as T;
}

const devSecret = 'dev-only-paygov-checksum-secret';
// Sealed by the kit's message-checksum auth, as the gateway seals it: the fixture's MaXacThuc was written with the formula and this secret.
const devAuth = createMessageChecksumAuth({ partnerCode: 'LGSP-DEV', secretKey: devSecret });
const settings: InitSettings = { partnerCode: devAuth.account!, seal: (parts) => devAuth.seal!(parts), protocolVersion: '1.0.6', channelCode: '', deviceCode: '', language: 'vi-VN', serviceCode: '' };

const payment: PaygovPayment = {
  reference: 'LGSP250521000001',
  dossierCode: '000.00.01.H22-250521-0001',
  procedureCode: '1.003560.000.00.00.H56',
  agencyCode: '000.00.01.H22',
  payerName: 'Nguyễn Văn An',
  feeItems: [
    { code: 'LP01', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75_000 },
    { code: 'P02', name: 'Phí thẩm định hồ sơ', amount: 75_000, kind: 'fee' },
  ],
  payerIp: '203.162.4.1',
  createdAt: new Date('2025-05-21T07:30:00Z'),
};

describe('paygov mapping: our payment → INIT', () => {
  it('builds exactly the hand-written INIT, checksum included (14:30 in Vietnam is 07:30 UTC)', () => {
    expect(initMessage(payment, settings)).toEqual(fixture('init-request.json'));
  });

  it('totals the fee items in integer VND and refuses what the platform cannot take, naming the field', () => {
    expect(paymentTotal(payment.feeItems)).toBe(150_000);
    const refused = (changed: Partial<PaygovPayment>) => {
      try {
        initMessage({ ...payment, ...changed }, settings);
      } catch (error) {
        return error instanceof PaygovPaymentError ? error.field : 'other';
      }
      return 'accepted';
    };
    expect(refused({ feeItems: [] })).toBe('feeItems');
    expect(refused({ feeItems: [{ code: 'LP01', name: 'x', amount: 1500.5 }] })).toBe('feeItems[0].amount');
    expect(refused({ feeItems: [{ code: 'LP01', name: 'x', amount: 1000 }, { code: 'P02', name: 'y', amount: 0 }] })).toBe('feeItems[1].amount');
    expect(refused({ feeItems: [{ code: 'LP01', name: 'x', amount: -5 }] })).toBe('feeItems[0].amount');
    expect(refused({ reference: 'A'.repeat(maxReferenceLength + 1) })).toBe('reference');
    expect(refused({ reference: 'LGSP-2505' })).toBe('reference');
    expect(refused({ reference: 'A'.repeat(maxReferenceLength) })).toBe('accepted');
  });

  it('keeps a given description (with diacritics) and leaves an unknown IP empty', () => {
    const message = initMessage({ ...payment, description: 'Nộp lệ phí hồ sơ', payerIp: undefined }, settings);
    expect(message.ThongTinGiaoDich).toBe('Nộp lệ phí hồ sơ');
    expect(message.Ip).toBe('');
    expect(message.MaXacThuc).not.toBe(fixture<{ MaXacThuc: string }>('init-request.json').MaXacThuc);
  });

  it('writes Vietnam time across midnight and month ends', () => {
    expect(vietnamTime(new Date('2025-12-31T17:00:00Z'))).toBe('20260101000000');
    expect(vietnamTime(new Date('2025-02-28T16:59:59Z'))).toBe('20250228235959');
  });
});

describe('paygov mapping: platform replies → ours', () => {
  it('reads the payment URL and the platform transaction id from an INIT reply', () => {
    expect(initOutcome(fixture<InitReply>('init-reply.json'))).toEqual({ paymentUrl: 'http://127.0.0.1:8207/thanh-toan/3f9c2a7d41be4c0e9a1d5b6e7f808192', platformTransactionId: 'PG20250521000001' });
    // An "00" without the payment URL breaks the contract (a refusal such as init-reply-bad-checksum.json never reaches
    // initOutcome: the client's envelope turns MaLoi 01 into an auth error, client.test.ts).
    expect(() => initOutcome({ MaLoi: '00' } as InitReply)).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => initOutcome({ MaLoi: '00', UrlThanhToan: 'javascript:alert(1)' })).toThrow(expect.objectContaining({ kind: 'contract' }));
  });

  it('maps TrangThaiGD 1/3/4 (string or number) to paid/pending/failed, and nothing else', () => {
    expect(queryOutcome(fixture<QueryReply>('query-reply-paid.json'))).toEqual({
      state: 'paid',
      amount: 150_000,
      currency: 'VND',
      platformTransactionId: 'PG20250521000001',
      bankCode: 'VCB',
      at: '2025-05-21T14:35:12+07:00',
    });
    expect(queryOutcome(fixture<QueryReply>('query-reply-pending.json'))).toEqual({ state: 'pending', amount: 20_000, currency: 'VND', platformTransactionId: 'PG20250521000003' });
    expect(queryOutcome(fixture<QueryReply>('query-reply-failed-number-state.json'))).toMatchObject({ state: 'failed', amount: 50_000 });
    for (const unknown of ['2', '0', '', null, undefined, 'success']) {
      expect(() => queryState({ MaLoi: '00', TrangThaiGD: unknown })).toThrow(expect.objectContaining({ kind: 'contract' }));
    }
  });

  it('reads a GET_BILL receipt', () => {
    expect(receiptFromBill(fixture<GetBillReply>('get-bill-reply.json').BienLai!)).toEqual({
      receiptNumber: '0000001',
      receiptSeries: 'BLP/25E',
      platformTransactionId: 'PG20250521000001',
      amount: 150_000,
      currency: 'VND',
      paidAt: '2025-05-21T14:35:12+07:00',
      payerName: 'Nguyễn Văn An',
      dossierCode: '000.00.01.H22-250521-0001',
      procedureCode: '1.003560.000.00.00.H56',
      items: [
        { code: 'LP01', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75_000 },
        { code: 'P02', name: 'Phí thẩm định hồ sơ', amount: 75_000 },
      ],
    });
    expect(() => receiptFromBill({ SoBienLai: '1', SoTien: '150.000', ThoiGianThanhToan: '20250521143512' })).toThrow(expect.objectContaining({ kind: 'contract' }));
  });

  // What an IPN claims is read by src/payments/ipn-message.ts (the one reading: '02' is cancelled there).
  it('the recorded IPNs carry checksums valid under the development secret only', () => {
    const paid = fixture<IpnMessage>('ipn-paid.json');
    const cancelled = fixture<IpnMessage>('ipn-cancelled-number-amount.json');
    expect(verifyIpnChecksum(paid as never, [devSecret])).toEqual({ valid: true, secretIndex: 0 });
    // A JSON number is hashed as its digits: the same as the string the platform would have joined.
    expect(verifyIpnChecksum(cancelled as never, [devSecret])).toEqual({ valid: true, secretIndex: 0 });
    expect(verifyIpnChecksum(paid as never, ['another-secret'])).toEqual({ valid: false });
  });

  it('classifies the platform reply codes', () => {
    expect(classifyPaygovCode('00')?.verdict).toBe('answer');
    expect(classifyPaygovCode(fixture<QueryReply>('query-reply-not-found.json').MaLoi!)?.verdict).toBe('answer');
    expect(classifyPaygovCode(fixture<GetBillReply>('get-bill-reply-not-paid.json').MaLoi!)?.verdict).toBe('answer');
    expect(classifyPaygovCode('01')?.verdict).toBe('auth');
    expect(classifyPaygovCode('03')?.verdict).toBe('auth');
    expect(classifyPaygovCode('02')?.verdict).toBe('rejected');
    expect(classifyPaygovCode('05')?.verdict).toBe('rejected');
    expect(classifyPaygovCode('99')?.verdict).toBe('fault');
    expect(classifyPaygovCode(undefined)).toBeUndefined();
  });

  it('reads amounts as integer VND only, and times only when real', () => {
    expect(vndAmount('150000')).toBe(150_000);
    expect(vndAmount(150_000)).toBe(150_000);
    for (const bad of ['150.000', '1,5', '-1', '', '1e5', 1.5, -1, null, undefined]) expect(vndAmount(bad)).toBeUndefined();
    // A QUERY answer whose time is not a real yyyyMMddHHmmss breaks the platform's contract: never a silently missing payment time.
    for (const bad of ['20250230120000', '20250521246000', '2025-05-21']) {
      expect(() => queryOutcome({ MaLoi: '00', MaThamChieu: 'R1', TrangThaiGD: '1', ThoiGianGD: bad } as never)).toThrow(expect.objectContaining({ kind: 'contract' }));
    }
  });
});
