import { pathToFileURL } from 'node:url';
import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { writeRecordedFixtures, type RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { sampleDossier, sampleDossierCode, sampleDossierProcessed, sampleProgress } from './sample-dossiers.js';
import { wellKnownProcedureCodes } from './seed.js';
import { publicServicePortalSandboxDevCredentials, startPublicServicePortalSandbox } from './server.js';

/**
 * Records the portal adapter's raw JSON answers from the sandbox over real
 * HTTP (session login first), into connectors/public-service-portal/fixtures/.
 * Run after changing the sandbox:
 * `node dist/connectors/public-service-portal/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 * Hand-written fixtures (the ugly cases no sandbox produces) live beside them
 * and are not in this list.
 */
export interface PortalFixtureCase {
  file: string;
  /** The service call, without session and madonvi. */
  request: Record<string, unknown>;
  shows: string;
}

export const portalFixtureCases: readonly PortalFixtureCase[] = [
  { file: 'lay-thu-tuc-khai-sinh.json', request: { service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.birthRegistration }, shows: 'birth registration at commune level: free, three channels (or two), KENH as strings, empty PHILEPHI lists' },
  { file: 'lay-thu-tuc-ly-lich-tu-phap.json', request: { service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.criminalRecordCertificate }, shows: "the REFERENCE's example code: province level, fees as string amounts, half fee online" },
  { file: 'lay-thu-tuc-not-found.json', request: { service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.unknown }, shows: 'a well-formed code nobody published: error_code 0 with an empty result' },
  { file: 'lay-thu-tuc-invalid-code.json', request: { service: 'LayThuTuc', maTTHC: 'khai-sinh' }, shows: 'a malformed code: error_code 2' },
  { file: 'lay-danh-sach-tthc-ho-tich.json', request: { service: 'LayDanhSachTTHC', tuKhoa: 'khai sinh', maLinhVuc: 'G06-HT01', trang: 1, soLuong: 5 }, shows: 'search by keyword (diacritics folded) and field: summaries with TONGSO' },
  { file: 'lay-danh-sach-tthc-empty.json', request: { service: 'LayDanhSachTTHC', tuKhoa: 'không có thủ tục này', trang: 1, soLuong: 20 }, shows: 'no match: error_code 0, TONGSO 0, empty result' },
  { file: 'lay-danh-muc-co-quan.json', request: { service: 'LayDanhMucCoQuan' }, shows: 'the agencies of the seeded catalog: MADONVI, TENDONVI' },
  { file: 'lay-danh-muc-linh-vuc.json', request: { service: 'LayDanhMucLinhVuc' }, shows: 'the fields of the seeded catalog: MALINHVUC, TENLINHVUC' },
  // The dossier cases run in this order on one sandbox: each depends on what the previous ones stored.
  { file: 'tra-cuu-ho-so-absent.json', request: { service: 'TraCuuHoSo', mahoso: sampleDossierCode }, shows: 'a dossier the portal does not hold: error_code 0, empty result' },
  { file: 'cap-nhat-tien-do-unknown-dossier.json', request: { service: 'CapNhatTienDoHoSoMC', data: [sampleProgress[0]] }, shows: 'a step for a dossier the portal does not hold: error_code 5' },
  { file: 'dong-bo-ho-so-created.json', request: { service: 'DongBoHoSoMC', isUpdating: 'False', data: [sampleDossier] }, shows: 'a new dossier: error_code 0, result[{MaHoSo, IdHoSo}]' },
  { file: 'dong-bo-ho-so-already-exists.json', request: { service: 'DongBoHoSoMC', isUpdating: 'False', data: [sampleDossier] }, shows: 'the same dossier created again: error_code -3, "... đã tồn tại ..."' },
  { file: 'dong-bo-ho-so-updated.json', request: { service: 'DongBoHoSoMC', isUpdating: 'True', data: [sampleDossierProcessed] }, shows: 'an update: error_code 0, the same IdHoSo' },
  { file: 'cap-nhat-tien-do-accepted.json', request: { service: 'CapNhatTienDoHoSoMC', data: [sampleProgress[0]] }, shows: 'a processing step: error_code 0' },
  { file: 'tra-cuu-ho-so-found.json', request: { service: 'TraCuuHoSo', mahoso: sampleDossierCode }, shows: 'the dossier as the portal holds it now: the latest version, dates as yyyyMMddHHmmss' },
  { file: 'dong-bo-ho-so-invalid.json', request: { service: 'DongBoHoSoMC', isUpdating: 'False', data: [{ ...sampleDossier, NgayTiepNhan: '2025-07-14' }] }, shows: 'a date not in yyyyMMddHHmmss: error_code 2, nothing stored' },
];

export const portalFixturesDirectory = connectorFile('public-service-portal', 'fixtures');

export async function recordPortalFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startPublicServicePortalSandbox();
  try {
    const { username, password, dstcode } = publicServicePortalSandboxDevCredentials;
    const login = await fetch(sandbox.loginUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode }, body: JSON.stringify({ username, password }) });
    const { session } = (await login.json()) as { session: string };
    const recorded = new Map<string, RecordedFixture>();
    for (const fixture of portalFixtureCases) {
      const response = await fetch(sandbox.serviceUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', dstcode, accept: 'application/json' },
        body: JSON.stringify({ session, madonvi: '000.00.00.H22', ...fixture.request }),
      });
      // Pretty-printed for review; the sandbox's bytes are compact JSON, the values are what matter here.
      recorded.set(fixture.file, { status: response.status, body: `${JSON.stringify(await response.json(), null, 2)}\n` });
    }
    return recorded;
  } finally {
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  recordPortalFixtures()
    .then((recorded) => writeRecordedFixtures(portalFixturesDirectory, recorded, (line) => process.stdout.write(`${line}\n`)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
