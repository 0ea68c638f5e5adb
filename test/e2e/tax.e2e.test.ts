import request from 'supertest';
import type { TaxSandbox } from '../../connectors/tax/sandbox/server.js';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import { wellKnownPersonIds } from '../../simulators/kit/people.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// Seeded businesses shared by the tax and business-registry sandboxes (simulators/kit/enterprises.ts).
const unknownButValidTaxCode = '0109999982';

let harness: Harness;
let token: string;
let sandbox: TaxSandbox;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: { connectors: { tax: { resilience: { timeoutMs: 800, breaker: { volumeThreshold: 10_000 } } } } },
  });
  token = await harness.token();
  sandbox = harness.stack.sandboxes.tax as unknown as TaxSandbox;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => sandbox.faults.clear());

const api = () => request(harness.url);
const taxpayerPath = (taxCode: string) => `/api/v1/tax/taxpayers/${taxCode}`;
const obligationsPath = (taxCode: string) => `/api/v1/tax/taxpayers/${taxCode}/obligations`;

describe('GET /api/v1/tax/taxpayers/{taxCode} (embedded stack, SOAP tax sandbox)', () => {
  it('returns status and managing tax office, and audits the access', async () => {
    const response = await api().get(taxpayerPath(wellKnownTaxCodes.activeCompany)).set(personalDataHeaders(token)).set('x-request-id', 'e2e-tax-1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      taxCode: wellKnownTaxCodes.activeCompany,
      name: 'CONG TY TNHH CONG NGHE AN PHAT',
      status: 'active',
      statusDetail: { code: '00' },
      managingTaxOffice: { code: '10100', name: 'Thuế Thành phố Hà Nội' },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/null|""/);
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, wellKnownTaxCodes.activeCompany);
    expect(record).toMatchObject({ requestId: 'e2e-tax-1', operation: 'tax.taxpayer.get', connector: 'tax', outcome: 'success', httpStatus: 200 });
    expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['taxCode', 'status', 'managingTaxOffice']));
  });

  it.each([
    [wellKnownTaxCodes.suspendedCompany, 'suspended'],
    [wellKnownTaxCodes.dissolvedPrivateEnterprise, 'closed'],
    [wellKnownTaxCodes.activeCompanyBranch, 'active'],
  ])('reports %s as %s', async (taxCode, status) => {
    const response = await api().get(taxpayerPath(taxCode)).set(personalDataHeaders(token));
    expect(response.status).toBe(200);
    expect(response.body.status).toBe(status);
  });

  it('answers 404 for a valid tax code nobody holds', async () => {
    const response = await api().get(taxpayerPath(unknownButValidTaxCode)).set(personalDataHeaders(token));
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'tax' });
  });

  it.each([
    ['wrong check digit', '0101234566'],
    ['nine digits', '010123456'],
    ['branch 000', '0101234565-000'],
    ['letters', '01012345AB'],
  ])('refuses an invalid tax code (%s) with 400 naming the field, without asking the upstream', async (caseName, taxCode) => {
    const requestId = `e2e-tax-invalid-${caseName.replace(/\W+/g, '-')}`;
    const response = await api().get(taxpayerPath(taxCode)).set(personalDataHeaders(token)).set('x-request-id', requestId);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(new Set(response.body.errors.map((error: { field: string }) => error.field))).toEqual(new Set(['taxCode']));
    expect(await countByRequestId(harness.stack.gateway.store, requestId)).toBe(0);
  });
});

describe('GET /api/v1/tax/taxpayers/{taxCode}/obligations', () => {
  it('lists outstanding amounts by sub-item with decision number and date', async () => {
    const response = await api().get(obligationsPath(wellKnownTaxCodes.activeCompany)).set(personalDataHeaders(token)).set('x-request-id', 'e2e-tax-obl-1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ taxCode: wellKnownTaxCodes.activeCompany, currency: 'VND', totalOutstanding: 176_784_000 });
    expect(response.body.items).toContainEqual(
      expect.objectContaining({ subItem: { code: '4254', label: 'Phạt vi phạm hành chính về thuế' }, amount: 8_500_000, decisionNumber: '1234/QĐ-XPHC', decisionDate: '2026-05-12' }),
    );
    expect(await countByRequestId(harness.stack.gateway.store, 'e2e-tax-obl-1')).toBe(1);
  });

  it('shows nothing owed for a dissolved enterprise', async () => {
    const response = await api().get(obligationsPath(wellKnownTaxCodes.dissolvedPrivateEnterprise)).set(personalDataHeaders(token));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ totalOutstanding: 0, items: [] });
  });

  it('answers 404 for a valid tax code nobody holds', async () => {
    expect((await api().get(obligationsPath(unknownButValidTaxCode)).set(personalDataHeaders(token))).status).toBe(404);
  });
});

