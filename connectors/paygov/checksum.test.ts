import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { createMessageChecksumAuth } from '../../src/connector-kit/upstream-auth/message-checksum.js';
import { initChecksum, initChecksumParts, ipnChecksum, ipnChecksumParts, queryChecksum, queryChecksumParts, verifyIpnChecksum, type IpnChecksumFields } from './checksum.js';

/**
 * Vectors written by hand from REFERENCE.md's formulas, NOT produced by this
 * code: each expected value was computed in a shell with
 *   printf '%s' '<the pipe-joined line below>' | sha256sum
 * and pasted here. The line is repeated above each vector so a reviewer can
 * recompute it.
 */
/** The paid IPN of fixtures/ipn-hand-vector.json (shared with the payments tests); its line:
 *  IPN|00|000.00.01.H22|LGSP250521000001|150000|VND|PG20250521000123|VCB|20250521143512|Nộp lệ phí hồ sơ 000.00.01.H22-250521-0001|s3cr3t-Key */
const handVector = JSON.parse(readFileSync(connectorFile('paygov', 'fixtures', 'ipn-hand-vector.json'), 'utf8')) as {
  secret: string;
  previousSecret: string;
  message: IpnChecksumFields & { MaXacThuc: string };
  sealedWithPreviousSecret: string;
};
const { secret, previousSecret, message: paidIpn } = handVector;

describe('paygov checksums: the platform formulas, checked against hand-computed vectors', () => {
  it('INIT, every field present', () => {
    // INIT|1.0.6|000.00.01.H22|LGSP250521000001|150000|PAY|WEB|DESKTOP|vi-VN|VND||Nop le phi ho so 000.00.01.H22-250521-0001|20250521143000|203.162.4.1|s3cr3t-Key
    const fields = {
      LoaiBanTin: 'INIT',
      PhienBan: '1.0.6',
      MaDoiTac: '000.00.01.H22',
      MaThamChieu: 'LGSP250521000001',
      SoTien: 150000,
      LoaiHinhThanhToan: 'PAY',
      MaKenhThanhToan: 'WEB',
      MaThietBi: 'DESKTOP',
      NgonNgu: 'vi-VN',
      MaTienTe: 'VND',
      MaNganHang: '',
      ThongTinGiaoDich: 'Nop le phi ho so 000.00.01.H22-250521-0001',
      ThoiGianGD: '20250521143000',
      Ip: '203.162.4.1',
    };
    expect(initChecksum(fields, secret)).toBe('b96d014c7218c30fb049cba6d919c0da492309bf1306cd683d0157909f0290f8');
    // The amount as a number or as its digits: the same text, the same checksum.
    expect(initChecksum({ ...fields, SoTien: '150000' }, secret)).toBe('b96d014c7218c30fb049cba6d919c0da492309bf1306cd683d0157909f0290f8');
  });

  it('INIT, optional fields absent: empty strings between the pipes (assumption)', () => {
    // INIT|1.0.6|000.00.01.H22|LGSP250521000001|150000|PAY|||vi-VN|VND||Nop le phi|20250521143000||s3cr3t-Key
    const fields = {
      LoaiBanTin: 'INIT',
      PhienBan: '1.0.6',
      MaDoiTac: '000.00.01.H22',
      MaThamChieu: 'LGSP250521000001',
      SoTien: '150000',
      LoaiHinhThanhToan: 'PAY',
      NgonNgu: 'vi-VN',
      MaTienTe: 'VND',
      ThongTinGiaoDich: 'Nop le phi',
      ThoiGianGD: '20250521143000',
    };
    expect(initChecksum(fields, secret)).toBe('b1d3c11854ee9234e58b40ce0ef44f9a42ad935fb598dd4ab80cced137cd1573');
    expect(initChecksum({ ...fields, MaKenhThanhToan: null, Ip: '' }, secret)).toBe('b1d3c11854ee9234e58b40ce0ef44f9a42ad935fb598dd4ab80cced137cd1573');
  });

  it('IPN, with Vietnamese diacritics in ThongTinGiaoDich hashed as UTF-8', () => {
    expect(ipnChecksum(paidIpn, secret)).toBe(paidIpn.MaXacThuc);
  });

  it('QUERY', () => {
    // QUERY|1.0.6|000.00.01.H22|LGSP250521000001|20250521150000|s3cr3t-Key
    expect(queryChecksum({ LoaiBanTin: 'QUERY', PhienBan: '1.0.6', MaDoiTac: '000.00.01.H22', MaThamChieu: 'LGSP250521000001', ThoiGianGD: '20250521150000' }, secret)).toBe(
      'ab07e72c83b4b4e7185ae7018691632f207c8709c7d6dd3d6d7ae47134afd928',
    );
  });
});

