import { pathToFileURL } from 'node:url';
import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import {
  buildSoapRequestEnvelope,
  fetchPlatformToken,
  recordSoapExchanges,
  writeRecordedFixtures,
  type RecordedFixture,
  type SoapFixtureCase,
  type SoapRequestFields,
} from '../../../simulators/kit/soap-fixtures.js';
import { danCuNamespace } from './responses.js';
import { populationSandboxDevCredentials, startPopulationSandbox, type PopulationSandbox, type PopulationSandboxModes } from './server.js';

/**
 * Records the population upstream's raw response envelopes from the sandbox
 * over real HTTP, into connectors/population/fixtures/. Run after changing the
 * sandbox: `node dist/connectors/population/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 */

const namespace = { prefix: 'dan', uri: danCuNamespace };

const caller = { MaDVC: '1.001612.000.00.00.H29', MaTichHop: '037', MaCanBo: '001085000111' };

function lookup(requestId: string, fields: SoapRequestFields): SoapRequestFields {
  return { MaYeuCau: requestId, ...caller, ...fields };
}

/** A case recorded from a sandbox switched to other modes (server.ts), to show other upstreams' answers. */
export type PopulationFixtureCase = SoapFixtureCase & { modes?: PopulationSandboxModes };

export const fixtureCases: readonly PopulationFixtureCase[] = [
  {
    file: 'tra-cuu-found-full.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'complete record: old CMND, spouse in the database, parents not in it, household head, old 3-level birth place, 2025 current address',
    fields: lookup('FIXTURE-001', { SoDinhDanh: '001090012345' }),
  },
  {
    file: 'tra-cuu-year-only-birth-date.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'birth date known by year only (empty NgayThangNam), old CMND, birth place known by province only',
    fields: lookup('FIXTURE-002', { SoDinhDanh: '038038000123' }),
  },
  {
    file: 'tra-cuu-year-month-birth-date.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'birth date known as year-month (NgayThangNam yyyyMM)',
    fields: lookup('FIXTURE-003', { SoDinhDanh: '031168000789' }),
  },
  {
    file: 'tra-cuu-upper-case-no-diacritics.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'legacy record: name upper case without diacritics; household head of a minor',
    fields: lookup('FIXTURE-004', { SoDinhDanh: '048175000456' }),
  },
  {
    file: 'tra-cuu-whole-name-in-ten.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'whole name in Ten (Ho and ChuDem empty), upper case with diacritics; birth place in an old province merged in 2025',
    fields: lookup('FIXTURE-005', { SoDinhDanh: '026092001357' }),
  },
  {
    file: 'tra-cuu-empty-elements.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'sparse record: empty SoCMND, QuocTich, SoSoHoKhau, NhomMau 00, NoiOHienTai with every child empty; VoChong and Cha/Me missing',
    fields: lookup('FIXTURE-006', { SoDinhDanh: '092205000321' }),
  },
  {
    file: 'tra-cuu-minor-with-representative.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'a minor: NguoiDaiDien (legal representative) present, father not in the database',
    fields: lookup('FIXTURE-007', { SoDinhDanh: '048312004567' }),
  },
  {
    file: 'tra-cuu-by-cmnd.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'lookup by old CMND (SoCMND) instead of SoDinhDanh',
    fields: lookup('FIXTURE-008', { SoCMND: '170123456' }),
  },
  {
    file: 'tra-cuu-not-found.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'well-formed id with no record: empty collection, MaKetQua 01 (not a fault)',
    fields: lookup('FIXTURE-009', { SoDinhDanh: '001090099999' }),
  },
  {
    file: 'tra-cuu-name-mismatch.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'record exists but the given HoVaTen differs: empty collection, MaKetQua 02',
    fields: lookup('FIXTURE-010', { SoDinhDanh: '001090012345', HoVaTen: 'Nguyễn Văn Ân' }),
  },
  {
    file: 'tra-cuu-fault-malformed-id.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'HTTP 500 SOAP Fault (soap:Client), business code DC-01 for an 11-digit SoDinhDanh',
    fields: lookup('FIXTURE-011', { SoDinhDanh: '00109001234' }),
  },
  {
    file: 'tra-cuu-fault-missing-officer.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: 'HTTP 500 SOAP Fault (soap:Client), business code DC-04: MaCanBo missing',
    fields: { MaYeuCau: 'FIXTURE-012', MaDVC: caller.MaDVC, MaTichHop: caller.MaTichHop, SoDinhDanh: '001090012345' },
  },
  {
    file: 'xac-thuc-match.xml',
    operation: 'XacThucThongTinCongDan',
    shows: 'verification: id exists and name, birth date and sex match; TonTai true',
    fields: lookup('FIXTURE-013', {
      SoDinhDanh: '079301005678',
      HoVaTen: 'Trần Thị Ngọc Ánh',
      NgayThangNamSinh: { NgayThangNam: '20011123' },
      GioiTinh: '2',
    }),
  },
  {
    file: 'xac-thuc-mismatch-name.xml',
    operation: 'XacThucThongTinCongDan',
    shows: 'verification: the name without diacritics does not match (diacritics are significant); TonTai false, KetQuaKhop/HoVaTen false, MaKetQua 02',
    fields: lookup('FIXTURE-014', {
      SoDinhDanh: '079301005678',
      HoVaTen: 'Tran Thi Ngoc Anh',
      NgayThangNamSinh: { NgayThangNam: '20011123' },
    }),
  },
  {
    file: 'xac-thuc-not-found.xml',
    operation: 'XacThucThongTinCongDan',
    shows: 'verification of an id with no record: TonTai false, no KetQuaKhop, MaKetQua 01',
    fields: lookup('FIXTURE-015', {
      SoDinhDanh: '001090099999',
      HoVaTen: 'Nguyễn Văn An',
      NgayThangNamSinh: { Nam: '1990' },
    }),
  },
  {
    file: 'xac-thuc-tontai-only-match.xml',
    operation: 'XacThucThongTinCongDan',
    shows: 'verification answered as documented (MaYeuCau and TonTai alone): every given field matches, TonTai true',
    modes: { verifyAnswer: 'tontai-only' },
    fields: lookup('FIXTURE-016', {
      SoDinhDanh: '079301005678',
      HoVaTen: 'Trần Thị Ngọc Ánh',
      NgayThangNamSinh: { NgayThangNam: '20011123' },
      GioiTinh: '2',
    }),
  },
  {
    file: 'xac-thuc-tontai-only-mismatch.xml',
    operation: 'XacThucThongTinCongDan',
    shows: 'verification answered as documented: the name without diacritics does not match, TonTai false and nothing about which field',
    modes: { verifyAnswer: 'tontai-only' },
    fields: lookup('FIXTURE-017', {
      SoDinhDanh: '079301005678',
      HoVaTen: 'Tran Thi Ngoc Anh',
      NgayThangNamSinh: { NgayThangNam: '20011123' },
      GioiTinh: '2',
    }),
  },
  {
    file: 'tra-cuu-another-person.xml',
    operation: 'TraCuuThongTinCongDan',
    shows: "a mixed-up upstream: asked for 001090012345, it answers with 048175000456's record",
    modes: { lookupAnswersWith: '048175000456' },
    fields: lookup('FIXTURE-018', { SoDinhDanh: '001090012345' }),
  },
];

