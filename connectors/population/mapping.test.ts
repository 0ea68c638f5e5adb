import { readFileSync } from 'node:fs';
import soap from 'soap';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { fromProjectRoot } from '../../src/paths.js';
import { classifyPopulationFault } from './client.js';
import { citizenFromCongDan, citizenFromLookup, partialDate, verificationClaim, verificationResult } from './mapping.js';
import type { CongDan, CongdanCollection, KetQuaXacThuc } from './upstream-types.js';

// Recorded upstream envelopes (fixtures/README.md), parsed by the same SOAP stack the client uses.
let wsdl: { xmlToObject(xml: string): { Body: Record<string, unknown> } };
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const citizenContract = contracts.validator('https://lgsp.gov.vn/contracts/population/v1/citizen.json');
const verifyContract = contracts.validator('https://lgsp.gov.vn/contracts/population/v1/citizen-verify-response.json');

beforeAll(async () => {
  const client = await soap.createClientAsync(connectorFile('population', 'population.wsdl'));
  wsdl = (client as unknown as { wsdl: typeof wsdl }).wsdl;
});

function body(fixture: string): Record<string, unknown> {
  return wsdl.xmlToObject(readFileSync(connectorFile('population', 'fixtures', fixture), 'utf8')).Body;
}

function verifyAnswer(fixture: string): KetQuaXacThuc {
  return body(fixture).KetQuaXacThucResponse as KetQuaXacThuc;
}

function lookup(fixture: string, personalId: string) {
  return citizenFromLookup(body(fixture).CongdanCollection as CongdanCollection, personalId);
}

function found(fixture: string, personalId: string) {
  const outcome = lookup(fixture, personalId);
  if (outcome.kind !== 'found') throw new Error(`${fixture}: expected a citizen`);
  expect(citizenContract(outcome.citizen)).toBe(true);
  return outcome.citizen;
}

