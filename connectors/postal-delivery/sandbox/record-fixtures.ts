import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../src/paths.js';
import { encodeLgspAccessToken } from '../../../simulators/kit/platform-auth.js';
import { fetchPlatformToken, writeRecordedFixtures, type RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { findPersonById, wellKnownPersonIds } from '../../../simulators/kit/people.js';
import { orderTo, sandboxCustomerCode, seededShipments } from './order-book.js';
import { postalOperations, postalSandboxDevCredentials, startPostalSandbox } from './server.js';

/**
 * Records VNPost's raw JSON answers from the sandbox over real HTTP, into
 * connectors/postal-delivery/fixtures/. Run after changing the sandbox:
 * `npm run build && node dist/connectors/postal-delivery/sandbox/record-fixtures.js`.
 * fixtures.test.ts re-records in memory and fails if the files drifted.
 * The sandbox runs on a fixed clock, so the dates are the same every time.
 */

export interface PostalFixtureCase {
  file: string;
  method: 'GET' | 'POST';
  /** Under the API path, with its query. */
  request: string;
  body?: unknown;
  status: number;
  shows: string;
  fault?: 'soap-fault';
}

const recordedAt = Date.parse('2025-07-20T08:30:00+07:00');
const recipient = findPersonById(wellKnownPersonIds.manBornInHanoi1990)!;
const newOrder = { ...orderTo(recipient, '000.00.01.H22-250718-0007'), Description: 'Phiếu lý lịch tư pháp số 1' };

export const postalFixtureCases: readonly PostalFixtureCase[] = [
  { file: 'order-tracking-in-transit.json', method: 'GET', request: `order/tracking?orderNumber=${seededShipments.inTransit.dossierCode}&pagesize=1`, status: 200, shows: 'one order in transit (statusCode 300)' },
  { file: 'order-tracking-returned.json', method: 'GET', request: `order/tracking?orderNumber=${seededShipments.returned.dossierCode}&pagesize=1`, status: 200, shows: 'a failed delivery sent back (statusCode 700)' },
  { file: 'order-tracking-none.json', method: 'GET', request: 'order/tracking?orderNumber=LGSP-PROBE&pagesize=1', status: 200, shows: 'no such order: an empty page, not an error' },
  { file: 'order-post-created.json', method: 'POST', request: 'order/post', body: newOrder, status: 200, shows: 'order booked: Code 00 with VNPost\'s ItemCode' },
  { file: 'order-post-duplicate.json', method: 'POST', request: 'order/post', body: newOrder, status: 409, shows: 'the same OrderNumber again: HTTP 409, Code 09' },
  { file: 'order-post-invalid-ward.json', method: 'POST', request: 'order/post', body: { ...newOrder, OrderNumber: 'X-1', ReceiverWard: '99999' }, status: 400, shows: 'a ward not in the 2025 list: HTTP 400, Code 02' },
  { file: 'order-cancel-not-cancellable.json', method: 'POST', request: 'order/cancel', body: { CustomerCode: sandboxCustomerCode, OrderNumber: seededShipments.inTransit.dossierCode }, status: 400, shows: 'cancel after pick-up: HTTP 400, Code 03' },
  { file: 'order-cancel-cancelled.json', method: 'POST', request: 'order/cancel', body: { CustomerCode: sandboxCustomerCode, OrderNumber: newOrder.OrderNumber }, status: 200, shows: 'cancel before pick-up: Code 00' },
  { file: 'order-cancel-not-found.json', method: 'POST', request: 'order/cancel', body: { CustomerCode: sandboxCustomerCode, OrderNumber: 'X-2' }, status: 404, shows: 'no such order: HTTP 404, Code 04' },
  { file: 'order-tracking-fault-system-error.json', method: 'GET', request: `order/tracking?orderNumber=${seededShipments.delivered.dossierCode}`, status: 500, fault: 'soap-fault', shows: 'VNPost failing: HTTP 500, Code 99 (the `soap-fault` switch)' },
];

/** Starts a sandbox on a fixed clock, plays every case over HTTP and returns file name → raw answer. */
export async function recordPostalFixtures(): Promise<Map<string, RecordedFixture>> {
  const sandbox = await startPostalSandbox({ now: () => recordedAt });
  try {
    const { clientId, clientSecret, ...keys } = postalSandboxDevCredentials;
    const token = await fetchPlatformToken(`${sandbox.baseUrl}/token`, { clientId, clientSecret });
    const recorded = new Map<string, RecordedFixture>();
    for (const fixture of postalFixtureCases) {
      if (fixture.fault) sandbox.faults.set({ kind: fixture.fault }, { times: 1, operation: postalOperations.tracking });
      const response = await fetch(`${sandbox.apiUrl}/${fixture.request}`, {
        method: fixture.method,
        headers: { authorization: `Bearer ${token}`, lgspaccesstoken: encodeLgspAccessToken(keys), accept: 'application/json', ...(fixture.body !== undefined && { 'content-type': 'application/json' }) },
        ...(fixture.body !== undefined && { body: JSON.stringify(fixture.body) }),
      });
      // A final newline keeps the files friendly to editors and diffs; it is the only byte added.
      recorded.set(fixture.file, { status: response.status, body: `${await response.text()}\n` });
    }
    return recorded;
  } finally {
    await sandbox.close();
  }
}

export const postalFixturesDirectory = path.join(projectRoot, 'connectors/postal-delivery/fixtures');

async function main(): Promise<void> {
  writeRecordedFixtures(postalFixturesDirectory, await recordPostalFixtures(), (line) => process.stdout.write(`${line}\n`));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