/** A request envelope as provincial clients write them by hand (prefix `dan`, like real traffic). */
export function buildRequestEnvelope(operation: string, fields: SoapRequestFields): string {
  return buildSoapRequestEnvelope(namespace, operation, fields);
}

export function fetchSandboxToken(sandbox: PopulationSandbox): Promise<string> {
  return fetchPlatformToken(sandbox.tokenUrl, populationSandboxDevCredentials);
}

export const populationFixturesDirectory = connectorFile('population', 'fixtures');

/** Starts a sandbox, plays every case over HTTP and returns file name → raw response. */
export async function recordPopulationFixtures(): Promise<Map<string, RecordedFixture>> {
  const recorded = new Map<string, RecordedFixture>();
  // One sandbox per set of modes, each started with them, in the order the cases are listed.
  const byModes = new Map<string, PopulationFixtureCase[]>();
  for (const fixture of fixtureCases) {
    const key = JSON.stringify(fixture.modes ?? {});
    byModes.set(key, [...(byModes.get(key) ?? []), fixture]);
  }
  for (const [modes, cases] of byModes) {
    const sandbox = await startPopulationSandbox({ modes: JSON.parse(modes) as PopulationSandboxModes });
    try {
      for (const [file, fixture] of await recordSoapExchanges(sandbox, { credentials: populationSandboxDevCredentials, namespace, cases })) recorded.set(file, fixture);
    } finally {
      await sandbox.close();
    }
  }
  return recorded;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  recordPopulationFixtures()
    .then((recorded) => writeRecordedFixtures(populationFixturesDirectory, recorded, (line) => process.stdout.write(`${line}\n`)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
