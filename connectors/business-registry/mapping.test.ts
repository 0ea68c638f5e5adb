import { readFileSync } from 'node:fs';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { fromProjectRoot } from '../../src/paths.js';
import { classifyRegistryAnswer } from './client.js';
import { businessFor, businessFromDoanhNghiep, businessFromHoKinhDoanh, businessFromHopTacXa, readEnvelope } from './mapping.js';
import type { DoanhNghiep, HoKinhDoanh, HopTacXa, ProxyEnvelope } from './upstream-types.js';

// Recorded proxy answers (fixtures/README.md).
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const businessContract = contracts.validator('https://lgsp.gov.vn/contracts/business-registry/v1/enterprise.json');

function envelope<Record>(file: string): ProxyEnvelope<Record> {
  return JSON.parse(readFileSync(connectorFile('business-registry', 'fixtures', file), 'utf8')) as ProxyEnvelope<Record>;
}

function record<Record>(file: string): Record {
  const outcome = readEnvelope(envelope<Record>(file));
  if (outcome.kind !== 'record') throw new Error(`${file}: expected a record`);
  return outcome.record;
}

function valid<T>(business: T): T {
  expect(businessContract(business)).toBe(true);
  return business;
}

describe('business-registry mapping on recorded proxy answers', () => {
  it('maps an active enterprise: names, legal form, dates, representative with identity paper, lines, capital', () => {
    const business = valid(businessFromDoanhNghiep(record<DoanhNghiep>('doanh-nghiep-active.json')));
    expect(business).toMatchObject({
      enterpriseCode: '0101234565',
      kind: 'enterprise',
      registrationNumber: '0101234565',
      legalForm: { code: '2', label: 'Công ty trách nhiệm hữu hạn một thành viên' },
      name: 'CÔNG TY TNHH CÔNG NGHỆ AN PHÁT',
      foreignName: 'AN PHAT TECHNOLOGY COMPANY LIMITED',
      shortName: 'AN PHAT TECH',
      firstRegisteredOn: '2016-03-14',
      lastChangedAt: '2024-09-05T10:12:44+07:00',
      changeCount: 3,
      legalStatus: { code: '01', label: 'Đang hoạt động' },
      legalRepresentatives: [{ fullName: 'NGUYỄN VĂN AN', idDocument: { type: 'Căn cước công dân', number: '001090012345' }, nationality: 'Việt Nam' }],
      headOffice: { provinceCode: '01', communeCode: '00004', street: 'Số 18 Phố Đội Cấn' },
      capital: 5_000_000_000,
    });
    expect(business.businessLines?.filter((line) => line.main)).toEqual([{ code: '6201', name: 'Lập trình máy vi tính', main: true }]);
    // Empty suspension fields of an active business are no value.
    expect(business.legalStatus).toEqual({ code: '01', label: 'Đang hoạt động' });
    expect(JSON.stringify(business)).not.toMatch(/null|""/);
  });

  it('keeps the suspension period and reason; absent optional names stay absent', () => {
    const business = valid(businessFromDoanhNghiep(record<DoanhNghiep>('doanh-nghiep-suspended.json')));
    expect(business.legalStatus).toEqual({
      code: '02',
      label: 'Tạm ngừng kinh doanh có thời hạn',
      suspendedFrom: '2026-03-01',
      suspendedUntil: '2027-02-28',
      suspensionReason: 'Khó khăn về tài chính, tạm ngừng để cơ cấu lại hoạt động sản xuất',
    });
    expect(business).not.toHaveProperty('foreignName');
    expect(business.legalRepresentatives[0]!.idDocument).toMatchObject({ type: 'Chứng minh nhân dân', number: '030123456', issuedOn: '2006-06-12' });
  });

  it('maps a dissolved enterprise and a branch', () => {
    expect(valid(businessFromDoanhNghiep(record<DoanhNghiep>('doanh-nghiep-dissolved.json'))).legalStatus).toMatchObject({ code: '04', label: 'Đã giải thể' });
    const branch = valid(businessFromDoanhNghiep(record<DoanhNghiep>('doanh-nghiep-branch.json')));
    expect(branch).toMatchObject({ enterpriseCode: '0101234565-001', kind: 'branch', headUnitCode: '0101234565', changeCount: 0 });
    // Never changed: the empty change date is no value; no capital of its own.
    expect(branch).not.toHaveProperty('lastChangedAt');
    expect(branch).not.toHaveProperty('capital');
  });

  it('lists every legal representative', () => {
    const business = valid(businessFromDoanhNghiep(record<DoanhNghiep>('doanh-nghiep-two-representatives.json')));
    expect(business.legalRepresentatives.map((person) => person.idDocument?.number)).toEqual(['079301005678', '001090012345']);
  });

  it('maps a cooperative and a household business (its owner as the representative)', () => {
    expect(valid(businessFromHopTacXa(record<HopTacXa>('hop-tac-xa.json')))).toMatchObject({ enterpriseCode: '2601234567', kind: 'cooperative', legalRepresentatives: [{ idDocument: { number: '026092001357' } }] });
    expect(valid(businessFromHoKinhDoanh(record<HoKinhDoanh>('ho-kinh-doanh.json')))).toMatchObject({
      enterpriseCode: '8012345677',
      kind: 'household-business',
      name: 'HỘ KINH DOANH NGUYỄN THỊ HOA',
      legalRepresentatives: [{ fullName: 'NGUYỄN THỊ HOA', idDocument: { type: 'Chứng minh nhân dân', number: '201234567' } }],
      headOffice: { provinceCode: '48', communeCode: '20242' },
    });
  });

  it('reads not found from error_code 1, in its register or another', () => {
    expect(readEnvelope(envelope('doanh-nghiep-not-found.json'))).toEqual({ kind: 'not_found' });
    expect(readEnvelope(envelope('doanh-nghiep-wrong-register.json'))).toEqual({ kind: 'not_found' });
  });

  it('treats any other error_code as the registry failing, and a 400 as the caller’s mistake', () => {
    expect(readEnvelope({ error_code: 99, message: 'bận' })).toEqual({ kind: 'error', code: '99' });
    expect(readEnvelope({ message: 'no code' })).toEqual({ kind: 'error', code: 'missing error_code' });
    expect(readEnvelope({ error_code: '0', data: null })).toEqual({ kind: 'not_found' });
    expect(classifyRegistryAnswer({ status: 400, body: { error_code: 2 } })).toBe('rejected');
    expect(classifyRegistryAnswer({ status: 500, body: { error_code: 99 } })).toBe('fault');
    expect(classifyRegistryAnswer({ status: 502, body: '<html>' })).toBeUndefined();
  });

  it('refuses a record for another code (or without one) as a contract violation, in every register', () => {
    const contractViolation = expect.objectContaining({ name: 'UpstreamError', kind: 'contract' });
    const enterprise = businessFromDoanhNghiep(record<DoanhNghiep>('doanh-nghiep-active.json'));
    expect(businessFor('0101234565', enterprise)).toBe(enterprise);
    expect(() => businessFor('0301234562', enterprise)).toThrow(contractViolation);
    expect(() => businessFor('0101234565-001', enterprise)).toThrow(contractViolation);
    const cooperative = record<HopTacXa>('hop-tac-xa.json');
    expect(() => businessFor('0101234565', businessFromHopTacXa(cooperative))).toThrow(contractViolation);
    const household = record<HoKinhDoanh>('ho-kinh-doanh.json');
    expect(() => businessFor('0101234565', businessFromHoKinhDoanh(household))).toThrow(contractViolation);
    expect(() => businessFor('0101234565', businessFromDoanhNghiep({ ...record<DoanhNghiep>('doanh-nghiep-active.json'), MaSoDoanhNghiep: '' }))).toThrow(contractViolation);
  });

  it('reads the dates adapters write (ISO, compact, unpadded day first) and refuses partial or impossible ones', () => {
    const active = record<DoanhNghiep>('doanh-nghiep-active.json');
    const registeredOn = (NgayDangKyLanDau: string) => businessFromDoanhNghiep({ ...active, NgayDangKyLanDau }).firstRegisteredOn;
    expect(registeredOn('2016-03-14')).toBe('2016-03-14');
    expect(registeredOn('20160314')).toBe('2016-03-14');
    expect(registeredOn('14/3/2016')).toBe('2016-03-14');
    expect(registeredOn('')).toBeUndefined();
    expect(() => registeredOn('03/2016')).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => registeredOn('30/02/2016')).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => registeredOn('2016-03-14T00:00:00')).toThrow(expect.objectContaining({ kind: 'contract' }));
  });
});
