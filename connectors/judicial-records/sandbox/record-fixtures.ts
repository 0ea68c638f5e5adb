import { pathToFileURL } from 'node:url';
import { connectorFile } from '../../../src/connector-kit/connector-files.js';
import { encodeLgspAccessToken } from '../../../simulators/kit/platform-auth.js';
import { fetchPlatformToken, writeRecordedFixtures, type RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { judicialRecordsServices } from '../client.js';
import { seededDeclaration, seededRequests } from './seed.js';
import { judicialRecordsSandboxDevCredentials, startJudicialRecordsSandbox, type JudicialRecordsSandbox } from './server.js';

/**
 * Records the judicial records services' raw JSON answers from the sandbox
 * over real HTTP (platform token and lgspaccesstoken first), into
 * connectors/judicial-records/fixtures/. Run after changing the sandbox:
 * `node dist/connectors/judicial-records/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 */
export interface JudicialRecordsFixtureCase {
  file: string;
  service: string;
  body: unknown;
  shows: string;
}

const lodged = { ...seededDeclaration(seededRequests[0]!), maHoSoMCDT: '000.00.01.H22-251126-0001' };

export const judicialRecordsFixtureCases: readonly JudicialRecordsFixtureCase[] = [
  { file: 'tra-cuu-ho-so-result-ready.json', service: judicialRecordsServices.lookUp, body: { maTinh: '22', maHoSoMCDT: seededRequests[3]!.dossierCode }, shows: 'an issued certificate, with a conviction noted in its content (which the mapping must not carry)' },
  { file: 'tra-cuu-ho-so-refused.json', service: judicialRecordsServices.lookUp, body: { maTinh: '22', maHoSoMCDT: seededRequests[2]!.dossierCode }, shows: 'a refused request with lyDoTuChoi, ketQuaXuLy null' },
  { file: 'tra-cuu-ho-so-not-found.json', service: judicialRecordsServices.lookUp, body: { maTinh: '22', maHoSoMCDT: '000.00.01.H22-251001-0999' }, shows: 'a dossier the system does not hold: statusCode "02"' },
  // In this order on one sandbox: the second lodging finds the first.
  { file: 'tiep-nhan-ho-so-accepted.json', service: judicialRecordsServices.submit, body: lodged, shows: 'a request lodged: statusCode "00"' },
  { file: 'tiep-nhan-ho-so-already-received.json', service: judicialRecordsServices.submit, body: lodged, shows: 'the same dossier lodged again: statusCode "01", "... đã được tiếp nhận, không thể cập nhật thông tin"' },
];

export const judicialRecordsFixturesDirectory = connectorFile('judicial-records', 'fixtures');

/** The headers of a data call the platform lets through: a fresh bearer token and the partner's lgspaccesstoken. */
export async function platformCallHeaders(sandbox: JudicialRecordsSandbox): Promise<Record<string, string>> {
  const token = await fetchPlatformToken(sandbox.tokenUrl, judicialRecordsSandboxDevCredentials);
  const { clientId: _id, clientSecret: _secret, ...keys } = judicialRecordsSandboxDevCredentials;
  return { authorization: `Bearer ${token}`, lgspaccesstoken: encodeLgspAccessToken(keys), 'content-type': 'application/json' };
}

export async function recordJudicialRecordsFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startJudicialRecordsSandbox();
  try {
    const headers = await platformCallHeaders(sandbox);
    const recorded = new Map<string, RecordedFixture>();
    for (const fixture of judicialRecordsFixtureCases) {
      const response = await fetch(`${sandbox.serviceUrl}/${fixture.service}`, { method: 'POST', headers, body: JSON.stringify(fixture.body) });
      // Pretty-printed for review; the sandbox's bytes are compact JSON, the values are what matter here.
      recorded.set(fixture.file, { status: response.status, body: `${JSON.stringify(await response.json(), null, 2)}\n` });
    }
    return recorded;
  } finally {
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  recordJudicialRecordsFixtures()
    .then((recorded) => writeRecordedFixtures(judicialRecordsFixturesDirectory, recorded, (line) => process.stdout.write(`${line}\n`)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