// Since July 2025 an individual's tax code is their personal id, and a household business's its owner's (connectors/tax/README.md).
describe('personal ids as tax codes', () => {
  const an = wellKnownPersonIds.manBornInHanoi1990;
  const anh = wellKnownPersonIds.womanBorn2001WithDiacritics;
  const hoa = wellKnownPersonIds.upperCaseNoDiacritics;
  /** A seeded citizen the tax registry does not hold. */
  const notATaxpayer = wellKnownPersonIds.sparseRecord;
  const used = [an, anh, hoa, notATaxpayer];

  it('finds an individual by personal id, and audits the access under that id next to the population lookups', async () => {
    expect((await api().get(`/api/v1/population/citizens/${an}`).set(personalDataHeaders(token)).set('x-request-id', 'e2e-tax-personal-pop')).status).toBe(200);
    const response = await api().get(taxpayerPath(an)).set(personalDataHeaders(token)).set('x-request-id', 'e2e-tax-personal-1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ taxCode: an, name: 'NGUYEN VAN AN', taxpayerType: { code: '05' }, status: 'active', managingTaxOffice: { code: '10101' } });
    expect(response.body).not.toHaveProperty('representativeName');
    const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, an);
    expect(records.find((record) => record.requestId === 'e2e-tax-personal-1')).toMatchObject({ operation: 'tax.taxpayer.get', connector: 'tax', outcome: 'success', httpStatus: 200 });
    expect(records.find((record) => record.requestId === 'e2e-tax-personal-pop')).toMatchObject({ operation: 'population.citizen.get', outcome: 'success' });
  });

  it("finds a household business by its owner's personal id", async () => {
    const response = await api().get(taxpayerPath(hoa)).set(personalDataHeaders(token));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ taxCode: hoa, name: 'HO KINH DOANH NGUYEN THI HOA', taxpayerType: { code: '03' }, status: 'active', representativeName: 'NGUYEN THI HOA' });
  });

  it("lists an individual's obligations: registration fee and land use tax on notices; income tax; audited under the personal id", async () => {
    const response = await api().get(obligationsPath(anh)).set(personalDataHeaders(token)).set('x-request-id', 'e2e-tax-personal-obl');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ taxCode: anh, currency: 'VND', totalOutstanding: 17_185_000 });
    expect(response.body.items.map((item: { subItem: { code: string } }) => item.subItem.code)).toEqual(['2801', '1602']);
    expect(response.body.items[0]).toMatchObject({ decisionNumber: '2156/TB-CCT', decisionDate: '2026-11-02', budgetChapter: '757' });
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anh);
    expect(record).toMatchObject({ requestId: 'e2e-tax-personal-obl', operation: 'tax.obligation.list', outcome: 'success' });

    const salaried = await api().get(obligationsPath(an)).set(personalDataHeaders(token));
    expect(salaried.body).toMatchObject({ totalOutstanding: 3_250_000, items: [{ subItem: { code: '1001' }, taxPeriod: '2025', dueDate: '2026-04-30' }] });
    const household = await api().get(obligationsPath(hoa)).set(personalDataHeaders(token));
    expect(household.body).toMatchObject({ taxCode: hoa, totalOutstanding: 2_250_000 });
  });

  it('answers 404 for a citizen the tax registry does not hold, by either operation', async () => {
    for (const path of [taxpayerPath(notATaxpayer), obligationsPath(notATaxpayer)]) {
      const response = await api().get(path).set(personalDataHeaders(token));
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 404, code: 'LGSP_SUBJECT_NOT_FOUND' });
      expect(response.text).not.toContain(notATaxpayer);
    }
  });

  it.each([
    ['eleven digits', '00109001234'],
    ['thirteen digits without a dash', '0010900123456'],
    ['a letter', '00109001234x'],
    ['no birth-registration province (000)', '000090012345'],
    ['beyond the old list (097)', '097090012345'],
    ['a branch suffix on a personal id', '001090012345-001'],
  ])('refuses a malformed 12-digit code (%s) with 400 naming taxCode, echoing nothing, asking no upstream', async (caseName, taxCode) => {
    const requestId = `e2e-tax-personal-invalid-${caseName.replace(/\W+/g, '-')}`;
    for (const path of [taxpayerPath(taxCode), obligationsPath(taxCode)]) {
      const response = await api().get(path).set(personalDataHeaders(token)).set('x-request-id', requestId);
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 400, code: 'LGSP_VALIDATION_FAILED' });
      expect(new Set(response.body.errors.map((error: { field: string }) => error.field))).toEqual(new Set(['taxCode']));
      expect(response.text).not.toContain(taxCode);
    }
    expect(await countByRequestId(harness.stack.gateway.store, requestId)).toBe(0);
  });

  it('answers the POST lookup forms with a personal id in the body as the GET forms, audited alike', async () => {
    const viaPost = await api().post('/api/v1/tax/taxpayers/lookup').set(personalDataHeaders(token)).set('x-request-id', 'e2e-tax-personal-post').send({ taxCode: an });
    expect(viaPost.status).toBe(200);
    expect(viaPost.body).toEqual((await api().get(taxpayerPath(an)).set(personalDataHeaders(token))).body);
    const obligations = await api().post('/api/v1/tax/taxpayers/obligations/lookup').set(personalDataHeaders(token)).send({ taxCode: anh });
    expect(obligations.body).toMatchObject({ taxCode: anh, totalOutstanding: 17_185_000 });
    const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, an);
    expect(records.find((record) => record.requestId === 'e2e-tax-personal-post')).toMatchObject({ operation: 'tax.taxpayer.get', outcome: 'success' });
  });

  it('writes no personal id to the logs: access lines name the route pattern', async () => {
    // Lines reach the captured stream as they are written; give the event loop a turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = harness.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.requestId === 'e2e-tax-personal-1' && line.msg === 'request')).toMatchObject({ method: 'GET', route: '/api/v1/tax/taxpayers/{taxCode}', status: 200 });
    expect(lines.find((line) => line.requestId === 'e2e-tax-personal-post' && line.msg === 'request')).toMatchObject({ method: 'POST', route: '/api/v1/tax/taxpayers/lookup', status: 200 });
    const logs = harness.logs.join('');
    for (const id of used) expect(logs).not.toContain(id);
  });
});

