import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { fromProjectRoot } from '../../src/paths.js';
import { soapFixtureReader, type SoapFixtureReader } from '../../simulators/kit/test-support/soap-fixture-reader.js';
import { classifyTaxFault } from './client.js';
import { amountOf, obligationsFromLedger, taxpayerFromLookup } from './mapping.js';
import { taxFixtureCases } from './sandbox/record-fixtures.js';
import type { KetQuaNghiaVuThue, KetQuaTraCuuNNT, NghiaVuRow } from './upstream-types.js';

// Recorded upstream envelopes (fixtures/README.md), parsed by the same SOAP stack the client uses.
let fixtures: SoapFixtureReader;
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const taxpayerContract = contracts.validator('https://lgsp.gov.vn/contracts/tax/v1/taxpayer.json');
const obligationsContract = contracts.validator('https://lgsp.gov.vn/contracts/tax/v1/obligations.json');

beforeAll(async () => {
  fixtures = await soapFixtureReader(connectorFile('tax', 'tax.wsdl'), connectorFile('tax', 'fixtures'));
});

/** The tax code the recorded request asked for. */
function askedFor(file: string): string {
  return taxFixtureCases.find((fixture) => fixture.file === file)!.fields.MA_SO_THUE as string;
}

function taxpayer(file: string) {
  const outcome = taxpayerFromLookup(fixtures.body(file).KetQuaTraCuuNNT as KetQuaTraCuuNNT, askedFor(file));
  if (outcome.kind !== 'found') throw new Error(`${file}: expected a taxpayer`);
  expect(taxpayerContract(outcome.data)).toBe(true);
  return outcome.data;
}

function obligations(file: string, taxCode: string) {
  const outcome = obligationsFromLedger(fixtures.body(file).KetQuaNghiaVuThue as KetQuaNghiaVuThue, taxCode);
  if (outcome.kind !== 'found') throw new Error(`${file}: expected obligations`);
  expect(obligationsContract(outcome.data)).toBe(true);
  return outcome.data;
}

