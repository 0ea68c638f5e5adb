import { createSessionDstcodeAuth } from '../../../src/connector-kit/upstream-auth/session-dstcode.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createPublicServicePortalClient } from '../client.js';
import { seededCatalog, wellKnownProcedureCodes } from './seed.js';
import { publicServicePortalSandboxDevCredentials, startPublicServicePortalSandbox, type PublicServicePortalSandbox } from './server.js';

// A clock the sandbox's sessions live by, so expiry needs no waiting.
let clock = Date.now();
let sandbox: PublicServicePortalSandbox;
const { username, password, dstcode } = publicServicePortalSandboxDevCredentials;

beforeAll(async () => {
  sandbox = await startPublicServicePortalSandbox({ sessionTtlSeconds: 60, now: () => clock });
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => sandbox.faults.clear());

async function logIn(code = dstcode): Promise<Record<string, unknown>> {
  const response = await fetch(sandbox.loginUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: code }, body: JSON.stringify({ username, password }) });
  return (await response.json()) as Record<string, unknown>;
}

async function call(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(sandbox.serviceUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode }, body: JSON.stringify({ madonvi: '000.00.00.H22', ...body }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('public-service-portal sandbox', () => {
  it('seeds a deterministic catalog of a few hundred procedures with unique, well-formed codes', () => {
    const catalog = seededCatalog();
    expect(catalog.length).toBeGreaterThan(150);
    const codes = catalog.map((procedure) => String(procedure.MATTHC));
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[12]\.[0-9]{6}\.000\.00\.00\.[A-Z0-9]{3}$/);
    expect([...new Set(catalog.map((procedure) => procedure.LINHVUCTHUCHIEN?.[0]?.TENLINHVUC))]).toEqual(expect.arrayContaining(['Hộ tịch', 'Đất đai', 'Thành lập và hoạt động của doanh nghiệp']));
  });

  it('logs in with dstcode and answers each service in the envelope, session in the body', async () => {
    expect(await logIn('VN:GOV:OTHER')).toMatchObject({ error_code: 2 });
    const { session } = (await logIn()) as { session: string };
    const found = await call({ session, service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.birthRegistration });
    expect(found).toMatchObject({ status: 200, body: { error_code: 0, result: [{ MATTHC: wellKnownProcedureCodes.birthRegistration, TENTTHC: 'Đăng ký khai sinh' }] } });
    expect((await call({ session, service: 'LayDanhMucLinhVuc' })).body.result).toContainEqual({ MALINHVUC: 'G06-HT01', TENLINHVUC: 'Hộ tịch' });
    expect((await call({ session, service: 'NoSuchService' })).body).toMatchObject({ error_code: 4 });
  });

  it('refuses a missing, unknown or expired session with error_code 401 (HTTP 200)', async () => {
    expect(await call({ service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.birthRegistration })).toMatchObject({ status: 200, body: { error_code: 401 } });
    const { session } = (await logIn()) as { session: string };
    clock += 61_000;
    expect((await call({ session, service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.birthRegistration })).body).toMatchObject({ error_code: 401 });
  });

  it('the client logs in again when the adapter drops its session, and counts show it', async () => {
    const auth = createSessionDstcodeAuth({ loginUrl: sandbox.loginUrl, credentials: { username, password, dstcode } });
    const client = await createPublicServicePortalClient({ baseUrl: sandbox.baseUrl, settings: { unitCode: '000.00.00.H22' }, auth, transport: { connectTimeoutMs: 2000 }, logger: createLogger({ level: 'silent' }) });
    const context = { signal: AbortSignal.timeout(5000), requestId: 'r', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    try {
      expect(await client.procedure(wellKnownProcedureCodes.criminalRecordCertificate, context)).toMatchObject({ error_code: 0 });
      clock += 61_000; // the sandbox forgets the session; the client still holds it
      sandbox.resetCalls();
      expect(await client.procedure(wellKnownProcedureCodes.criminalRecordCertificate, context)).toMatchObject({ error_code: 0, result: [{ TENTTHC: expect.stringContaining('lý lịch tư pháp') }] });
      expect(sandbox.calls('LayThuTuc')).toBe(2); // refused once, answered after the new login
    } finally {
      await client.close();
    }
  });

  it('plays the shared faults by service name', async () => {
    const { session } = (await logIn()) as { session: string };
    sandbox.faults.set({ kind: 'soap-fault' }, { operation: 'LayDanhSachTTHC', times: 1 });
    expect((await call({ session, service: 'LayThuTuc', maTTHC: wellKnownProcedureCodes.birthRegistration })).body).toMatchObject({ error_code: 0 });
    expect((await call({ session, service: 'LayDanhSachTTHC' })).body).toMatchObject({ error_code: -1 });
    expect((await call({ session, service: 'LayDanhSachTTHC' })).body).toMatchObject({ error_code: 0 });
    sandbox.faults.set({ kind: 'http-500' });
    const proxyError = await fetch(sandbox.serviceUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode }, body: JSON.stringify({ session, service: 'LayThuTuc' }) });
    expect(proxyError.status).toBe(500);
    expect(await proxyError.text()).toContain('500 Internal Server Error');
  });
});
