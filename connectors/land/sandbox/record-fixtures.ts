import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../src/paths.js';
import { fetchPasswordGrantToken } from '../../../simulators/kit/password-grant-rest-sandbox.js';
import { writeRecordedFixtures, type RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { landSandboxDevCredentials, landOperations, startLandSandbox } from './server.js';

/**
 * Records the land database's raw JSON answers from the sandbox over real
 * HTTP, into connectors/land/fixtures/. Run after changing the sandbox:
 * `npm run build && node dist/connectors/land/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 */

export interface LandFixtureCase {
  file: string;
  /** `thua-dat` or `giay-chung-nhan` under the API path. */
  resource: 'thua-dat' | 'giay-chung-nhan';
  query: Record<string, string>;
  /** The HTTP status the exchange must have (the files hold bodies only). */
  status: number;
  /** What the fixture shows (README.md describes every file; the test checks it is listed). */
  shows: string;
  /** A fault switched on for this one exchange. */
  fault?: 'soap-fault';
}

export const landFixtureCases: readonly LandFixtureCase[] = [
  {
    file: 'thua-dat-found-couple-mortgaged.json',
    resource: 'thua-dat',
    query: { maXa: '00004', soTo: '12', soThua: '345' },
    status: 200,
    shows: 'urban parcel held by a married couple (CCCD), two land uses (long-term + term to 2063), active mortgage, two tax notices (paid, unpaid)',
  },
  {
    file: 'thua-dat-legacy-upper-case.json',
    resource: 'thua-dat',
    query: { maXa: '14797', soTo: '5', soThua: '87' },
    status: 200,
    shows: 'legacy record (certificate of 1998): MaThuaDat empty, name upper case without diacritics, CMND without LoaiGiayTo, ThongTinHanChe missing',
  },
  {
    file: 'thua-dat-farm-thousands-area.json',
    resource: 'thua-dat',
    query: { maXa: '14953', soTo: '17', soThua: '1024' },
    status: 200,
    shows: 'rice field: DienTich "1.250,0" with a thousands dot, term to 15/10/2063, no ThongBaoThue member (farm land is not taxed)',
  },
  {
    file: 'thua-dat-mortgage-cancelled.json',
    resource: 'thua-dat',
    query: { maXa: '11311', soTo: '8', soThua: '56' },
    status: 200,
    shows: 'mortgage cancelled (NgayXoaDangKy set), owner on her old CMND (LoaiGiayTo CMND), unpaid tax notice',
  },
  {
    file: 'thua-dat-sparse-no-certificate.json',
    resource: 'thua-dat',
    query: { maXa: '31135', soTo: '3', soThua: '211' },
    status: 200,
    shows: 'sparse record: inherited parcel without a certificate yet (GiayChungNhan []), empty DiaChiChiTiet and ThoiHanSuDung, NamSinh missing, ThongTinHanChe null, ThongBaoThue []',
  },
  {
    file: 'thua-dat-not-found.json',
    resource: 'thua-dat',
    query: { maXa: '00004', soTo: '9999', soThua: '99999' },
    status: 200,
    shows: 'no parcel at that place: MaLoi 00, TongSoBanGhi "0", DuLieu [] (not an error)',
  },
  {
    file: 'thua-dat-invalid-commune.json',
    resource: 'thua-dat',
    query: { maXa: '99999', soTo: '1', soThua: '1' },
    status: 400,
    shows: 'HTTP 400, MaLoi DD-01: a commune code not in the 2025 catalog',
  },
  {
    file: 'giay-chung-nhan-found.json',
    resource: 'giay-chung-nhan',
    query: { soPhatHanh: 'DA 123456' },
    status: 200,
    shows: 'certificate with its holders and the parcel it covers',
  },
  {
    file: 'giay-chung-nhan-legacy-upper-case.json',
    resource: 'giay-chung-nhan',
    query: { soPhatHanh: 'BX 654321' },
    status: 200,
    shows: 'certificate of 2009: holder upper case without diacritics, registry number in the old "NNNNN QSDĐ" form',
  },
  {
    file: 'giay-chung-nhan-not-found.json',
    resource: 'giay-chung-nhan',
    query: { soPhatHanh: 'DA 000001' },
    status: 404,
    shows: 'HTTP 404, MaLoi DD-04: no certificate with this serial (an answer, not a failure)',
  },
  {
    file: 'giay-chung-nhan-invalid-serial.json',
    resource: 'giay-chung-nhan',
    query: { soPhatHanh: '12345' },
    status: 400,
    shows: 'HTTP 400, MaLoi DD-03: malformed serial',
  },
  {
    file: 'giay-chung-nhan-fault-system-busy.json',
    resource: 'giay-chung-nhan',
    query: { soPhatHanh: 'DA 123456' },
    status: 500,
    fault: 'soap-fault',
    shows: 'HTTP 500, MaLoi DD-99: the land system failing (the sandbox\'s `soap-fault` switch)',
  },
];

/** Starts a sandbox, plays every case over HTTP and returns file name → raw answer. */
export async function recordLandFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startLandSandbox();
  try {
    const token = await fetchPasswordGrantToken(sandbox.tokenUrl, landSandboxDevCredentials);
    const recorded = new Map<string, RecordedFixture>();
    for (const fixture of landFixtureCases) {
      if (fixture.fault) sandbox.faults.set({ kind: fixture.fault }, { times: 1, operation: fixture.resource === 'thua-dat' ? landOperations.parcels : landOperations.certificates });
      const url = `${sandbox.apiUrl}/${fixture.resource}?${new URLSearchParams(fixture.query).toString()}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      // A final newline keeps the files friendly to editors and diffs; it is the only byte added.
      recorded.set(fixture.file, { status: response.status, body: `${await response.text()}\n` });
    }
    return recorded;
  } finally {
    await sandbox.close();
  }
}

export function landFixturesDirectory(): string {
  return path.join(projectRoot, 'connectors/land/fixtures');
}

async function main(): Promise<void> {
  writeRecordedFixtures(landFixturesDirectory(), await recordLandFixtures(), (line) => process.stdout.write(`${line}\n`));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
