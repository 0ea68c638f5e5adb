import request from 'supertest';
import { useCatalogsHarness } from '../support/catalogs-harness.js';

// The common catalogs through the whole embedded stack: a bearer token and a grant, nothing else (no X-End-User,
// no X-Purpose). The portal's two catalogs come through the portal connector and its sandbox.
const refreshMs = 1000;
const catalogs = useCatalogsHarness({ refreshMs, snapshotFile: 'src/catalogs/test-support/portal-snapshot.json' });
const get = (path: string) => catalogs.get(path);
const waitForRefreshInterval = () => new Promise((resolve) => setTimeout(resolve, refreshMs + 50));

// First, while nothing has asked the portal yet: a start with the portal down answers from the shipped snapshot.
describe('the portal catalogs with the portal down since start', () => {
  it.each([
    ['/public-service-portal/agencies', { code: '000.00.14.H22', name: 'Sở Tư pháp' }],
    ['/public-service-portal/fields', { code: 'G06-HT01', label: 'Hộ tịch' }],
  ])('%s answers from the snapshot', async (path, entry) => {
    catalogs.portal.faults.set({ kind: 'http-500' });
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.body.source).toEqual({ kind: 'snapshot', asOf: '2026-11-30T01:00:00.000Z' });
    expect(response.body.items).toContainEqual(entry);
  });
});

describe('the portal catalogs with the portal up, then failing', () => {
  it('answers the portal\'s list once the portal answers again, then the last good copy while it fails', async () => {
    await waitForRefreshInterval();
    const fresh = await get('/public-service-portal/agencies');
    expect(fresh.status).toBe(200);
    expect(fresh.body.source.kind).toBe('portal');
    expect(fresh.body.total).toBeGreaterThan(2);
    expect(fresh.body.items).toContainEqual({ code: '000.00.05.H22', name: 'Sở Tài chính' });

    catalogs.portal.faults.set({ kind: 'http-500' });
    await waitForRefreshInterval();
    const down = await get('/public-service-portal/agencies');
    expect(down.status).toBe(200);
    expect(down.body.source).toEqual({ kind: 'last-good-copy', asOf: fresh.body.source.asOf });
    expect(down.body.total).toBe(fresh.body.total);
    const metrics = await request(catalogs.harness.opsUrl).get('/metrics');
    expect(metrics.text).toMatch(/lgsp_catalog_portal_answers_total\{catalog="agencies",source="last-good-copy"\} [1-9]/);
    expect(metrics.text).toMatch(/lgsp_catalog_portal_answers_total\{catalog="agencies",source="snapshot"\} [1-9]/);
  });

  it('searches the portal\'s field list by label, ignoring case and diacritics', async () => {
    await waitForRefreshInterval();
    const response = await get('/public-service-portal/fields').query({ name: 'HO TICH' });
    expect(response.status).toBe(200);
    expect(response.body.source.kind).toBe('portal');
    expect(response.body.items).toContainEqual({ code: 'G06-HT01', label: 'Hộ tịch' });
  });
});

describe('the shipped catalogs', () => {
  it('holds the 34 provinces and 3,321 communes of 2025', async () => {
    const provinces = await get('/administrative-units').query({ level: 'province', pageSize: '100' });
    expect(provinces.status).toBe(200);
    expect(provinces.body.total).toBe(34);
    const communes = await get('/administrative-units').query({ level: 'commune', pageSize: '1' });
    expect(communes.body.total).toBe(3321);
  });

  it('finds a province by name ignoring case and diacritics, and its communes by parent, page by page', async () => {
    const found = await get('/administrative-units').query({ name: 'THANH PHO HO CHI MINH', level: 'province' });
    expect(found.body.items).toEqual([{ code: '79', name: 'Thành phố Hồ Chí Minh', level: 'province' }]);
    const first = await get('/administrative-units').query({ parentCode: '01', pageSize: '10' });
    const second = await get('/administrative-units').query({ parentCode: '01', pageSize: '10', page: '2' });
    expect(first.body).toMatchObject({ page: 1, pageSize: 10 });
    expect(second.body).toMatchObject({ page: 2, pageSize: 10, total: first.body.total });
    expect(first.body.total).toBeGreaterThan(20);
    expect(second.body.items).toHaveLength(10);
    const codes = [...first.body.items, ...second.body.items].map((unit: { code: string }) => unit.code);
    expect(new Set(codes).size).toBe(20);
    expect([...first.body.items, ...second.body.items].every((unit: { parentCode: string }) => unit.parentCode === '01')).toBe(true);
  });

  it('gives the pre-2025 units with what they became, and the old units a 2025 unit was made from', async () => {
    const provinces = await get('/administrative-units/pre-2025').query({ level: 'province', pageSize: '100' });
    expect(provinces.body.total).toBe(63);
    const haGiang = await get('/administrative-units/pre-2025').query({ code: '02' });
    expect(haGiang.body.items).toEqual([{ code: '02', name: 'Tỉnh Hà Giang', level: 'province', provinceCode: '02', successors: [{ code: '08', level: 'province' }] }]);
    const truocBach = await get('/administrative-units/pre-2025').query({ code: '00004' });
    expect(truocBach.body.items[0]).toMatchObject({ name: 'Phường Trúc Bạch', level: 'ward', parentCode: '001', successors: [{ code: '00004', level: 'commune', whole: true }] });
    const madeFrom = await get('/administrative-units/pre-2025').query({ successorCode: '00004', level: 'ward', pageSize: '100' });
    expect(madeFrom.body.items.map((unit: { name: string }) => unit.name)).toEqual(expect.arrayContaining(['Phường Trúc Bạch', 'Phường Quán Thánh']));
  });

  it('serves ethnicities, religions and nationalities by code and by name', async () => {
    const kinh = await get('/ethnicities').query({ code: '01' });
    expect(kinh.body.items[0]).toMatchObject({ code: '01', name: 'Kinh' });
    const byOtherName = await get('/ethnicities').query({ name: 'TAY DAM' });
    expect(byOtherName.body.items.map((group: { code: string }) => group.code)).toEqual(['03']);
    const religions = await get('/religions').query({ pageSize: '100' });
    expect(religions.body.total).toBe(14);
    const caoDai = await get('/religions').query({ name: 'tay ninh' });
    expect(caoDai.body.items.map((religion: { code: string }) => religion.code)).toEqual(['05']);
    const vietnam = await get('/nationalities').query({ code: 'VNM' });
    expect(vietnam.body.items).toEqual([{ code: 'VN', alpha3: 'VNM', numeric: '704', name: 'Việt Nam', nameEn: 'Vietnam' }]);
    const korea = await get('/nationalities').query({ name: 'han quoc' });
    expect(korea.body.items.map((country: { code: string }) => country.code)).toEqual(['KR']);
  });
});

