import { pathToFileURL } from 'node:url';
import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { wellKnownTaxCodes } from '../../../simulators/kit/enterprises.js';
import { writeRecordedFixtures, type RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { businessRegistrySandboxDevCredentials, startBusinessRegistrySandbox } from './server.js';

/**
 * Records the registry proxy's raw JSON answers from the sandbox over real
 * HTTP (session login first), into connectors/business-registry/fixtures/.
 * Run after changing the sandbox:
 * `node dist/connectors/business-registry/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 */

export interface RegistryFixtureCase {
  file: string;
  /** Path and query under the service path, as the client asks. */
  request: string;
  shows: string;
}

export const registryFixtureCases: readonly RegistryFixtureCase[] = [
  { file: 'doanh-nghiep-active.json', request: `DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.activeCompany}`, shows: 'active one-member LLC: foreign and short names, change date yyyyMMddHHmmss, CCCD of the representative, three business lines' },
  { file: 'doanh-nghiep-two-representatives.json', request: `DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.companyWithTwoRepresentatives}`, shows: 'two legal representatives' },
  { file: 'doanh-nghiep-branch.json', request: `DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.activeCompanyBranch}`, shows: 'dependent unit: -001 code, MaSoDNChuQuan, no change ever (empty NgayDangKyThayDoi, SoLanDangKyThayDoi "0"), no capital' },
  { file: 'doanh-nghiep-suspended.json', request: `DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.suspendedCompany}`, shows: 'suspended: status 02 with dd/MM/yyyy suspension dates and reason; no foreign or short name fields at all' },
  { file: 'doanh-nghiep-dissolved.json', request: `DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.dissolvedPrivateEnterprise}`, shows: 'dissolved private enterprise registered in 1998 with the owner\'s old CMND' },
  { file: 'hop-tac-xa.json', request: `HopTacXa/chiTietHopTacXa?mst=${wellKnownTaxCodes.cooperative}`, shows: 'cooperative (MaSoHTX), director as legal representative' },
  { file: 'ho-kinh-doanh.json', request: `HoKinhDoanh/chiTietHoKinhDoanh?mst=${wellKnownTaxCodes.householdBusiness}`, shows: 'household business: ChuHoKinhDoanh (one object, not a list), DiaDiemKinhDoanh' },
  { file: 'doanh-nghiep-not-found.json', request: 'DoanhNghiep/chiTietDoanhNghiep?msdn=0109999982', shows: 'valid code nobody registered: HTTP 200, error_code 1, data null' },
  { file: 'doanh-nghiep-wrong-register.json', request: `DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.householdBusiness}`, shows: 'a household business asked in the enterprise register: not found there (error_code 1)' },
];

export const registryFixturesDirectory = connectorFile('business-registry', 'fixtures');

export async function recordRegistryFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startBusinessRegistrySandbox();
  try {
    const { username, password, dstcode } = businessRegistrySandboxDevCredentials;
    const login = await fetch(sandbox.loginUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode }, body: JSON.stringify({ username, password }) });
    const { session } = (await login.json()) as { session: string };
    const recorded = new Map<string, RecordedFixture>();
    for (const fixture of registryFixtureCases) {
      const response = await fetch(`${sandbox.serviceUrl}/${fixture.request}`, { headers: { session, dstcode, accept: 'application/json' } });
      // Pretty-printed for review; the sandbox's bytes are compact JSON, the values are what matter here.
      recorded.set(fixture.file, { status: response.status, body: `${JSON.stringify(await response.json(), null, 2)}\n` });
    }
    return recorded;
  } finally {
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  recordRegistryFixtures()
    .then((recorded) => writeRecordedFixtures(registryFixturesDirectory, recorded, (line) => process.stdout.write(`${line}\n`)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
