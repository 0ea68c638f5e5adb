import { wellKnownTaxCodes } from '../../../simulators/kit/enterprises.js';
import { businessRegistrySandboxDevCredentials, startBusinessRegistrySandbox, type BusinessRegistrySandbox } from './server.js';

let sandbox: BusinessRegistrySandbox;
const { username, password, dstcode } = businessRegistrySandboxDevCredentials;

beforeAll(async () => {
  sandbox = await startBusinessRegistrySandbox();
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => sandbox.faults.clear());

async function logIn(body: unknown = { username, password }, code = dstcode): Promise<Record<string, unknown>> {
  const response = await fetch(sandbox.loginUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: code }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function lookUp(path: string, session: string): Promise<Response> {
  return fetch(`${sandbox.serviceUrl}/${path}`, { headers: { session, dstcode } });
}

describe('business-registry sandbox', () => {
  it('logs in with username, password and dstcode, answering error_code 0 and a session', async () => {
    expect(await logIn()).toMatchObject({ error_code: 0, session: expect.any(String) });
    expect(await logIn({ username, password: 'wrong' })).toMatchObject({ error_code: 1 });
    expect(await logIn({ username, password }, 'VN:GOV:OTHER')).toMatchObject({ error_code: 2 });
  });

  it('refuses data calls without a valid session (HTTP 401)', async () => {
    expect((await lookUp(`DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.activeCompany}`, 'not-a-session')).status).toBe(401);
  });

  it('answers each register for its own kind only, and refuses a malformed code with HTTP 400', async () => {
    const { session } = (await logIn()) as { session: string };
    const cooperative = await (await lookUp(`HopTacXa/chiTietHopTacXa?mst=${wellKnownTaxCodes.cooperative}`, session)).json();
    expect(cooperative).toMatchObject({ error_code: 0, data: { MaSoHTX: wellKnownTaxCodes.cooperative } });
    expect(await (await lookUp(`HopTacXa/chiTietHopTacXa?mst=${wellKnownTaxCodes.activeCompany}`, session)).json()).toMatchObject({ error_code: 1, data: null });
    const invalid = await lookUp('DoanhNghiep/chiTietDoanhNghiep?msdn=0101234566', session);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error_code: 2 });
    expect((await lookUp('DoanhNghiep/chiTietDoanhNghiep', session)).status).toBe(400);
  });

  it('shows its own system error for the soap-fault switch and a 401 for expired-token', async () => {
    const { session } = (await logIn()) as { session: string };
    sandbox.faults.set({ kind: 'soap-fault' }, { operation: 'chiTietDoanhNghiep', times: 1 });
    const busy = await lookUp(`DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.activeCompany}`, session);
    expect(busy.status).toBe(500);
    expect(await busy.json()).toMatchObject({ error_code: 99 });
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await lookUp(`DoanhNghiep/chiTietDoanhNghiep?msdn=${wellKnownTaxCodes.activeCompany}`, session)).status).toBe(401);
  });
});