describe('conditional requests and caching headers', () => {
  it('answers with an ETag and Cache-Control, and 304 without a body when If-None-Match names it', async () => {
    const first = await get('/ethnicities');
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, max-age=3600');
    const again = await get('/ethnicities').set('if-none-match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    const weak = await get('/ethnicities').set('if-none-match', `"other", W/${first.headers.etag}`);
    expect(weak.status).toBe(304);
    const otherPage = await get('/ethnicities').query({ pageSize: '5' }).set('if-none-match', first.headers.etag!);
    expect(otherPage.status).toBe(200);
    expect(otherPage.headers.etag).not.toBe(first.headers.etag);
  });
});

describe('who may read the catalogs', () => {
  it('refuses a caller without a token: 401 problem', async () => {
    const response = await request(catalogs.harness.url).get('/api/v1/catalogs/religions');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('LGSP_TOKEN_MISSING');
  });

  it('refuses a parameter outside the contract: 400 naming it', async () => {
    const response = await get('/administrative-units').query({ pageSize: '0', colour: 'blue' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
  });

  it('documents every catalog in the OpenAPI document', async () => {
    const response = await request(catalogs.harness.url).get('/api/v1/openapi.json').set('authorization', `Bearer ${await catalogs.harness.token()}`);
    const paths = Object.keys(response.body.paths).filter((path) => path.startsWith('/api/v1/catalogs/'));
    expect(paths.sort()).toEqual(
      [
        '/api/v1/catalogs/administrative-units',
        '/api/v1/catalogs/administrative-units/pre-2025',
        '/api/v1/catalogs/ethnicities',
        '/api/v1/catalogs/nationalities',
        '/api/v1/catalogs/public-service-portal/agencies',
        '/api/v1/catalogs/public-service-portal/fields',
        '/api/v1/catalogs/religions',
      ].sort(),
    );
    const ethnicities = response.body.paths['/api/v1/catalogs/ethnicities'].get;
    expect(ethnicities.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['code', 'name', 'page', 'pageSize', 'If-None-Match']));
    expect(ethnicities.parameters.map((parameter: { name: string }) => parameter.name)).not.toContain('X-Purpose');
    expect(Object.keys(ethnicities.responses[200].headers)).toEqual(expect.arrayContaining(['ETag', 'Cache-Control']));
    expect(ethnicities.responses[304]).toBeDefined();
  });
});

// Last: it removes a grant.
describe('deny by default', () => {
  it('refuses a consumer without a grant for that catalog (403), and the other catalogs stay readable', async () => {
    const { admin } = await catalogs.harness.staffTokens();
    const grants = await request(catalogs.harness.url).get('/admin/v1/grants').query({ consumerId: 'one-stop' }).set('authorization', `Bearer ${admin}`);
    const religionGrant = grants.body.items.find((grant: { operation: string }) => grant.operation === 'catalogs.religion.search');
    expect(religionGrant).toMatchObject({ consumerId: 'one-stop' });
    expect(religionGrant.purposes).toBeUndefined();
    const removed = await request(catalogs.harness.url).delete(`/admin/v1/grants/${religionGrant.id}`).set('authorization', `Bearer ${admin}`);
    expect(removed.status).toBe(204);
    const refused = await get('/religions');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('LGSP_OPERATION_NOT_GRANTED');
    expect((await get('/ethnicities')).status).toBe(200);
  });
});
