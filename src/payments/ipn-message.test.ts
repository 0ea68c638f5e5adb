import { outcomeOfResultCode, parseIpn } from './ipn-message.js';

const valid = {
  LoaiBanTin: 'IPN', MaLoi: '00', MaDoiTac: 'P', MaThamChieu: 'PG2605210000ABC', SoTien: '150000', MaTienTe: 'VND',
  MaGiaoDich: 'T1', MaNganHang: 'VCB', ThoiGianGD: '20250521143512', ThongTinGiaoDich: 'x', MaXacThuc: 'a'.repeat(64),
};
const parse = (body: unknown) => parseIpn(JSON.stringify(body));

describe('parseIpn: nothing believed, nothing reshaped', () => {
  it('reads a well-formed IPN, Vietnam time to UTC', () => {
    const result = parse(valid);
    expect(result).toMatchObject({ ok: true, ipn: { reference: 'PG2605210000ABC', amount: 150000, currency: 'VND', resultCode: '00', partnerCode: 'P', platformTransactionId: 'T1', bankCode: 'VCB' } });
    expect(result.ok && result.ipn.at?.toISOString()).toBe('2025-05-21T07:35:12.000Z');
    expect(parse({ ...valid, SoTien: 150000 })).toMatchObject({ ok: true, ipn: { amount: 150000 } });
  });

  it.each([
    ['not JSON', '{oops'],
    ['an array', '[]'],
    ['null', 'null'],
  ])('refuses %s', (_what, text) => expect(parseIpn(text)).toMatchObject({ ok: false }));

  it('refuses a message that does not say it is an IPN (another sealed message of ours re-sent here)', () => {
    expect(parse({ ...valid, LoaiBanTin: 'INIT' })).toMatchObject({ ok: false });
    const { LoaiBanTin: _kind, ...withoutKind } = valid;
    expect(parse(withoutKind)).toMatchObject({ ok: false });
  });

  it.each([
    ['a decimal amount', { SoTien: '150.000' }],
    ['an amount with a space', { SoTien: ' 150000' }],
    ['a fractional amount', { SoTien: 1.5 }],
    ['a negative amount', { SoTien: -1 }],
    ['an exponent', { SoTien: '1e5' }],
    ['an object field', { ThongTinGiaoDich: { a: 1 } }],
    ['a numeric MaLoi', { MaLoi: 0 }],
    ['a boolean', { MaTienTe: true }],
    ['no checksum', { MaXacThuc: undefined }],
    ['no partner', { MaDoiTac: '' }],
    ['a reference not ours', { MaThamChieu: "x'; DROP TABLE payments;--" }],
    ['a reference too long', { MaThamChieu: 'A'.repeat(21) }],
  ])('refuses %s, keeping the reference when it is one of ours', (_what, change) => {
    const result = parse({ ...valid, ...change });
    expect(result.ok).toBe(false);
    if (!('MaThamChieu' in change)) expect(result).toMatchObject({ reference: 'PG2605210000ABC' });
    else expect(result).not.toHaveProperty('reference');
  });

  it('maps MaLoi: 00 paid, 02 cancelled, anything else failed', () => {
    expect(['00', '01', '02', '99', 'XX'].map(outcomeOfResultCode)).toEqual(['paid', 'failed', 'cancelled', 'failed', 'failed']);
  });
});
