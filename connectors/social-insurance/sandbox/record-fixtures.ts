import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../src/paths.js';
import { recordSoapExchanges, writeRecordedFixtures, type RecordedFixture, type SoapFixtureCase, type SoapRequestFields } from '../../../simulators/kit/soap-fixtures.js';
import { bhxhNamespace } from './operations.js';
import { socialInsuranceOperation, socialInsuranceSandboxDevCredentials, startSocialInsuranceSandbox } from './server.js';

/**
 * Records the social-insurance upstream's raw response envelopes from the
 * sandbox over real HTTP, into connectors/social-insurance/fixtures/. Run after
 * changing the sandbox: `node dist/connectors/social-insurance/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 */

const caller = { MaDVC: '1.001612.000.00.00.H29', MaTichHop: 'LGSP-DEV', MaCanBo: 'officer01' };

function lookup(requestId: string, key: SoapRequestFields): SoapRequestFields {
  return { MaYeuCau: requestId, ...caller, ...key };
}

export const fixtureCases: readonly SoapFixtureCase[] = [
  { file: 'tra-cuu-compulsory-employee.xml', operation: socialInsuranceOperation, shows: 'compulsory participant with employer, DN card, hospital, five-year date', fields: lookup('FIXTURE-001', { MaSoBHXH: '0123456789' }) },
  { file: 'tra-cuu-by-personal-id.xml', operation: socialInsuranceOperation, shows: 'the same record found by SoDinhDanh', fields: lookup('FIXTURE-002', { SoDinhDanh: '001090012345' }) },
  { file: 'tra-cuu-young-employee.xml', operation: socialInsuranceOperation, shows: 'card not yet five years continuous: empty ThoiDiemDu5NamLienTuc', fields: lookup('FIXTURE-003', { MaSoBHXH: '7901234567' }) },
  { file: 'tra-cuu-pensioner-legacy-name.xml', operation: socialInsuranceOperation, shows: 'pensioner (05, HT card), name without diacritics, birth year only 00/00/1938, no current unit', fields: lookup('FIXTURE-004', { SoDinhDanh: '038038000123' }) },
  { file: 'tra-cuu-voluntary-empty-unit.xml', operation: socialInsuranceOperation, shows: 'voluntary scheme (02), household card GD, empty DonViThamGia', fields: lookup('FIXTURE-005', { MaSoBHXH: '4801234567' }) },
  { file: 'tra-cuu-pupil-no-contributions.xml', operation: socialInsuranceOperation, shows: 'a minor: HS card, status 06, QuaTrinhThamGia missing altogether', fields: lookup('FIXTURE-006', { SoDinhDanh: '048312004567' }) },
  { file: 'tra-cuu-year-month-birth-date.xml', operation: socialInsuranceOperation, shows: 'recent pensioner, birth date 00/03/1968', fields: lookup('FIXTURE-007', { MaSoBHXH: '3101234567' }) },
  { file: 'tra-cuu-closed-expired-card.xml', operation: socialInsuranceOperation, shows: 'book settled (04): card expired, no current unit', fields: lookup('FIXTURE-008', { MaSoBHXH: '0112345678' }) },
  { file: 'tra-cuu-unlinked-personal-id.xml', operation: socialInsuranceOperation, shows: 'old book never matched with the population database: empty SoDinhDanh', fields: lookup('FIXTURE-009', { MaSoBHXH: '0198765432' }) },
  { file: 'tra-cuu-not-participating.xml', operation: socialInsuranceOperation, shows: 'a seeded citizen who does not participate: MaKetQua 01, no NguoiThamGia (not a fault)', fields: lookup('FIXTURE-010', { SoDinhDanh: '092205000321' }) },
  { file: 'tra-cuu-code-not-found.xml', operation: socialInsuranceOperation, shows: 'well-formed code with no record: MaKetQua 01', fields: lookup('FIXTURE-011', { MaSoBHXH: '0100000000' }) },
  { file: 'tra-cuu-fault-malformed-code.xml', operation: socialInsuranceOperation, shows: 'HTTP 500 SOAP Fault (soap:Client), BH-01 for a 9-digit MaSoBHXH', fields: lookup('FIXTURE-012', { MaSoBHXH: '012345678' }) },
  { file: 'tra-cuu-fault-missing-officer.xml', operation: socialInsuranceOperation, shows: 'HTTP 500 SOAP Fault (soap:Client), BH-04: MaCanBo missing', fields: { MaYeuCau: 'FIXTURE-013', MaDVC: caller.MaDVC, MaSoBHXH: '0123456789' } },
];

export function socialInsuranceFixturesDirectory(): string {
  return path.join(projectRoot, 'connectors/social-insurance/fixtures');
}

/** Starts a sandbox, plays every case over HTTP and returns file name → raw response. */
export async function recordSocialInsuranceFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startSocialInsuranceSandbox();
  try {
    return await recordSoapExchanges(sandbox, {
      credentials: socialInsuranceSandboxDevCredentials,
      namespace: { prefix: 'bhxh', uri: bhxhNamespace },
      cases: fixtureCases,
    });
  } finally {
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  recordSocialInsuranceFixtures()
    .then((recorded) => writeRecordedFixtures(socialInsuranceFixturesDirectory(), recorded, (line) => process.stdout.write(`${line}\n`)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