describe('tax mapping on recorded upstream payloads: taxpayer', () => {
  it('maps an active company: status, coded detail, managing office, dates, address', () => {
    const record = taxpayer('nnt-active-company.xml');
    expect(record).toEqual({
      taxCode: '0101234565',
      name: 'CONG TY TNHH CONG NGHE AN PHAT',
      taxpayerType: { code: '01', label: 'Doanh nghiệp, tổ chức kinh tế' },
      status: 'active',
      statusDetail: { code: '00', label: 'NNT đang hoạt động (đã được cấp GCN ĐKT)' },
      registeredOn: '2016-03-14',
      managingTaxOffice: { code: '10100', name: 'Thuế Thành phố Hà Nội' },
      address: { provinceCode: '01', communeCode: '00004', detail: 'Số 18 Phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội' },
      representativeName: 'NGUYEN VAN AN',
      updatedAt: '2024-09-05T10:12:44+07:00',
    });
    // The empty NGAY_THAY_DOI_TRANG_THAI element is no value.
    expect(record).not.toHaveProperty('statusChangedOn');
  });

  it('maps suspended and closed taxpayers with the date their status began', () => {
    expect(taxpayer('nnt-suspended.xml')).toMatchObject({ status: 'suspended', statusDetail: { code: '05' }, statusChangedOn: '2026-03-01', managingTaxOffice: { code: '13100' } });
    expect(taxpayer('nnt-closed.xml')).toMatchObject({ status: 'closed', statusDetail: { code: '01' }, statusChangedOn: '2023-10-16' });
  });

  it('links a dependent unit to its head unit and keeps its own tax office', () => {
    expect(taxpayer('nnt-branch.xml')).toMatchObject({ taxCode: '0101234565-001', headUnitTaxCode: '0101234565', taxpayerType: { code: '02' }, managingTaxOffice: { code: '17900' } });
  });

  it('maps a household business under its grassroots tax unit', () => {
    expect(taxpayer('nnt-household-business.xml')).toMatchObject({ status: 'active', taxpayerType: { code: '03' }, managingTaxOffice: { code: '14801' }, representativeName: 'NGUYEN THI HOA' });
  });

  it('reads "not found" from the result code, not from a fault', () => {
    expect(taxpayerFromLookup(fixtures.body('nnt-not-found.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT, '0109999982')).toEqual({ kind: 'not_found' });
  });

  it('leaves an unknown status code unmapped, so the response contract reports drift', () => {
    const answer = fixtures.body('nnt-active-company.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT;
    const drifted = taxpayerFromLookup({ ...answer, NNT: { ...answer.NNT, TRANG_THAI: '42' } }, '0101234565');
    expect(drifted.kind === 'found' && drifted.data.status).toBeUndefined();
    expect(drifted.kind === 'found' && taxpayerContract(drifted.data)).toBe(false);
  });
});

describe('tax mapping on recorded upstream payloads: personal ids as tax codes (since July 2025)', () => {
  it('maps an individual looked up by personal id: individual kind, grassroots office, no representative', () => {
    const record = taxpayer('nnt-individual.xml');
    expect(record).toMatchObject({ taxCode: '001090012345', name: 'NGUYEN VAN AN', taxpayerType: { code: '05', label: 'Cá nhân' }, status: 'active', registeredOn: '2013-07-01' });
    expect(record.managingTaxOffice).toEqual({ code: '10101', name: 'Thuế cơ sở 1 thành phố Hà Nội' });
    expect(record.address).toMatchObject({ provinceCode: '01', communeCode: '00004' });
    // The empty NGUOI_DAI_DIEN element: an individual has no representative.
    expect(record).not.toHaveProperty('representativeName');
  });

  it("maps a household business looked up by its owner's personal id, the personal id as its tax code", () => {
    expect(taxpayer('nnt-household-by-personal-id.xml')).toMatchObject({ taxCode: '048175000456', name: 'HO KINH DOANH NGUYEN THI HOA', taxpayerType: { code: '03' }, representativeName: 'NGUYEN THI HOA' });
  });

  it('reads "not found" for a personal id the tax registry does not hold', () => {
    expect(taxpayerFromLookup(fixtures.body('nnt-personal-id-not-found.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT, '092205000321')).toEqual({ kind: 'not_found' });
  });

  it("maps an individual's ledger: registration fee and land use tax on notices, self-assessed income tax", () => {
    const ledger = obligations('nghia-vu-individual.xml', '079301005678');
    expect(ledger).toMatchObject({ taxCode: '079301005678', totalOutstanding: 17_185_000 });
    expect(ledger.items).toEqual([
      { subItem: { code: '2801', label: 'Lệ phí trước bạ nhà đất' }, budgetChapter: '757', amount: 16_000_000, decisionNumber: '2156/TB-CCT', decisionDate: '2026-11-02', dueDate: '2026-12-02' },
      { subItem: { code: '1602', label: 'Thu từ đất ở tại đô thị' }, budgetChapter: '757', taxPeriod: '2026', amount: 1_185_000, decisionNumber: '8821/TB-CCT', decisionDate: '2026-09-15', dueDate: '2026-10-31' },
    ]);
    expect(obligations('nghia-vu-individual-income-tax.xml', '001090012345').items).toEqual([
      { subItem: { code: '1001', label: 'Thuế thu nhập từ tiền lương, tiền công' }, budgetChapter: '757', taxPeriod: '2025', amount: 3_250_000, dueDate: '2026-04-30' },
    ]);
  });

  it("refuses an individual's record or ledger answered for another personal id", () => {
    expect(() => taxpayerFromLookup(fixtures.body('nnt-individual.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT, '079301005678')).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => obligationsFromLedger(fixtures.body('nghia-vu-individual.xml').KetQuaNghiaVuThue as KetQuaNghiaVuThue, '001090012345')).toThrow(expect.objectContaining({ kind: 'contract' }));
  });

  it('refuses, as the response contract, a 12-digit code that is no personal id', () => {
    const answer = fixtures.body('nnt-individual.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT;
    const outcome = taxpayerFromLookup({ ...answer, NNT: { ...answer.NNT, MA_SO_THUE: '990090012345' } }, '990090012345');
    expect(outcome.kind === 'found' && taxpayerContract(outcome.data)).toBe(false);
  });
});

describe('tax mapping: the record must be the one asked for', () => {
  it('refuses a taxpayer record for another tax code, or without one, as a contract violation', () => {
    const answer = fixtures.body('nnt-active-company.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT;
    expect(() => taxpayerFromLookup(answer, '0301234562')).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => taxpayerFromLookup({ ...answer, NNT: { ...answer.NNT, MA_SO_THUE: '' } }, '0101234565')).toThrow(expect.objectContaining({ kind: 'contract' }));
  });

  it("refuses a ledger that names another taxpayer, in the answer or in a row", () => {
    const answer = fixtures.body('nghia-vu-outstanding.xml').KetQuaNghiaVuThue as KetQuaNghiaVuThue;
    expect(() => obligationsFromLedger(answer, '0301234562')).toThrow(expect.objectContaining({ kind: 'contract' }));
    const [first, ...rest] = (answer.ROW_LIST as { ROW: NghiaVuRow[] }).ROW;
    const mixed = { ...answer, MA_SO_THUE: undefined, ROW_LIST: { ROW: [{ ...first!, MA_SO_THUE: '0301234562' }, ...rest] } };
    expect(() => obligationsFromLedger(mixed, '0101234565')).toThrow(expect.objectContaining({ kind: 'contract' }));
  });
});

describe('tax mapping: dates', () => {
  it('reads ISO and compact dates as well as dd/MM/yyyy, and refuses a partial date where a day is due', () => {
    const answer = fixtures.body('nnt-suspended.xml').KetQuaTraCuuNNT as KetQuaTraCuuNNT;
    const withDates = (NGAY_THAY_DOI_TRANG_THAI: string, NGAY_CAP_MST: string) => taxpayerFromLookup({ ...answer, NNT: { ...answer.NNT, NGAY_THAY_DOI_TRANG_THAI, NGAY_CAP_MST } }, askedFor('nnt-suspended.xml'));
    expect(withDates('2026-03-01', '20160314')).toMatchObject({ data: { statusChangedOn: '2026-03-01', registeredOn: '2016-03-14' } });
    expect(withDates('1/3/2026', '14/03/2016')).toMatchObject({ data: { statusChangedOn: '2026-03-01', registeredOn: '2016-03-14' } });
    expect(() => withDates('03/2026', '14/03/2016')).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => withDates('31/02/2026', '14/03/2016')).toThrow(expect.objectContaining({ kind: 'contract' }));
  });
});

describe('tax mapping on recorded upstream payloads: obligations', () => {
  it('maps rows with and without a decision: sub-item code and name, amount, period, decision, due date', () => {
    const ledger = obligations('nghia-vu-outstanding.xml', '0101234565');
    expect(ledger.totalOutstanding).toBe(176_784_000);
    expect(ledger.asOf).toBe('2026-11-01T06:30:00+07:00');
    expect(ledger.items).toHaveLength(5);
    expect(ledger.items[0]).toEqual({
      subItem: { code: '1701', label: 'Thuế giá trị gia tăng hàng sản xuất, kinh doanh trong nước' },
      budgetChapter: '754',
      taxPeriod: '09/2026',
      amount: 45_600_000,
      dueDate: '2026-10-20',
    });
    expect(ledger.items[3]).toEqual({
      subItem: { code: '4254', label: 'Phạt vi phạm hành chính về thuế' },
      budgetChapter: '754',
      amount: 8_500_000,
      decisionNumber: '1234/QĐ-XPHC',
      decisionDate: '2026-05-12',
      dueDate: '2026-05-22',
    });
  });

  it('keeps quarterly periods and nets overpayments into the total', () => {
    expect(obligations('nghia-vu-household-quarterly.xml', '8012345677').items.map((item) => item.taxPeriod)).toEqual(['Q3/2026', 'Q3/2026']);
    const overpaid = obligations('nghia-vu-overpaid.xml', '2601234567');
    expect(overpaid.items[0]!.amount).toBe(-1_200_000);
    expect(overpaid.totalOutstanding).toBe(-200_000);
  });

  it('treats an empty ROW_LIST and a missing one alike: nothing owed', () => {
    expect(obligations('nghia-vu-none-empty-list.xml', '0301234562')).toMatchObject({ totalOutstanding: 0, items: [] });
    expect(obligations('nghia-vu-closed-no-list.xml', '2801234564')).toMatchObject({ totalOutstanding: 0, items: [] });
  });

  it('reads "not found" from the result code', () => {
    expect(obligationsFromLedger(fixtures.body('nghia-vu-not-found.xml').KetQuaNghiaVuThue as KetQuaNghiaVuThue, '0109999982')).toEqual({ kind: 'not_found' });
  });

  it('reports a total that disagrees with its rows instead of choosing one', () => {
    const answer = fixtures.body('nghia-vu-outstanding.xml').KetQuaNghiaVuThue as KetQuaNghiaVuThue;
    expect(obligationsFromLedger({ ...answer, TONG_SO_TIEN: '1' }, '0101234565').kind).toBe('inconsistent');
  });

  it('reads amounts as whole đồng only', () => {
    expect(amountOf('45600000')).toBe(45_600_000);
    expect(amountOf('-1200000')).toBe(-1_200_000);
    expect(amountOf('1.500.000')).toBeUndefined();
    expect(amountOf('')).toBeUndefined();
  });
});

describe('tax fault classification', () => {
  it("rejects the caller's mistakes and counts the upstream's own failures", () => {
    expect(classifyTaxFault(fixtures.fault('nnt-fault-invalid-tax-code.xml'))).toBe('rejected');
    expect(classifyTaxFault(fixtures.fault('nnt-fault-missing-officer.xml'))).toBe('rejected');
    expect(classifyTaxFault({ faultcode: 'soap:Server', detail: { LOI_NGHIEP_VU: { MA_LOI: 'TN-99' } } })).toBe('fault');
    expect(classifyTaxFault({ faultcode: 'soap:Server' })).toBe('fault');
  });
});
