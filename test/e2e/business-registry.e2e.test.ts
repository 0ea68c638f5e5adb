import request from 'supertest';
import type { BusinessRegistrySandbox } from '../../connectors/business-registry/sandbox/server.js';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// Seeded businesses shared by the business-registry and tax sandboxes (simulators/kit/enterprises.ts).
let harness: Harness;
let token: string;
let sandbox: BusinessRegistrySandbox;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: { connectors: { 'business-registry': { resilience: { timeoutMs: 800, breaker: { volumeThreshold: 10_000 } } } } },
  });
  token = await harness.token();
  sandbox = harness.stack.sandboxes['business-registry'] as unknown as BusinessRegistrySandbox;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => sandbox.faults.clear());

const enterprisePath = (code: string) => `/api/v1/business-registry/enterprises/${code}`;
const lookUp = (code: string) => request(harness.url).get(enterprisePath(code)).set(personalDataHeaders(token));

describe('GET /api/v1/business-registry/enterprises/{enterpriseCode} (REST proxy sandbox, session login + dstcode)', () => {
  it('returns an enterprise with its legal representative, and audits the access', async () => {
    const response = await lookUp(wellKnownTaxCodes.activeCompany).set('x-request-id', 'e2e-br-1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      enterpriseCode: wellKnownTaxCodes.activeCompany,
      kind: 'enterprise',
      name: 'CÔNG TY TNHH CÔNG NGHỆ AN PHÁT',
      legalStatus: { code: '01' },
      legalRepresentatives: [{ fullName: 'NGUYỄN VĂN AN', idDocument: { number: '001090012345' } }],
    });
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, wellKnownTaxCodes.activeCompany);
    expect(record).toMatchObject({ requestId: 'e2e-br-1', operation: 'business-registry.enterprise.get', connector: 'business-registry', outcome: 'success' });
  });

  it.each([
    [wellKnownTaxCodes.activeCompanyBranch, 'branch'],
    [wellKnownTaxCodes.cooperative, 'cooperative'],
    [wellKnownTaxCodes.householdBusiness, 'household-business'],
  ])('finds %s in the right register (%s)', async (code, kind) => {
    const response = await lookUp(code);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ enterpriseCode: code, kind });
  });

  it('tells the same story as the tax connector: suspended here, suspended there; dissolved here, closed there', async () => {
    const suspended = await lookUp(wellKnownTaxCodes.suspendedCompany);
    expect(suspended.body.legalStatus).toMatchObject({ code: '02', suspendedFrom: '2026-03-01', suspendedUntil: '2027-02-28' });
    expect((await request(harness.url).get(`/api/v1/tax/taxpayers/${wellKnownTaxCodes.suspendedCompany}`).set(personalDataHeaders(token))).body.status).toBe('suspended');
    expect((await lookUp(wellKnownTaxCodes.dissolvedPrivateEnterprise)).body.legalStatus.label).toBe('Đã giải thể');
    expect((await request(harness.url).get(`/api/v1/tax/taxpayers/${wellKnownTaxCodes.dissolvedPrivateEnterprise}`).set(personalDataHeaders(token))).body.status).toBe('closed');
  });

  it('answers 404 when no register holds a valid code', async () => {
    const response = await lookUp('0109999982');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'business-registry' });
  });

  it('refuses a code whose check digit is wrong, without asking the upstream', async () => {
    const response = await lookUp('0101234566').set('x-request-id', 'e2e-br-invalid');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('enterpriseCode');
    expect(await countByRequestId(harness.stack.gateway.store, 'e2e-br-invalid')).toBe(0);
  });
});

describe('business-registry upstream faults', () => {
  it.each(upstreamFaultCases.map(([fault, status, code]) => [fault, status, code] as const))('%o → %i %s naming the business-registry connector', async (fault, status, code) => {
    sandbox.faults.set(fault);
    const response = await lookUp(wellKnownTaxCodes.activeCompany);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, connector: 'business-registry' });
  });

  it('logs in again once when the session expired, and fails clearly when that does not help', async () => {
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await lookUp(wellKnownTaxCodes.activeCompany)).status).toBe(200);
    sandbox.faults.set({ kind: 'expired-token' });
    expect((await lookUp(wellKnownTaxCodes.activeCompany)).body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'business-registry' });
  });
});
