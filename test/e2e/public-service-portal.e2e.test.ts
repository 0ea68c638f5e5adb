import request from 'supertest';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// The procedure catalog: reference data, no X-End-User / X-Purpose, cached by the gateway.
let harness: Harness;
let token: string;
let sandbox: PublicServicePortalSandbox;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      connectors: {
        'public-service-portal': {
          resilience: { timeoutMs: 800, breaker: { volumeThreshold: 10_000 } },
          // Fault cases must reach the upstream every time: no stale answer may cover them here (test/faults/ covers that).
          cache: { 'public-service-portal.procedure.get': { staleIfErrorMs: 0 }, 'public-service-portal.procedure.search': { staleIfErrorMs: 0 } },
        },
      },
    },
  });
  token = await harness.token();
  sandbox = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => sandbox.faults.clear());

const get = (path: string) => request(harness.url).get(`/api/v1/public-service-portal${path}`).set('authorization', `Bearer ${token}`);

describe('GET /api/v1/public-service-portal/procedures/{procedureCode} (JSON services, session in the body + dstcode)', () => {
  it('returns the procedure, then serves it from the cache with Age and without asking the portal again', async () => {
    sandbox.resetCalls();
    const first = await get(`/procedures/${wellKnownProcedureCodes.birthRegistration}`);
    expect(first.status).toBe(200);
    expect(first.headers.age).toBeUndefined();
    expect(first.body).toMatchObject({
      procedureCode: wellKnownProcedureCodes.birthRegistration,
      name: 'Đăng ký khai sinh',
      level: { code: '4', label: 'Cấp Xã' },
      fields: [{ code: 'G06-HT01', label: 'Hộ tịch' }],
      status: { code: '1', inForce: true },
    });
    expect(first.body.channels.map((channel: { channel: string }) => channel.channel)).toEqual(expect.arrayContaining(['in-person', 'online']));

    const second = await get(`/procedures/${wellKnownProcedureCodes.birthRegistration}`);
    expect(second.status).toBe(200);
    expect(second.headers.age).toMatch(/^\d+$/);
    expect(second.headers.warning).toBeUndefined();
    expect(second.body).toEqual(first.body);
    expect(sandbox.calls('LayThuTuc')).toBe(1);
  });

  it('keeps fees as integers of đồng per channel', async () => {
    const response = await get(`/procedures/${wellKnownProcedureCodes.criminalRecordCertificate}`);
    expect(response.status).toBe(200);
    const byChannel = Object.fromEntries(response.body.channels.map((channel: { channel: string; processingTimes: Array<{ fees: Array<{ amount: number }> }> }) => [channel.channel, channel.processingTimes[0]!.fees[0]!.amount]));
    expect(byChannel).toMatchObject({ 'in-person': 200_000, online: 100_000 });
  });

  it('answers 404 for a code nobody published, and never caches that', async () => {
    sandbox.resetCalls();
    for (let i = 0; i < 2; i += 1) {
      const response = await get(`/procedures/${wellKnownProcedureCodes.unknown}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'public-service-portal' });
    }
    expect(sandbox.calls('LayThuTuc')).toBe(2);
  });

  it('refuses a malformed code without asking the portal', async () => {
    sandbox.resetCalls();
    const response = await get('/procedures/khai-sinh');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
    // The procedure service only: the health probe may log in or list fields meanwhile (every probe interval).
    expect(sandbox.calls('LayThuTuc')).toBe(0);
  });
});

describe('GET /api/v1/public-service-portal/procedures (search)', () => {
  it('passes an unaccented keyword through for the portal to match, folding diacritics', async () => {
    const response = await get('/procedures').query({ keyword: 'dang ky khai sinh', pageSize: '100' });
    expect(response.status).toBe(200);
    const names = (response.body.items as Array<{ name: string }>).map((item) => item.name);
    expect(names).toContain('Đăng ký khai sinh');
    for (const name of names) expect(name.toLowerCase()).toContain('khai sinh');
  });

  it('finds procedures by keyword and field, one page at a time', async () => {
    const response = await get('/procedures').query({ keyword: 'khai sinh', fieldCode: 'G06-HT01', page: '1', pageSize: '3' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ page: 1, pageSize: 3 });
    expect(response.body.items).toHaveLength(3);
    expect(response.body.total).toBeGreaterThan(3);
    for (const item of response.body.items) expect(item.fields).toContainEqual({ code: 'G06-HT01', label: 'Hộ tịch' });
  });

  it('filters by agency and answers an empty page as a result', async () => {
    const byAgency = await get('/procedures').query({ agencyCode: '000.00.05.H22', pageSize: '100' });
    expect(byAgency.status).toBe(200);
    expect(byAgency.body.items.length).toBeGreaterThan(10);
    for (const item of byAgency.body.items) expect(item.agencies).toContainEqual({ code: '000.00.05.H22', name: 'Sở Tài chính' });
    const none = await get('/procedures').query({ keyword: 'không có thủ tục này' });
    expect(none.body).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });

  it.each([
    [{ pageSize: '500' }, 'query:pageSize'],
    [{ page: '0' }, 'query:page'],
    [{ agencyCode: 'Sở Tài chính' }, 'query:agencyCode'],
    [{ sort: 'name' }, 'query'],
  ])('refuses %o', async (query, field) => {
    const response = await get('/procedures').query(query);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).join(' ')).toContain(field);
  });
});

describe('GET /api/v1/public-service-portal/agencies and /fields (catalog lists)', () => {
  it('lists the agencies, then serves them from the cache with Age', async () => {
    sandbox.resetCalls();
    const first = await get('/agencies');
    expect(first.status).toBe(200);
    expect(first.body.items).toContainEqual({ code: '000.00.14.H22', name: 'Sở Tư pháp' });
    expect(first.body.items).toContainEqual({ code: '000.00.05.H22', name: 'Sở Tài chính' });
    const second = await get('/agencies');
    expect(second.status).toBe(200);
    expect(second.headers.age).toMatch(/^\d+$/);
    expect(second.body).toEqual(first.body);
    expect(sandbox.calls('LayDanhMucCoQuan')).toBe(1);
  });

  it('lists the fields with their labels, cached the same way; each field code finds procedures', async () => {
    const first = await get('/fields');
    expect(first.status).toBe(200);
    expect(first.body.items).toContainEqual({ code: 'G06-HT01', label: 'Hộ tịch' });
    const second = await get('/fields');
    expect(second.headers.age).toMatch(/^\d+$/);
    expect(second.body).toEqual(first.body);
    const search = await get('/procedures').query({ fieldCode: first.body.items[0].code });
    expect(search.body.total).toBeGreaterThan(0);
  });

  it.each(['/agencies', '/fields'])('%s refuses a query parameter it does not take, without asking the portal', async (path) => {
    sandbox.resetCalls();
    const response = await get(path).query({ keyword: 'tư pháp' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(sandbox.calls('LayDanhMucCoQuan') + sandbox.calls('LayDanhMucLinhVuc')).toBe(0);
  });
});

describe('public-service-portal upstream faults', () => {
  // Each case asks a query nothing has cached, so the fault is what answers.
  it.each(upstreamFaultCases.map(([fault, status, code], index) => [fault, status, code, index] as const))('%o → %i %s naming the connector', async (fault, status, code, index) => {
    sandbox.faults.set(fault);
    const response = await get('/procedures').query({ keyword: `fault case ${index}` });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, connector: 'public-service-portal' });
  });

  it('logs in again once when the session expired, and fails clearly when that does not help', async () => {
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await get('/procedures').query({ keyword: 'kết hôn' })).status).toBe(200);
    sandbox.faults.set({ kind: 'expired-token' });
    expect((await get('/procedures').query({ keyword: 'giám hộ' })).body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'public-service-portal' });
  });
});

describe('OpenAPI', () => {
  it('documents both catalog operations as reference data with the cache headers, and 404 for the lookup only', async () => {
    const { body } = await request(harness.url).get('/api/v1/openapi.json');
    const lookup = body.paths['/api/v1/public-service-portal/procedures/{procedureCode}'].get;
    const search = body.paths['/api/v1/public-service-portal/procedures'].get;
    expect(lookup['x-personal-data']).toBe(false);
    expect(Object.keys(lookup.responses[200].headers)).toEqual(expect.arrayContaining(['Age', 'Warning']));
    expect(Object.keys(search.responses[200].headers)).toEqual(expect.arrayContaining(['Age', 'Warning']));
    expect(lookup.responses).toHaveProperty('404');
    expect(search.responses).not.toHaveProperty('404');
    expect(search.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['keyword', 'fieldCode', 'agencyCode', 'page', 'pageSize']));
  });

  it('documents the agency and field lists as cached reference data', async () => {
    const { body } = await request(harness.url).get('/api/v1/openapi.json');
    for (const path of ['/api/v1/public-service-portal/agencies', '/api/v1/public-service-portal/fields']) {
      const operation = body.paths[path].get;
      expect(operation['x-personal-data']).toBe(false);
      expect(Object.keys(operation.responses[200].headers)).toEqual(expect.arrayContaining(['Age', 'Warning']));
    }
  });
});