describe("the kit's message-checksum seal over our ordered parts: the same hand vectors, the secret only in the kit", () => {
  const auth = createMessageChecksumAuth({ partnerCode: '000.00.01.H22', secretKey: secret });
  const seal = (parts: readonly string[]) => auth.seal!(parts);

  it('INIT, every field present, and with optional fields absent', () => {
    const full = {
      LoaiBanTin: 'INIT', PhienBan: '1.0.6', MaDoiTac: '000.00.01.H22', MaThamChieu: 'LGSP250521000001', SoTien: 150000, LoaiHinhThanhToan: 'PAY', MaKenhThanhToan: 'WEB',
      MaThietBi: 'DESKTOP', NgonNgu: 'vi-VN', MaTienTe: 'VND', MaNganHang: '', ThongTinGiaoDich: 'Nop le phi ho so 000.00.01.H22-250521-0001', ThoiGianGD: '20250521143000', Ip: '203.162.4.1',
    };
    expect(initChecksumParts(full)).toEqual(['INIT', '1.0.6', '000.00.01.H22', 'LGSP250521000001', '150000', 'PAY', 'WEB', 'DESKTOP', 'vi-VN', 'VND', '', 'Nop le phi ho so 000.00.01.H22-250521-0001', '20250521143000', '203.162.4.1']);
    expect(seal(initChecksumParts(full))).toBe('b96d014c7218c30fb049cba6d919c0da492309bf1306cd683d0157909f0290f8');
    const sparse = { LoaiBanTin: 'INIT', PhienBan: '1.0.6', MaDoiTac: '000.00.01.H22', MaThamChieu: 'LGSP250521000001', SoTien: '150000', LoaiHinhThanhToan: 'PAY', NgonNgu: 'vi-VN', MaTienTe: 'VND', ThongTinGiaoDich: 'Nop le phi', ThoiGianGD: '20250521143000', MaKenhThanhToan: null };
    expect(seal(initChecksumParts(sparse))).toBe('b1d3c11854ee9234e58b40ce0ef44f9a42ad935fb598dd4ab80cced137cd1573');
  });

  it('QUERY', () => {
    const parts = queryChecksumParts({ LoaiBanTin: 'QUERY', PhienBan: '1.0.6', MaDoiTac: '000.00.01.H22', MaThamChieu: 'LGSP250521000001', ThoiGianGD: '20250521150000' });
    expect(parts).toEqual(['QUERY', '1.0.6', '000.00.01.H22', 'LGSP250521000001', '20250521150000']);
    expect(seal(parts)).toBe('ab07e72c83b4b4e7185ae7018691632f207c8709c7d6dd3d6d7ae47134afd928');
  });

  it('IPN (diacritics as UTF-8), with the active and with the previous secret', () => {
    expect(seal(ipnChecksumParts(paidIpn))).toBe(paidIpn.MaXacThuc);
    expect(createMessageChecksumAuth({ partnerCode: '000.00.01.H22', secretKey: previousSecret }).seal!(ipnChecksumParts(paidIpn))).toBe(handVector.sealedWithPreviousSecret);
  });

  it('names the partner code as its account', () => {
    expect(auth.account).toBe('000.00.01.H22');
  });
});

