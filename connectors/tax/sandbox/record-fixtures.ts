import { pathToFileURL } from 'node:url';
import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { wellKnownTaxCodes } from '../../../simulators/kit/enterprises.js';
import { wellKnownPersonIds } from '../../../simulators/kit/people.js';
import { recordSoapExchanges, writeRecordedFixtures, type RecordedFixture, type SoapFixtureCase, type SoapRequestFields } from '../../../simulators/kit/soap-fixtures.js';
import { taxNamespace } from './operations.js';
import { startTaxSandbox, taxSandboxDevCredentials } from './server.js';

/**
 * Records the tax upstream's raw response envelopes from the sandbox over real
 * HTTP, into connectors/tax/fixtures/. Run after changing the sandbox:
 * `node dist/connectors/tax/sandbox/record-fixtures.js`. fixtures.test.ts
 * re-records in memory and fails if the files drifted.
 */

const caller = { MA_TICH_HOP: 'LGSP-H29', MA_CAN_BO: 'officer01', MA_HO_SO: '000.00.01.H29-261123-0001' };

function ask(requestId: string, taxCode: string): SoapRequestFields {
  return { MA_YEU_CAU: requestId, ...caller, MA_SO_THUE: taxCode };
}

export const taxFixtureCases: readonly SoapFixtureCase[] = [
  { file: 'nnt-active-company.xml', operation: 'TraCuuThongTinNNT', shows: 'active company, status 00, name upper case without diacritics, status-change date empty', fields: ask('FIXTURE-T01', wellKnownTaxCodes.activeCompany) },
  { file: 'nnt-branch.xml', operation: 'TraCuuThongTinNNT', shows: 'dependent unit (-001) with MST_DV_CHU_QUAN, managed in another province', fields: ask('FIXTURE-T02', wellKnownTaxCodes.activeCompanyBranch) },
  { file: 'nnt-suspended.xml', operation: 'TraCuuThongTinNNT', shows: 'suspended company, status 05 with its change date', fields: ask('FIXTURE-T03', wellKnownTaxCodes.suspendedCompany) },
  { file: 'nnt-closed.xml', operation: 'TraCuuThongTinNNT', shows: 'dissolved private enterprise, status 01 (MST terminated)', fields: ask('FIXTURE-T04', wellKnownTaxCodes.dissolvedPrivateEnterprise) },
  { file: 'nnt-household-business.xml', operation: 'TraCuuThongTinNNT', shows: 'household business under a grassroots tax unit', fields: ask('FIXTURE-T05', wellKnownTaxCodes.householdBusiness) },
  { file: 'nnt-not-found.xml', operation: 'TraCuuThongTinNNT', shows: 'valid MST with no taxpayer: MA_KET_QUA 01, no NNT element (not a fault)', fields: ask('FIXTURE-T06', '0109999982') },
  { file: 'nnt-fault-invalid-tax-code.xml', operation: 'TraCuuThongTinNNT', shows: 'HTTP 500 SOAP Fault (soap:Client) TN-01 for a wrong check digit', fields: ask('FIXTURE-T07', '0101234566') },
  { file: 'nnt-fault-missing-officer.xml', operation: 'TraCuuThongTinNNT', shows: 'HTTP 500 SOAP Fault (soap:Client) TN-04: MA_CAN_BO missing', fields: { MA_YEU_CAU: 'FIXTURE-T08', MA_TICH_HOP: caller.MA_TICH_HOP, MA_HO_SO: caller.MA_HO_SO, MA_SO_THUE: wellKnownTaxCodes.activeCompany } },
  { file: 'nghia-vu-outstanding.xml', operation: 'TraCuuNghiaVuThue', shows: 'rows with and without a decision (SO_QUYET_DINH/NGAY_QUYET_DINH empty on self-assessed amounts), periods MM/yyyy and yyyy, penalty without period', fields: ask('FIXTURE-T09', wellKnownTaxCodes.activeCompany) },
  { file: 'nghia-vu-household-quarterly.xml', operation: 'TraCuuNghiaVuThue', shows: 'household business: quarterly lump-sum tax (Qn/yyyy) under chapter 757', fields: ask('FIXTURE-T10', wellKnownTaxCodes.householdBusiness) },
  { file: 'nghia-vu-overpaid.xml', operation: 'TraCuuNghiaVuThue', shows: 'a negative row (overpaid VAT) netted into TONG_SO_TIEN', fields: ask('FIXTURE-T11', wellKnownTaxCodes.cooperative) },
  { file: 'nghia-vu-none-empty-list.xml', operation: 'TraCuuNghiaVuThue', shows: 'nothing owed: empty ROW_LIST element, TONG_SO_TIEN 0', fields: ask('FIXTURE-T12', wellKnownTaxCodes.companyWithTwoRepresentatives) },
  { file: 'nghia-vu-closed-no-list.xml', operation: 'TraCuuNghiaVuThue', shows: 'MST terminated: no ROW_LIST element at all', fields: ask('FIXTURE-T13', wellKnownTaxCodes.dissolvedPrivateEnterprise) },
  { file: 'nghia-vu-not-found.xml', operation: 'TraCuuNghiaVuThue', shows: 'valid MST with no taxpayer: MA_KET_QUA 01', fields: ask('FIXTURE-T14', '0109999982') },
  // Since July 2025 a person's tax code is their personal id (and a household business's, its owner's).
  { file: 'nnt-individual.xml', operation: 'TraCuuThongTinNNT', shows: 'an individual (LOAI_NNT 05) looked up by personal id: grassroots tax unit, empty NGUOI_DAI_DIEN', fields: ask('FIXTURE-T15', wellKnownPersonIds.manBornInHanoi1990) },
  { file: 'nnt-household-by-personal-id.xml', operation: 'TraCuuThongTinNNT', shows: "household business looked up by its owner's personal id: MA_SO_THUE is the personal id", fields: ask('FIXTURE-T16', wellKnownPersonIds.upperCaseNoDiacritics) },
  { file: 'nnt-personal-id-not-found.xml', operation: 'TraCuuThongTinNNT', shows: 'a seeded citizen the tax registry does not hold: MA_KET_QUA 01', fields: ask('FIXTURE-T17', wellKnownPersonIds.sparseRecord) },
  { file: 'nghia-vu-individual.xml', operation: 'TraCuuNghiaVuThue', shows: 'an individual: registration fee and urban land use tax on notices, chapter 757', fields: ask('FIXTURE-T18', wellKnownPersonIds.womanBorn2001WithDiacritics) },
  { file: 'nghia-vu-individual-income-tax.xml', operation: 'TraCuuNghiaVuThue', shows: 'an individual: self-assessed personal income tax on salary (1001), no decision', fields: ask('FIXTURE-T19', wellKnownPersonIds.manBornInHanoi1990) },
];

export const taxFixturesDirectory = connectorFile('tax', 'fixtures');

/** Starts a sandbox, plays every case over HTTP and returns file name → raw response. */
export async function recordTaxFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startTaxSandbox();
  try {
    return await recordSoapExchanges(sandbox, { credentials: taxSandboxDevCredentials, namespace: { prefix: 'nnt', uri: taxNamespace }, cases: taxFixtureCases });
  } finally {
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  recordTaxFixtures()
    .then((recorded) => writeRecordedFixtures(taxFixturesDirectory, recorded, (line) => process.stdout.write(`${line}\n`)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