describe('tax upstream faults', () => {
  const lookUp = () => api().get(taxpayerPath(wellKnownTaxCodes.activeCompany)).set(personalDataHeaders(token));

  it.each(upstreamFaultCases.map(([fault, status, code]) => [fault, status, code] as const))('%o → %i %s naming the tax connector', async (fault, status, code) => {
    sandbox.faults.set(fault);
    const response = await lookUp();
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, connector: 'tax' });
  });

  it('logs in again once when the token expired, and fails clearly when that does not help', async () => {
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await lookUp()).status).toBe(200);
    sandbox.faults.set({ kind: 'expired-token' });
    expect((await lookUp()).body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'tax' });
  });
});

describe('tax breaker', () => {
  let isolated: Harness;

  beforeAll(async () => {
    isolated = await startHarness({
      store: 'pglite',
      overrides: { connectors: { tax: { resilience: { breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 }, retry: { maxAttempts: 1 } } } } },
    });
  }, 60_000);

  afterAll(async () => {
    await isolated?.close();
  });

  it("opens on the tax upstream's failures only: population keeps answering", async () => {
    const isolatedToken = await isolated.token();
    const taxSandbox = isolated.stack.sandboxes.tax as unknown as TaxSandbox;
    taxSandbox.faults.set({ kind: 'http-500' });
    for (let index = 0; index < 4; index += 1) {
      await request(isolated.url).get(taxpayerPath(wellKnownTaxCodes.activeCompany)).set(personalDataHeaders(isolatedToken));
    }
    expect(isolated.stack.gateway.breakers.state('tax')).toBe('open');
    const refused = await request(isolated.url).get(taxpayerPath(wellKnownTaxCodes.activeCompany)).set(personalDataHeaders(isolatedToken));
    expect(refused.body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector: 'tax' });
    expect(isolated.stack.gateway.breakers.state('population')).toBe('closed');
    expect((await request(isolated.url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(isolatedToken))).status).toBe(200);
  });

  it("does not count the caller's mistakes refused by the upstream against it", async () => {
    // A missing officer cannot reach the upstream through the gateway (X-End-User is required), so this
    // checks the classification the breaker relies on: soap:Client faults are 'rejected'.
    const { classifyTaxFault } = await import('../../connectors/tax/client.js');
    expect(classifyTaxFault({ faultcode: 'soap:Client', detail: { LOI_NGHIEP_VU: { MA_LOI: 'TN-01' } } })).toBe('rejected');
  });
});