describe('verifyIpnChecksum: never accepts a bad one', () => {
  it('accepts the hand-computed checksum with the active secret', () => {
    expect(verifyIpnChecksum(paidIpn, [secret])).toEqual({ valid: true, secretIndex: 0 });
  });

  it('accepts a message sealed with the previous secret during a rotation, and says so', () => {
    // IPN|00|000.00.01.H22|LGSP250521000001|150000|VND|PG20250521000123|VCB|20250521143512|Nộp lệ phí hồ sơ 000.00.01.H22-250521-0001|0ld-s3cr3t
    const sealedWithPrevious = { ...paidIpn, MaXacThuc: handVector.sealedWithPreviousSecret };
    expect(verifyIpnChecksum(sealedWithPrevious, [secret, previousSecret])).toEqual({ valid: true, secretIndex: 1 });
    expect(verifyIpnChecksum(paidIpn, [secret, previousSecret])).toEqual({ valid: true, secretIndex: 0 });
    // Once the overlap ends (previous secret dropped) it is refused.
    expect(verifyIpnChecksum(sealedWithPrevious, [secret])).toEqual({ valid: false });
  });

  it('refuses a one-character change anywhere in the message', () => {
    expect(verifyIpnChecksum({ ...paidIpn, SoTien: '150001' }, [secret]).valid).toBe(false);
    expect(verifyIpnChecksum({ ...paidIpn, MaLoi: '01' }, [secret]).valid).toBe(false);
    expect(verifyIpnChecksum({ ...paidIpn, ThongTinGiaoDich: 'Nộp lệ phí hồ sơ 000.00.01.H22-250521-0002' }, [secret]).valid).toBe(false);
    // Same letters without diacritics are other bytes.
    expect(verifyIpnChecksum({ ...paidIpn, ThongTinGiaoDich: 'Nop le phi ho so 000.00.01.H22-250521-0001' }, [secret]).valid).toBe(false);
    const flipped = paidIpn.MaXacThuc.slice(0, -1) + (paidIpn.MaXacThuc.endsWith('a') ? 'b' : 'a');
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: flipped }, [secret]).valid).toBe(false);
  });

  it('refuses a checksum that is correct for a changed amount but sent with the original one', () => {
    // IPN|00|000.00.01.H22|LGSP250521000001|150001|VND|...|s3cr3t-Key: a checksum of another message.
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: 'bcc0815c17462a0d0de373c76efc227f1c75775cdc9957a17f71e5641d929fdf' }, [secret]).valid).toBe(false);
    expect(verifyIpnChecksum({ ...paidIpn, SoTien: '150001', MaXacThuc: 'bcc0815c17462a0d0de373c76efc227f1c75775cdc9957a17f71e5641d929fdf' }, [secret]).valid).toBe(true);
  });

  it('refuses upper-case hex, a truncated, an over-long, an empty or a missing checksum without throwing', () => {
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: paidIpn.MaXacThuc.toUpperCase() }, [secret])).toEqual({ valid: false });
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: paidIpn.MaXacThuc.slice(0, 63) }, [secret])).toEqual({ valid: false });
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: paidIpn.MaXacThuc.slice(0, 10) }, [secret])).toEqual({ valid: false });
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: `${paidIpn.MaXacThuc}0` }, [secret])).toEqual({ valid: false });
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: '' }, [secret])).toEqual({ valid: false });
    const { MaXacThuc: _dropped, ...unsigned } = paidIpn;
    expect(verifyIpnChecksum(unsigned, [secret])).toEqual({ valid: false });
    expect(verifyIpnChecksum({ ...paidIpn, MaXacThuc: 12345 as unknown as string }, [secret])).toEqual({ valid: false });
  });

  it('refuses everything when no secret (or only an empty one) is configured', () => {
    expect(verifyIpnChecksum(paidIpn, [])).toEqual({ valid: false });
    const emptyKeyed = { ...paidIpn, MaXacThuc: ipnChecksum(paidIpn, '') };
    expect(verifyIpnChecksum(emptyKeyed, [''])).toEqual({ valid: false });
  });

  it('refuses a message sealed with another secret', () => {
    expect(verifyIpnChecksum(paidIpn, ['another-secret', previousSecret])).toEqual({ valid: false });
  });
});
