import { readFileSync } from 'node:fs';
import soap from 'soap';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { fromProjectRoot } from '../../src/paths.js';
import { classifyPopulationFault } from './client.js';
import { citizenFromLookup, partialDate, verificationClaim, verificationResult } from './mapping.js';
import type { CongdanCollection, KetQuaXacThuc } from './upstream-types.js';

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

  it('maps verification answers to per-field booleans for the asked fields only', () => {
    const request = { personalId: '001090012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-05-15' };
    const match = verificationResult(body('xac-thuc-match.xml').KetQuaXacThucResponse as KetQuaXacThuc, request);
    expect(match).toEqual({ exists: true, allMatch: true, matches: { fullName: true, dateOfBirth: true } });
    const mismatch = verificationResult(body('xac-thuc-mismatch-name.xml').KetQuaXacThucResponse as KetQuaXacThuc, request);
    expect(mismatch).toEqual({ exists: true, allMatch: false, matches: { fullName: false, dateOfBirth: true } });
    const absent = verificationResult(body('xac-thuc-not-found.xml').KetQuaXacThucResponse as KetQuaXacThuc, request);
    expect(absent).toEqual({ exists: false, allMatch: false, matches: { fullName: false, dateOfBirth: false } });
    for (const result of [match, mismatch, absent]) expect(verifyContract(result)).toBe(true);
  });

  it('turns contract dates into the upstream claim format', () => {
    expect(verificationClaim({ personalId: '001090012345', fullName: 'A', dateOfBirth: '1990-05-15', sex: 'female' })).toEqual({
      SoDinhDanh: '001090012345',
      HoVaTen: 'A',
      NgayThangNamSinh: { Nam: '1990', NgayThangNam: '19900515' },
      GioiTinh: '2',
    });
    expect(verificationClaim({ personalId: '001090012345', fullName: 'A', dateOfBirth: '1938' }).NgayThangNamSinh).toEqual({ Nam: '1938', NgayThangNam: '' });
    expect(partialDate({ Nam: '1968', NgayThangNam: '196803' })).toBe('1968-03');
    expect(partialDate({ Nam: '', NgayThangNam: '' })).toBeUndefined();
  });
});
