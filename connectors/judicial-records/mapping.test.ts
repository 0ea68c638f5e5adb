import { readFileSync } from 'node:fs';
import { UpstreamError } from '../../src/connector-kit/index.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import type { JudicialRecordCertificateRequest } from '../../contracts/types.generated.js';
import { formDate, readEnvelope, requestToUpstream, saysAlreadyReceived, statusFromRecord, statusFromUpstream, vietnamDay } from './mapping.js';
import type { LltpEnvelope, TrangThaiHoSoLLTP } from './upstream-types.js';

const fixture = <T>(name: string) => JSON.parse(readFileSync(connectorFile('judicial-records', `fixtures/${name}`), 'utf8')) as LltpEnvelope<T>;
const province = { code: '22', name: 'tỉnh Quảng Ninh' };
const request: JudicialRecordCertificateRequest = {
  dossierCode: '000.00.01.H22-251123-0001',
  certificateType: 'form-2',
  applicant: { personalId: '038038000123', fullName: 'Lê Văn Cụ', sex: 'male', birthDate: '1938', permanentAddress: { provinceCode: '22', communeCode: '06601', detail: 'Thôn 3' } },
  purpose: 'Bổ sung hồ sơ',
  receivedAt: '2025-11-22T18:30:00Z',
  dueDate: '2025-12-03',
};

describe('requestToUpstream', () => {
  it('writes the declaration: form, applicant, dates in dd/MM/yyyy and the day received in Vietnam', () => {
    const item = requestToUpstream(request, province);
    expect(item).toMatchObject({ maTinh: '22', tenTinh: 'tỉnh Quảng Ninh', maHoSoMCDT: request.dossierCode, nguonDangKy: '3', ngayTiepNhan: '23/11/2025' });
    expect(item.toKhai).toEqual({
      loaiPhieu: '2',
      yeuCauCDNCV: '0',
      mucDich: 'Bổ sung hồ sơ',
      soLuongCap: '1',
      nycHoTen: 'Lê Văn Cụ',
      nycGioiTinh: '1',
      nycNgaySinh: '00/00/1938',
      nycLoaiGiayTo: 'CCCD',
      nycSoGiayTo: '038038000123',
      nycQuocTich: 'VN',
      nycThuongTru: { maTinhThanh: '22', maPhuongXa: '06601', dcChiTiet: 'Thôn 3' },
      ngayHenTra: '03/12/2025',
    });
    expect(requestToUpstream({ ...request, channel: 'online', copies: 2, applicant: { ...request.applicant, sex: 'female' } }, province)).toMatchObject({ nguonDangKy: '1', toKhai: { soLuongCap: '2', nycGioiTinh: '2' } });
  });

  it('reads partial dates and instants the way the form writes them', () => {
    expect([formDate('1990-05-15'), formDate('1968-03'), formDate('1938')]).toEqual(['15/05/1990', '00/03/1968', '00/00/1938']);
    expect(vietnamDay('2025-11-22T16:59:59Z')).toBe('22/11/2025');
    expect(vietnamDay('2025-11-22T17:00:00Z')).toBe('23/11/2025');
  });
});

describe('readEnvelope', () => {
  it('takes "00" as success and hands any other code back with its detail', () => {
    expect(readEnvelope(fixture('tiep-nhan-ho-so-accepted.json'))).toEqual({ kind: 'ok', data: undefined });
    const already = readEnvelope(fixture('tiep-nhan-ho-so-already-received.json'));
    expect(already).toMatchObject({ kind: 'error', code: '01' });
    expect(saysAlreadyReceived((already as { detail: string }).detail)).toBe(true);
    expect(saysAlreadyReceived('Dữ liệu không hợp lệ: loaiPhieu')).toBe(false);
  });

  it('refuses an answer without statusCode as a contract violation', () => {
    expect(() => readEnvelope({ data: {} })).toThrow(expect.objectContaining({ kind: 'contract' }));
  });
});

describe('statusFromRecord', () => {
  it('gives the certificate number, date and authority, and nothing of what the certificate says', () => {
    const { data } = fixture<TrangThaiHoSoLLTP>('tra-cuu-ho-so-result-ready.json');
    const status = statusFromRecord(data!, '000.00.01.H22-251001-0004');
    expect(status).toEqual({
      dossierCode: '000.00.01.H22-251001-0004',
      status: 'result-ready',
      certificateType: 'form-1',
      receivedOn: '2025-10-01',
      dueDate: '2025-10-13',
      result: { certificateNumber: '000002/LLTP1-STP22', issuedOn: '2025-10-13', issuingAuthority: 'Sở Tư pháp tỉnh Quảng Ninh', copies: 1 },
    });
    expect(JSON.stringify(status)).not.toMatch(/án tích|Trộm|HS-ST|JVBER|Giám Đốc/);
  });

  it('gives the refusal reason, and no reason for other statuses', () => {
    const { data } = fixture<TrangThaiHoSoLLTP>('tra-cuu-ho-so-refused.json');
    expect(statusFromRecord(data!, '000.00.01.H22-251001-0003')).toMatchObject({ status: 'refused', reason: expect.stringContaining('bổ sung giấy khai sinh') });
    expect(statusFromRecord({ ...data!, trangThaiXuLy: '4' }, '000.00.01.H22-251001-0003')).not.toHaveProperty('reason');
  });

  it.each([
    ['another dossier', (record: TrangThaiHoSoLLTP) => ({ ...record, maHoSoMCDT: '000.00.01.H22-251001-0009' })],
    ['an unknown status code', (record: TrangThaiHoSoLLTP) => ({ ...record, trangThaiXuLy: '42' })],
    ['an issued certificate without ketQuaXuLy', (record: TrangThaiHoSoLLTP) => ({ ...record, ketQuaXuLy: null })],
    ['a certificate without its number', (record: TrangThaiHoSoLLTP) => ({ ...record, ketQuaXuLy: { ...record.ketQuaXuLy, soPhieuLLTP: '' } })],
    ['a two-digit year', (record: TrangThaiHoSoLLTP) => ({ ...record, ngayTiepNhan: '01/10/25' })],
    ['a form 3', (record: TrangThaiHoSoLLTP) => ({ ...record, loaiPhieu: '3' })],
  ])('refuses %s as a contract violation naming no value', (_case, alter) => {
    const { data } = fixture<TrangThaiHoSoLLTP>('tra-cuu-ho-so-result-ready.json');
    let thrown: unknown;
    try {
      statusFromRecord(alter(data!), '000.00.01.H22-251001-0004');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect((thrown as UpstreamError).kind).toBe('contract');
    expect((thrown as UpstreamError).message).not.toContain('048175000456');
  });

  it('maps every status code of the national table it knows', () => {
    expect(['2', '3', '4', '5', '7', '8', '9', '10'].map(statusFromUpstream)).toEqual(['received', 'refused', 'processing', 'supplement-requested', 'withdrawn', 'stopped', 'result-ready', 'result-returned']);
  });
});
