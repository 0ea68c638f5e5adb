import { readFileSync } from 'node:fs';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { fromProjectRoot } from '../../src/paths.js';
import { soapFixtureReader, type SoapFixtureReader } from '../../simulators/kit/test-support/soap-fixture-reader.js';
import { classifySocialInsuranceFault } from './client.js';
import { participantFromLookup, type LookupKey } from './mapping.js';
import type { KetQuaTraCuuNguoiThamGia } from './upstream-types.js';

// Recorded upstream envelopes (fixtures/README.md), parsed by the same SOAP stack the client uses.
let fixtures: SoapFixtureReader;
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const participantContractId = 'https://lgsp.gov.vn/contracts/social-insurance/v1/participant.json';
const participantContract = contracts.validator(participantContractId);

beforeAll(async () => {
  fixtures = await soapFixtureReader(connectorFile('social-insurance', 'social-insurance.wsdl'), connectorFile('social-insurance', 'fixtures'));
});

function lookup(fixture: string, key: LookupKey) {
  return participantFromLookup(fixtures.body(fixture).KetQuaTraCuuNguoiThamGia as KetQuaTraCuuNguoiThamGia, key);
}

function found(fixture: string, key: LookupKey) {
  const outcome = lookup(fixture, key);
  if (outcome.kind !== 'found') throw new Error(`${fixture}: expected a participant`);
  expect(participantContract(outcome.participant)).toBe(true);
  expect(JSON.stringify(outcome.participant)).not.toMatch(/null|""/);
  return outcome.participant;
}

