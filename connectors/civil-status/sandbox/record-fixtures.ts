import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../src/paths.js';
import { fetchPasswordGrantToken } from '../../../simulators/kit/password-grant-rest-sandbox.js';
import { writeRecordedFixtures, type RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { civilStatusOperations, civilStatusResources, civilStatusSandboxDevCredentials, startCivilStatusSandbox } from './server.js';
import { seededCivilStatus, type RegisterKey } from './seed.js';

/**
 * Records the civil-status database's raw JSON answers from the sandbox over
 * real HTTP, into connectors/civil-status/fixtures/. Run after changing the
 * sandbox: `npm run build && node dist/connectors/civil-status/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 */

export interface CivilStatusFixtureCase {
  file: string;
  register: keyof typeof civilStatusResources;
  /** The request body's `data`. */
  data: Record<string, string>;
  /** The HTTP status the exchange must have (the files hold bodies only). */
  status: number;
  /** What the fixture shows (README.md describes every file; the test checks it is listed). */
  shows: string;
  fault?: 'soap-fault';
}

const { wellKnown } = seededCivilStatus();
const byKey = (key: RegisterKey) => ({ noiDangKy: key.authorityCode, quyenSo: key.book, so: key.number });

export const civilStatusFixtureCases: readonly CivilStatusFixtureCase[] = [
  { file: 'khai-sinh-paper-book-1990.json', register: 'births', data: byKey(wellKnown.anBirth), status: 200, shows: 'birth of 1990 digitized from a paper book: parents by name only ("" for what the book lacks), declarant null' },
  { file: 'khai-sinh-2016-parents-with-ids.json', register: 'births', data: byKey(wellKnown.linkedProcedureBirth), status: 200, shows: 'birth of 2016 (the README\'s linked procedure): child and both parents with personal ids (LoaiGiayToTuyThan 4), declarant the mother' },
  { file: 'khai-sinh-by-personal-id.json', register: 'births', data: { soDinhDanh: '001090012345' }, status: 200, shows: 'the same 1990 birth found by the child\'s personal id (nksSoDinhDanh)' },
  { file: 'khai-sinh-not-found.json', register: 'births', data: { ...byKey(wellKnown.anBirth), so: '99999' }, status: 200, shows: 'no such entry in the book: statusCode 00, data [] (an answer, not an error)' },
  { file: 'khai-sinh-unknown-authority.json', register: 'births', data: { ...byKey(wellKnown.anBirth), noiDangKy: '99999' }, status: 400, shows: 'HTTP 400, statusCode 02: a registering authority the register does not know' },
  { file: 'ket-hon-2025-ward.json', register: 'marriages', data: byKey(wellKnown.anAnhMarriage), status: 200, shows: 'marriage registered in August 2025 at a 2025 ward (00004 Phường Ba Đình), both spouses on personal ids' },
  { file: 'ket-hon-dissolved-legacy.json', register: 'marriages', data: byKey(wellKnown.hoaDivorcedMarriage), status: 200, shows: 'marriage of 2010 at a district (492), wife upper case without diacritics on her old CMND (LoaiGiayToTuyThan 1), husband by name only, dissolved (tinhTrangKetHon 2, ngayGhiChuLyHon)' },
  { file: 'khai-tu-no-personal-id.json', register: 'deaths', data: byKey(wellKnown.binhDeath), status: 200, shows: 'death of 2012 of a man without a personal id, birth date 00/00/1958 (year only), time of death' },
  { file: 'khai-tu-by-personal-id.json', register: 'deaths', data: { soDinhDanh: wellKnown.tamDeath.personalId }, status: 200, shows: 'death of 2019 found by the deceased\'s personal id, empty nktGioPhutChet' },
  { file: 'khai-tu-fault-system-busy.json', register: 'deaths', data: byKey(wellKnown.binhDeath), status: 500, fault: 'soap-fault', shows: 'HTTP 500, statusCode 99: the civil-status system failing (the sandbox\'s `soap-fault` switch)' },
];

/** Starts a sandbox, plays every case over HTTP and returns file name → raw answer. */
export async function recordCivilStatusFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startCivilStatusSandbox();
  try {
    const token = await fetchPasswordGrantToken(sandbox.tokenUrl, civilStatusSandboxDevCredentials);
    const recorded = new Map<string, RecordedFixture>();
    for (const fixture of civilStatusFixtureCases) {
      if (fixture.fault) sandbox.faults.set({ kind: fixture.fault }, { times: 1, operation: civilStatusOperations[fixture.register] });
      const response = await fetch(`${sandbox.apiUrl}/${civilStatusResources[fixture.register]}/tra-cuu`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ maDonVi: '000.00.01.H22', maHoSo: '000.00.01.H22-250801-0007', nguoiTraCuu: 'officer01', data: fixture.data }),
      });
      // A final newline keeps the files friendly to editors and diffs; it is the only byte added.
      recorded.set(fixture.file, { status: response.status, body: `${await response.text()}\n` });
    }
    return recorded;
  } finally {
    await sandbox.close();
  }
}

export function civilStatusFixturesDirectory(): string {
  return path.join(projectRoot, 'connectors/civil-status/fixtures');
}

async function main(): Promise<void> {
  writeRecordedFixtures(civilStatusFixturesDirectory(), await recordCivilStatusFixtures(), (line) => process.stdout.write(`${line}\n`));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