describe('population mapping on recorded upstream payloads', () => {
  it('maps a full record to the contract, codes with labels, historic and current addresses', () => {
    const citizen = found('tra-cuu-found-full.xml', '001090012345');
    expect(citizen).toMatchObject({
      personalId: '001090012345',
      legacyIdNumber: '012345678',
      fullName: 'Nguyễn Văn An',
      nameParts: { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An' },
      sex: { code: '1', label: 'Nam' },
      dateOfBirth: '1990-05-15',
      ethnicity: { code: '01', label: 'Kinh' },
      religion: { code: '00', label: 'Không' },
      maritalStatus: { code: '2', label: 'Đã kết hôn' },
      bloodType: { code: '04', label: 'O' },
      nationality: { code: 'VN', label: 'Việt Nam' },
      birthRegistrationPlace: { provinceCode: '01', districtCode: '001', communeCode: '00001', country: 'VN' },
      permanentResidence: { provinceCode: '01', communeCode: '00004', country: 'VN' },
      father: { fullName: 'Nguyễn Văn Bình', nationality: 'VN' },
    });
    // Empty upstream elements become absent fields.
    expect(citizen.permanentResidence).not.toHaveProperty('districtCode');
    expect(citizen.hometown).not.toHaveProperty('communeCode');
    expect(citizen.father).not.toHaveProperty('personalId');
    expect(JSON.stringify(citizen)).not.toMatch(/null|""/);
  });

  it('keeps partial birth dates partial', () => {
    expect(found('tra-cuu-year-only-birth-date.xml', '038038000123').dateOfBirth).toBe('1938');
    expect(found('tra-cuu-year-month-birth-date.xml', '031168000789').dateOfBirth).toBe('1968-03');
  });

  it('passes legacy upper-case names through as recorded', () => {
    expect(found('tra-cuu-upper-case-no-diacritics.xml', '048175000456').fullName).toBe('NGUYEN THI HOA');
    const wholeName = found('tra-cuu-whole-name-in-ten.xml', '026092001357');
    expect(wholeName.fullName).toBe('HOÀNG VĂN TÚ');
    expect(wholeName.nameParts).toEqual({ givenName: 'HOÀNG VĂN TÚ' });
  });

  it('leaves out what a sparse record does not hold', () => {
    const citizen = found('tra-cuu-empty-elements.xml', '092205000321');
    expect(citizen).not.toHaveProperty('nationality');
    expect(citizen).not.toHaveProperty('bloodType');
    expect(citizen).not.toHaveProperty('householdBookNumber');
    expect(citizen).not.toHaveProperty('currentResidence');
  });

  it('maps a minor with a legal representative', () => {
    expect(found('tra-cuu-minor-with-representative.xml', '048312004567').representative).toMatchObject({ personalId: '048175000456' });
  });

  it('refuses a record for another person as a contract violation, never a release', () => {
    const contractViolation = expect.objectContaining({ name: 'UpstreamError', kind: 'contract' });
    // Recorded with the sandbox answering every lookup with 048175000456's record.
    expect(() => lookup('tra-cuu-another-person.xml', '001090012345')).toThrow(contractViolation);
    // The same with a record that carries no id: it cannot be shown to be the one asked for.
    const collection = body('tra-cuu-found-full.xml').CongdanCollection as CongdanCollection;
    const record = [collection.CongDan].flat()[0]!;
    const withoutId = { ...collection, CongDan: { ...record, SoDinhDanh: '' } };
    expect(() => citizenFromLookup(withoutId, '001090012345')).toThrow(contractViolation);
    // Among several records the one asked for is taken.
    const several = { ...collection, CongDan: [{ ...record, SoDinhDanh: '048175000456' }, record] };
    expect(citizenFromLookup(several, '001090012345')).toMatchObject({ kind: 'found', citizen: { personalId: '001090012345' } });
    expect(() => citizenFromLookup(several, '079301005678')).toThrow(contractViolation);
  });

  it('reads birth dates in every accepted form, and refuses an unreadable one', () => {
    const record = [(body('tra-cuu-found-full.xml').CongdanCollection as CongdanCollection).CongDan].flat()[0]!;
    const born = (NgayThangNamSinh: CongDan['NgayThangNamSinh']) => citizenFromCongDan({ ...record, NgayThangNamSinh }).dateOfBirth;
    expect(born({ Nam: '1990', NgayThangNam: '15/05/1990' })).toBe('1990-05-15');
    expect(born({ Nam: '1990', NgayThangNam: '1990-05-15' })).toBe('1990-05-15');
    expect(born({ Nam: '1990', NgayThangNam: '05/1990' })).toBe('1990-05');
    expect(born({ Nam: '1990', NgayThangNam: '' })).toBe('1990');
    expect(() => born({ Nam: '1990', NgayThangNam: '19900231' })).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => born({ Nam: '90', NgayThangNam: '' })).toThrow(expect.objectContaining({ kind: 'contract' }));
  });

  it('reads "not found" from an empty collection, not from a fault', () => {
    expect(lookup('tra-cuu-not-found.xml', '001099999999')).toEqual({ kind: 'not_found' });
  });

  it('classifies business faults: caller mistakes are rejected, the upstream\'s own failures are faults', () => {
    const faultOf = (fixture: string) => {
      try {
        wsdl.xmlToObject(readFileSync(connectorFile('population', 'fixtures', fixture), 'utf8'));
      } catch (error) {
        return (error as { root: { Envelope: { Body: { Fault: { faultcode?: string; detail?: unknown } } } } }).root.Envelope.Body.Fault;
      }
      throw new Error(`${fixture} holds no fault`);
    };
    expect(classifyPopulationFault(faultOf('tra-cuu-fault-malformed-id.xml'))).toBe('rejected');
    expect(classifyPopulationFault(faultOf('tra-cuu-fault-missing-officer.xml'))).toBe('rejected');
    expect(classifyPopulationFault({ faultcode: 'soap:Server', detail: { LoiNghiepVu: { MaLoi: 'DC-99' } } })).toBe('fault');
    expect(classifyPopulationFault({ faultcode: 'soap:Server' })).toBe('fault');
  });

  it('maps per-field verification answers to the asked fields only, basis per-field', () => {
    const request = { personalId: '001090012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-05-15' };
    const match = verificationResult(verifyAnswer('xac-thuc-match.xml'), request);
    expect(match).toEqual({ exists: true, allMatch: true, basis: 'per-field', matches: { fullName: true, dateOfBirth: true } });
    const mismatch = verificationResult(verifyAnswer('xac-thuc-mismatch-name.xml'), request);
    expect(mismatch).toEqual({ exists: true, allMatch: false, basis: 'per-field', matches: { fullName: false, dateOfBirth: true } });
    // The sandbox's assumed "not found" code (01): the id does not exist, so nothing matches.
    const absent = verificationResult(verifyAnswer('xac-thuc-not-found.xml'), request);
    expect(absent).toEqual({ exists: false, allMatch: false, basis: 'combined', matches: { fullName: false, dateOfBirth: false } });
    for (const result of [match, mismatch, absent]) expect(verifyContract(result)).toBe(true);
  });

  it('reports what a TonTai-only answer (the documented protocol) confirmed, and claims no mismatch it did not state', () => {
    const request = { personalId: '079301005678', fullName: 'Trần Thị Ngọc Ánh', dateOfBirth: '2001-11-23', sex: 'female' as const };
    const confirmed = verificationResult(verifyAnswer('xac-thuc-tontai-only-match.xml'), request);
    expect(confirmed).toEqual({ exists: true, allMatch: true, basis: 'combined', matches: { fullName: true, dateOfBirth: true, sex: true } });
    const denied = verificationResult(verifyAnswer('xac-thuc-tontai-only-mismatch.xml'), request);
    expect(denied).toEqual({ exists: null, allMatch: false, basis: 'combined', matches: { fullName: null, dateOfBirth: null, sex: null } });
    // Only what was sent is reported.
    expect(verificationResult(verifyAnswer('xac-thuc-tontai-only-match.xml'), { personalId: '079301005678', fullName: 'x' }).matches).toEqual({ fullName: true });
    for (const result of [confirmed, denied]) expect(verifyContract(result)).toBe(true);
  });

  it('reads a per-field flag left out as unconfirmed, not as a mismatch', () => {
    const request = { personalId: '079301005678', fullName: 'Trần Thị Ngọc Ánh', dateOfBirth: '2001-11-23', sex: 'female' as const };
    const result = verificationResult({ MaYeuCau: 'r', TonTai: 'false', KetQuaKhop: { HoVaTen: 'false', NgayThangNamSinh: 'true' } }, request);
    expect(result).toEqual({ exists: true, allMatch: false, basis: 'per-field', matches: { fullName: false, dateOfBirth: true, sex: null } });
  });

  it('refuses an answer without a readable TonTai as a contract violation', () => {
    for (const TonTai of [undefined, '', 'maybe']) {
      expect(() => verificationResult({ MaYeuCau: 'r', TonTai }, { personalId: '079301005678', fullName: 'x' })).toThrow(expect.objectContaining({ kind: 'contract' }));
    }
  });

  it('turns contract dates into the upstream claim format', () => {
    expect(verificationClaim({ personalId: '001090012345', fullName: 'A', dateOfBirth: '1990-05-15', sex: 'female' })).toEqual({
      SoDinhDanh: '001090012345',
      HoVaTen: 'A',
      NgayThangNamSinh: { Nam: '1990', NgayThangNam: '19900515' },
      GioiTinh: '2',
    });
    expect(verificationClaim({ personalId: '001090012345', fullName: 'A', dateOfBirth: '1938' }).NgayThangNamSinh).toEqual({ Nam: '1938' });
    expect(verificationClaim({ personalId: '001090012345', fullName: 'A', dateOfBirth: '1968-03' }).NgayThangNamSinh).toEqual({ Nam: '1968', NgayThangNam: '196803' });
    // No birth date given: no element at all, never an empty or placeholder one.
    expect(verificationClaim({ personalId: '001090012345', fullName: 'A', sex: 'male' })).toEqual({ SoDinhDanh: '001090012345', HoVaTen: 'A', GioiTinh: '1' });
    expect(partialDate({ Nam: '1968', NgayThangNam: '196803' })).toBe('1968-03');
    expect(partialDate({ Nam: '', NgayThangNam: '' })).toBeUndefined();
  });
});