describe('social-insurance mapping on recorded upstream payloads', () => {
  it('maps a compulsory participant: status, card, facility, contributions, update time', () => {
    expect(found('tra-cuu-compulsory-employee.xml', { socialInsuranceCode: '0123456789' })).toEqual({
      socialInsuranceCode: '0123456789',
      personalId: '001090012345',
      fullName: 'NGUYỄN VĂN AN',
      dateOfBirth: '1990-05-15',
      sex: { code: '1', label: 'Nam' },
      participationStatus: { code: '01', label: 'Đang tham gia BHXH bắt buộc' },
      healthInsuranceCard: {
        cardNumber: 'DN4010123456789',
        beneficiaryCategory: { code: 'DN', label: 'Người lao động làm việc trong doanh nghiệp' },
        benefitLevel: { code: '4', label: '80% chi phí khám bệnh, chữa bệnh' },
        validFrom: '2025-01-01',
        validTo: '2025-12-31',
        fiveConsecutiveYearsFrom: '2018-01-01',
        initialCareFacility: { code: '01009', name: 'Bệnh viện Đa khoa Xanh Pôn', provinceCode: '01' },
      },
      contributions: {
        monthsContributed: 142,
        // The company he represents at the business registry (simulators/kit/enterprises.ts).
        employer: { unitCode: expect.stringMatching(/^[A-Z]{2}\d{4}[A-Z]$/), name: 'Công ty TNHH Công nghệ An Phát', taxCode: '0101234565' },
        lastContributionPeriod: '2025-06',
      },
      updatedAt: '2025-06-28T09:15:12+07:00',
    });
  });

  it('finds the same record by personal id', () => {
    expect(found('tra-cuu-by-personal-id.xml', { personalId: '001090012345' }).socialInsuranceCode).toBe('0123456789');
  });

  it('leaves out a five-year date the card has not reached (empty element)', () => {
    const card = found('tra-cuu-young-employee.xml', { socialInsuranceCode: '7901234567' }).healthInsuranceCard;
    expect(card).toMatchObject({ validFrom: '2025-01-01', validTo: '2025-12-31' });
    expect(card).not.toHaveProperty('fiveConsecutiveYearsFrom');
  });

  it('keeps legacy upper-case names as recorded and partial birth dates partial', () => {
    const pensioner = found('tra-cuu-pensioner-legacy-name.xml', { personalId: '038038000123' });
    expect(pensioner).toMatchObject({ fullName: 'LE VAN BAY', dateOfBirth: '1938', participationStatus: { code: '05' } });
    expect(pensioner.healthInsuranceCard?.beneficiaryCategory?.code).toBe('HT');
    expect(found('tra-cuu-year-month-birth-date.xml', { socialInsuranceCode: '3101234567' }).dateOfBirth).toBe('1968-03');
  });

  it('reads an empty contribution unit as no employer, and a missing history as no contributions', () => {
    const voluntary = found('tra-cuu-voluntary-empty-unit.xml', { socialInsuranceCode: '4801234567' });
    expect(voluntary.participationStatus.code).toBe('02');
    expect(voluntary.contributions).toEqual({ monthsContributed: 96, lastContributionPeriod: '2025-06' });
    const pupil = found('tra-cuu-pupil-no-contributions.xml', { personalId: '048312004567' });
    expect(pupil).not.toHaveProperty('contributions');
    expect(pupil.healthInsuranceCard).toMatchObject({ beneficiaryCategory: { code: 'HS' }, validFrom: '2024-10-01', validTo: '2025-09-30' });
  });

  it('reports an expired card as recorded: validity is data, not a judgement made here', () => {
    const closed = found('tra-cuu-closed-expired-card.xml', { socialInsuranceCode: '0112345678' });
    expect(closed.participationStatus.code).toBe('04');
    expect(closed.healthInsuranceCard!.validTo < '2025-07-01').toBe(true);
    expect(closed.contributions).not.toHaveProperty('employer');
    expect(closed.contributions!.lastContributionPeriod).toBe(closed.healthInsuranceCard!.validTo.slice(0, 7));
  });

  it('omits the personal id of a record never matched with the population database', () => {
    expect(found('tra-cuu-unlinked-personal-id.xml', { socialInsuranceCode: '0198765432' })).not.toHaveProperty('personalId');
  });

  it('reads "not found" from the result code, not from a fault', () => {
    expect(lookup('tra-cuu-not-participating.xml', { personalId: '092205000321' })).toEqual({ kind: 'not_found' });
    expect(lookup('tra-cuu-code-not-found.xml', { socialInsuranceCode: '0100000000' })).toEqual({ kind: 'not_found' });
  });

  it('never releases a record for another key than the one asked: a contract violation, not "not found"', () => {
    const contractViolation = expect.objectContaining({ name: 'UpstreamError', kind: 'contract' });
    expect(() => lookup('tra-cuu-compulsory-employee.xml', { socialInsuranceCode: '0123456780' })).toThrow(contractViolation);
    expect(() => lookup('tra-cuu-by-personal-id.xml', { personalId: '001090012346' })).toThrow(contractViolation);
    // A record without the personal id it was asked by cannot be shown to be that person's.
    expect(() => lookup('tra-cuu-unlinked-personal-id.xml', { personalId: '001090012346' })).toThrow(contractViolation);
  });

  it('reads the dates other systems write (ISO, compact, unpadded), and refuses what is no date', () => {
    const answer = fixtures.body('tra-cuu-compulsory-employee.xml').KetQuaTraCuuNguoiThamGia as KetQuaTraCuuNguoiThamGia;
    const record = answer.NguoiThamGia!;
    const withDates = (NgaySinh: string, GiaTriTu: string, KyDongCuoi: string) =>
      participantFromLookup(
        { ...answer, NguoiThamGia: { ...record, NgaySinh, TheBHYT: { ...record.TheBHYT, GiaTriTu }, QuaTrinhThamGia: { ...record.QuaTrinhThamGia, KyDongCuoi } } },
        { socialInsuranceCode: '0123456789' },
      );
    expect(withDates('1990-05-15', '20250101', '2025-06')).toMatchObject({
      participant: { dateOfBirth: '1990-05-15', healthInsuranceCard: { validFrom: '2025-01-01' }, contributions: { lastContributionPeriod: '2025-06' } },
    });
    expect(withDates('199005', '1/1/2025', '6/2025')).toMatchObject({
      participant: { dateOfBirth: '1990-05', healthInsuranceCard: { validFrom: '2025-01-01' }, contributions: { lastContributionPeriod: '2025-06' } },
    });
    const contractViolation = expect.objectContaining({ kind: 'contract' });
    expect(() => withDates('30/02/1990', '01/01/2025', '06/2025')).toThrow(contractViolation);
    expect(() => withDates('15/05/1990', '2025', '06/2025')).toThrow(contractViolation);
    expect(() => withDates('15/05/1990', '01/01/2025', '15/06/2025')).toThrow(contractViolation);
  });

  it('classifies business faults: caller mistakes are rejected, the upstream\'s own failures are faults', () => {
    expect(classifySocialInsuranceFault(fixtures.fault('tra-cuu-fault-malformed-code.xml'))).toBe('rejected');
    expect(classifySocialInsuranceFault(fixtures.fault('tra-cuu-fault-missing-officer.xml'))).toBe('rejected');
    expect(classifySocialInsuranceFault({ faultcode: 'soap:Server', detail: { LoiNghiepVu: { MaLoi: 'BH-99' } } })).toBe('fault');
    expect(classifySocialInsuranceFault({ faultcode: 'soap:Server' })).toBe('fault');
    expect(classifySocialInsuranceFault({ faultcode: 'soap:Client' })).toBe('rejected');
  });

  it('publishes contract examples that satisfy the contract', () => {
    const schema = JSON.parse(readFileSync(fromProjectRoot('contracts/social-insurance/v1/participant.json'), 'utf8')) as { examples: unknown[] };
    expect(schema.examples.length).toBeGreaterThan(0);
    for (const example of schema.examples) expect(participantContract(example)).toBe(true);
  });
});
