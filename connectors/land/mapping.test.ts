import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import { classifyLandError, upstreamCertificateSerial, upstreamNumber } from './client.js';
import { canonicalCertificateSerial, certificateFromGiayChungNhan, certificateFromLookup, codeAndLabelInOne, landArea, parcelsFromSearch, vndAmount } from './mapping.js';
import type { KetQuaTraCuuGiayChungNhan, KetQuaTraCuuThuaDat, ThuaDat } from './upstream-types.js';

// Recorded upstream answers (fixtures/README.md), parsed as the client parses them.
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const searchContract = contracts.validator('https://lgsp.gov.vn/contracts/land/v1/parcel-search-result.json');
const certificateContract = contracts.validator('https://lgsp.gov.vn/contracts/land/v1/certificate.json');

function fixture<T>(file: string): T {
  return JSON.parse(readFileSync(connectorFile('land', 'fixtures', file), 'utf8')) as T;
}

function parcels(file: string) {
  const result = { parcels: parcelsFromSearch(fixture<KetQuaTraCuuThuaDat>(file).DuLieu) };
  if (!searchContract(result)) throw new Error(`${file}: ${JSON.stringify(searchContract.errors)}`);
  return result.parcels;
}

function certificate(file: string) {
  const result = certificateFromGiayChungNhan(fixture<KetQuaTraCuuGiayChungNhan>(file).DuLieu!);
  if (!certificateContract(result)) throw new Error(`${file}: ${JSON.stringify(certificateContract.errors)}`);
  return result;
}

describe('land mapping on recorded upstream answers', () => {
  it('maps a full parcel: areas, uses with terms, owners by CCCD, certificate, mortgage, tax notices', () => {
    const [parcel, ...others] = parcels('thua-dat-found-couple-mortgaged.json');
    expect(others).toHaveLength(0);
    expect(parcel).toMatchObject({
      parcelId: '000040012003451',
      provinceCode: '01',
      communeCode: '00004',
      communeName: 'Phường Ba Đình',
      mapSheet: '12',
      parcelNumber: '345',
      area: 152.5,
      landUses: [
        { purpose: { code: 'ODT', label: 'Đất ở tại đô thị' }, area: 120, term: { longTerm: true, text: 'Lâu dài' } },
        { purpose: { code: 'CLN', label: 'Đất trồng cây lâu năm' }, area: 32.5, term: { longTerm: false, until: '2063-10-15' } },
      ],
      origin: { code: 'NCN', label: 'Nhận chuyển nhượng quyền sử dụng đất' },
      useForm: { code: 'C', label: 'Sử dụng chung' },
      owners: [
        { kind: { code: 'HGD', label: 'Hộ gia đình' }, fullName: 'Nguyễn Văn An', birthYear: '1990', personalId: '001090012345' },
        { fullName: 'Trần Thị Ngọc Ánh', personalId: '079301005678' },
      ],
      certificates: [{ serial: 'DA123456', registryNumber: 'CS01234', issuedOn: '2021-07-12', status: { code: '1', label: 'Đang hiệu lực' } }],
      encumbrances: [{ kind: { code: 'TC', label: 'Thế chấp quyền sử dụng đất' }, active: true, registeredOn: '2021-08-05', contractNumber: '0457/2021/HĐTC' }],
      landTaxNotices: [
        { noticeNumber: 'TB-2024-0012345', ownerName: 'NGUYỄN VĂN AN', taxType: { code: 'SDDPNN', label: 'Thuế sử dụng đất phi nông nghiệp' }, taxYear: '2024', amount: 1_250_000, dueDate: '2024-10-31', paymentStatus: 'Đã nộp' },
        { taxYear: '2025', paymentStatus: 'Chưa nộp' },
      ],
      updatedOn: '2025-01-12',
    });
    expect(parcel!.landUses[0]!.term).not.toHaveProperty('until');
    expect(parcel!.encumbrances[0]).not.toHaveProperty('cancelledOn');
    expect(JSON.stringify(parcel)).not.toMatch(/null|""/);
  });

  it('keeps a legacy record as recorded: no parcel id, upper-case name, old CMND recognised by its length', () => {
    const [parcel] = parcels('thua-dat-legacy-upper-case.json');
    expect(parcel).not.toHaveProperty('parcelId');
    expect(parcel!.owners).toEqual([expect.objectContaining({ fullName: 'LE VAN BAY', legacyIdNumber: '170123456' })]);
    expect(parcel!.owners[0]).not.toHaveProperty('personalId');
    // A missing restrictions member and an empty one read the same: no encumbrance known.
    expect(parcel!.encumbrances).toEqual([]);
    expect(parcel!.certificates[0]).toMatchObject({ serial: 'AB012345', registryNumber: '00871 QSDĐ', issuedOn: '1998-04-20' });
  });

  it('reads thousands dots in areas and leaves farm parcels without tax notices', () => {
    const [parcel] = parcels('thua-dat-farm-thousands-area.json');
    expect(parcel).toMatchObject({ area: 1250, landUses: [{ purpose: { code: 'LUC' }, area: 1250, term: { longTerm: false, until: '2063-10-15' } }] });
    expect(parcel!.landTaxNotices).toEqual([]);
  });

  it('maps a cancelled mortgage as inactive and an owner on her old CMND', () => {
    const [parcel] = parcels('thua-dat-mortgage-cancelled.json');
    expect(parcel!.encumbrances).toEqual([expect.objectContaining({ active: false, registeredOn: '2017-02-14', cancelledOn: '2022-03-01' })]);
    expect(parcel!.owners[0]).toMatchObject({ legacyIdNumber: '030123456' });
    expect(parcel!.landTaxNotices[0]).toMatchObject({ paymentStatus: 'Chưa nộp', amount: 780_000 });
  });

  it('leaves out what a sparse record does not hold', () => {
    const [parcel] = parcels('thua-dat-sparse-no-certificate.json');
    expect(parcel).not.toHaveProperty('address');
    expect(parcel!.landUses[0]).not.toHaveProperty('term');
    expect(parcel!.owners[0]).not.toHaveProperty('birthYear');
    expect(parcel!.owners[0]).not.toHaveProperty('address');
    expect(parcel).toMatchObject({ certificates: [], encumbrances: [], landTaxNotices: [] });
    expect(JSON.stringify(parcel)).not.toMatch(/null|""/);
  });

  it('reads "no such parcel" as an empty list', () => {
    expect(parcels('thua-dat-not-found.json')).toEqual([]);
  });

  it('maps a certificate with its holders and parcels', () => {
    const result = certificate('giay-chung-nhan-found.json');
    expect(result).toMatchObject({
      serial: 'DA123456',
      issuedOn: '2021-07-12',
      issuer: 'Sở Tài nguyên và Môi trường Thành phố Hà Nội',
      holders: [{ personalId: '001090012345' }, { personalId: '079301005678' }],
      parcels: [{ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }],
    });
    expect(certificate('giay-chung-nhan-legacy-upper-case.json').holders).toEqual([expect.objectContaining({ fullName: 'NGUYEN THI HOA', legacyIdNumber: '201234567' })]);
  });

  it('classifies the recorded error answers: caller mistakes rejected, not-found an answer, DD-99 a fault', () => {
    const verdict = (file: string, status: number) => classifyLandError({ status, body: fixture(file) })?.verdict;
    expect(verdict('thua-dat-invalid-commune.json', 400)).toBe('rejected');
    expect(verdict('giay-chung-nhan-invalid-serial.json', 400)).toBe('rejected');
    expect(verdict('giay-chung-nhan-not-found.json', 404)).toBe('answer');
    expect(verdict('giay-chung-nhan-fault-system-busy.json', 500)).toBe('fault');
    expect(classifyLandError({ status: 502, body: '<html>Bad Gateway</html>' })).toBeUndefined();
  });

  it('reads the land database\'s number, code and serial formats', () => {
    expect(landArea('152,5')).toBe(152.5);
    expect(landArea('1.250,0')).toBe(1250);
    expect(landArea('1.250')).toBe(1250);
    expect(landArea('152.5')).toBe(152.5);
    expect(landArea('')).toBeUndefined();
    expect(landArea('khoảng 100')).toBeUndefined();
    expect(vndAmount('1.250.000')).toBe(1_250_000);
    expect(vndAmount('')).toBeUndefined();
    expect(codeAndLabelInOne('DG-CTT - Nhà nước giao đất có thu tiền sử dụng đất')).toEqual({ code: 'DG-CTT', label: 'Nhà nước giao đất có thu tiền sử dụng đất' });
    expect(codeAndLabelInOne('NTK')).toEqual({ code: 'NTK' });
    expect(canonicalCertificateSerial('DA 123456')).toBe('DA123456');
    expect(upstreamCertificateSerial('DA123456')).toBe('DA 123456');
    expect(upstreamNumber('012')).toBe('12');
  });

  it('has contract examples that satisfy their contracts', () => {
    for (const [id, validate] of [
      ['parcel-search-result', searchContract],
      ['certificate', certificateContract],
    ] as const) {
      const examples = contracts.get(`https://lgsp.gov.vn/contracts/land/v1/${id}.json`).examples as unknown[] | undefined;
      expect(examples?.length).toBeGreaterThan(0);
      for (const example of examples!) expect(validate(example)).toBe(true);
    }
  });

  it('refuses a certificate with another serial (or none) as a contract violation, never a release', () => {
    const record = fixture<KetQuaTraCuuGiayChungNhan>('giay-chung-nhan-found.json').DuLieu!;
    expect(certificateFromLookup(record, 'DA123456')).toMatchObject({ serial: 'DA123456' });
    const contractViolation = expect.objectContaining({ name: 'UpstreamError', kind: 'contract' });
    expect(() => certificateFromLookup(record, 'DA123457')).toThrow(contractViolation);
    expect(() => certificateFromLookup({ ...record, SoPhatHanh: '' }, 'DA123456')).toThrow(contractViolation);
  });

  it('reads the dates other systems write (ISO, compact, partial) and refuses impossible ones', () => {
    const [record] = fixture<KetQuaTraCuuThuaDat>('thua-dat-found-couple-mortgaged.json').DuLieu! as ThuaDat[];
    const updatedOn = (NgayCapNhat: string) => parcelsFromSearch([{ ...record!, NgayCapNhat }])[0]!.updatedOn;
    expect(updatedOn('2025-01-12')).toBe('2025-01-12');
    expect(updatedOn('20250112')).toBe('2025-01-12');
    expect(updatedOn('1/2025')).toBe('2025-01');
    expect(updatedOn('2025')).toBe('2025');
    expect(() => updatedOn('31/04/2025')).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => updatedOn('12-01-2025')).toThrow(expect.objectContaining({ kind: 'contract' }));
    // A birth year written as a whole date still gives the year.
    const owners = (NamSinh: string) => parcelsFromSearch([{ ...record!, ChuSuDung: [{ ...record!.ChuSuDung![0]!, NamSinh }] }])[0]!.owners[0]!.birthYear;
    expect(owners('15/05/1990')).toBe('1990');
  });
});
