import request from 'supertest';
import type { SocialInsuranceSandbox } from '../../connectors/social-insurance/sandbox/server.js';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// Seeded records of the social-insurance sandbox (connectors/social-insurance/sandbox/seed.ts).
const anCode = '0123456789';
const anPersonalId = '001090012345';
const notParticipatingPersonalId = '092205000321';
const unknownCode = '0100000000';
const participants = '/api/v1/social-insurance/participants';

describe('social-insurance operations through the gateway (embedded stack: PGlite, dev IdP, SOAP sandbox)', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({ store: 'pglite' });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const api = () => request(harness.url);

  describe('GET /social-insurance/participants/{socialInsuranceCode}', () => {
    it('returns the participant and audits the access under the code', async () => {
      const response = await api().get(`${participants}/${anCode}`).set(personalDataHeaders(token)).set('x-request-id', 'e2e-si-get-1');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        socialInsuranceCode: anCode,
        personalId: anPersonalId,
        fullName: 'NGUYỄN VĂN AN',
        participationStatus: { code: '01', label: 'Đang tham gia BHXH bắt buộc' },
        healthInsuranceCard: { cardNumber: `DN401${anCode}`, validFrom: '2025-01-01', validTo: '2025-12-31', initialCareFacility: { code: '01009' } },
        contributions: { monthsContributed: 142, employer: { taxCode: '0101234565' }, lastContributionPeriod: '2025-06' },
        updatedAt: '2025-06-28T09:15:12+07:00',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/null|""/);

      const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anCode);
      expect(record).toMatchObject({
        requestId: 'e2e-si-get-1',
        consumer: 'one-stop',
        endUser: 'officer01',
        operation: 'social-insurance.participant.get',
        connector: 'social-insurance',
        outcome: 'success',
        httpStatus: 200,
      });
      expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['socialInsuranceCode', 'healthInsuranceCard', 'contributions']));
    });

    it('answers 404 for a well-formed code with no record, and audits the query', async () => {
      const response = await api().get(`${participants}/${unknownCode}`).set(personalDataHeaders(token)).set('x-request-id', 'e2e-si-missing');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'social-insurance' });
      expect(await countByRequestId(harness.stack.gateway.store, 'e2e-si-missing')).toBe(1);
    });

    it.each([['9 digits', '012345678'], ['11 digits', '01234567890'], ['letters', '01234567AB']])(
      'rejects a malformed code (%s) with 400 naming the field, without asking the upstream',
      async (caseName, code) => {
        const requestId = `e2e-si-invalid-${caseName.replace(/\W+/g, '-')}`;
        const response = await api().get(`${participants}/${code}`).set(personalDataHeaders(token)).set('x-request-id', requestId);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', errors: [{ field: 'socialInsuranceCode' }] });
        expect(await countByRequestId(harness.stack.gateway.store, requestId)).toBe(0);
      },
    );

    it('requires X-End-User and X-Purpose: social-insurance records are personal data', async () => {
      const { 'x-purpose': _purpose, ...noPurpose } = personalDataHeaders(token);
      expect((await api().get(`${participants}/${anCode}`).set(noPurpose)).body.code).toBe('LGSP_PURPOSE_REQUIRED');
    });
  });

  describe('GET /social-insurance/participants?personalId=', () => {
    it('finds the record by personal id and audits under the personal id', async () => {
      const response = await api().get(participants).query({ personalId: anPersonalId }).set(personalDataHeaders(token)).set('x-request-id', 'e2e-si-find-1');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ socialInsuranceCode: anCode, personalId: anPersonalId });
      const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anPersonalId, { limit: 1 });
      expect(record).toMatchObject({ requestId: 'e2e-si-find-1', operation: 'social-insurance.participant.find', subjectMasked: '001*******45', outcome: 'success' });
    });

    it('returns a minor\'s pupil card and a pensioner\'s legacy record as recorded', async () => {
      const pupil = await api().get(participants).query({ personalId: '048312004567' }).set(personalDataHeaders(token));
      expect(pupil.status).toBe(200);
      expect(pupil.body).toMatchObject({ participationStatus: { code: '06' }, healthInsuranceCard: { beneficiaryCategory: { code: 'HS' } } });
      expect(pupil.body).not.toHaveProperty('contributions');
      const pensioner = await api().get(participants).query({ personalId: '038038000123' }).set(personalDataHeaders(token));
      expect(pensioner.body).toMatchObject({ fullName: 'LE VAN BAY', dateOfBirth: '1938', participationStatus: { code: '05' } });
    });

    it('answers 404 for a citizen who does not participate', async () => {
      const response = await api().get(participants).query({ personalId: notParticipatingPersonalId }).set(personalDataHeaders(token));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('LGSP_SUBJECT_NOT_FOUND');
    });

    it('validates the query: personal id format, presence, unknown and repeated parameters', async () => {
      const malformed = await api().get(participants).query({ personalId: '12345' }).set(personalDataHeaders(token));
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ code: 'LGSP_INVALID_PERSONAL_ID', errors: expect.arrayContaining([expect.objectContaining({ field: 'query:personalId' })]) });
      const missing = await api().get(participants).set(personalDataHeaders(token));
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'query:personalId', message: expect.stringContaining('required') })]);
      const unknown = await api().get(participants).query({ personalId: anPersonalId, name: 'x' }).set(personalDataHeaders(token));
      expect(unknown.status).toBe(400);
      const repeated = await api().get(`${participants}?personalId=${anPersonalId}&personalId=${anPersonalId}`).set(personalDataHeaders(token));
      expect(repeated.status).toBe(400);
    });
  });

  it('documents both operations in OpenAPI, with the query parameter and an example', async () => {
    const openapi = (await api().get('/api/v1/openapi.json')).body;
    expect(openapi.paths[`${participants}/{socialInsuranceCode}`].get.operationId).toBe('social-insurance.participant.get');
    const find = openapi.paths[participants].get;
    expect(find.operationId).toBe('social-insurance.participant.find');
    expect(find.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'personalId', in: 'query', required: true })]));
    expect(JSON.stringify(openapi)).toContain('"socialInsuranceCode":"0123456789"');
  });

  it('never writes a personal id, a social insurance code or a name to the logs', async () => {
    const logs = harness.logs.join('');
    for (const secret of [anCode, anPersonalId, notParticipatingPersonalId, 'NGUYỄN VĂN AN', 'LE VAN BAY', 'dev-only-social-insurance-client-secret']) {
      expect(logs).not.toContain(secret);
    }
  });
});

const timeoutMs = 600;

async function startFaultHarness(breaker: Record<string, number>): Promise<{ harness: Harness; token: string; sandbox: SocialInsuranceSandbox }> {
  // On the production store path (real PostgreSQL, a schema of its own).
  const harness = await startHarness({ store: 'pg', overrides: { connectors: { 'social-insurance': { resilience: { timeoutMs, breaker, retry: { maxAttempts: 1 } } } } } });
  return { harness, token: await harness.token(), sandbox: harness.stack.sandboxes['social-insurance'] as unknown as SocialInsuranceSandbox };
}

describe('social-insurance upstream faults map to the right problem (breaker kept closed)', () => {
  let harness: Harness;
  let token: string;
  let sandbox: SocialInsuranceSandbox;

  beforeAll(async () => {
    ({ harness, token, sandbox } = await startFaultHarness({ volumeThreshold: 10_000 }));
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => sandbox.faults.clear());

  const lookUp = () => request(harness.url).get(`${participants}/${anCode}`).set(personalDataHeaders(token));

  it.each(upstreamFaultCases.map(([fault, status, code]) => [fault, status, code] as const))('%o → %i %s naming the social-insurance connector', async (fault, status, code) => {
    sandbox.faults.set(fault);
    const response = await lookUp();
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code, connector: 'social-insurance' });
  });

  it('audits the failed attempt without releasing anything', async () => {
    sandbox.faults.set({ kind: 'soap-fault' });
    expect((await lookUp().set('x-request-id', 'e2e-si-fault-audit')).status).toBe(502);
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anCode, { limit: 1 });
    expect(record).toMatchObject({ requestId: 'e2e-si-fault-audit', outcome: 'upstream_error', httpStatus: 502, fieldsReleased: [] });
  });

  it('logs in again once when the upstream says the token expired, and gives up clearly when that does not help', async () => {
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await lookUp()).status).toBe(200);
    sandbox.faults.set({ kind: 'expired-token' });
    expect((await lookUp()).body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'social-insurance' });
  });
});

describe('social-insurance breaker', () => {
  let harness: Harness;
  let token: string;
  let sandbox: SocialInsuranceSandbox;
  const resetTimeoutMs = 1_500;

  beforeAll(async () => {
    ({ harness, token, sandbox } = await startFaultHarness({ volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs, rollingWindowMs: 10_000 }));
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const lookUp = () => request(harness.url).get(`${participants}/${anCode}`).set(personalDataHeaders(token));

  it('opens only its own breaker: population keeps answering', async () => {
    sandbox.faults.set({ kind: 'http-500' });
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await lookUp()).status).toBe(502);
    const response = await lookUp();
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector: 'social-insurance' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(harness.stack.gateway.breakers.state('social-insurance')).toBe('open');

    const population = await request(harness.url).get(`/api/v1/population/citizens/${anPersonalId}`).set(personalDataHeaders(token));
    expect(population.status).toBe(200);
    expect(harness.stack.gateway.breakers.state('population')).toBe('closed');
    const ready = await request(harness.opsUrl).get('/readyz');
    expect(ready.body.detail.upstreams['social-insurance'].breaker).toBe('open');
  });

  it('closes again after a successful trial call once the reset timeout has passed', async () => {
    sandbox.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, resetTimeoutMs + 200));
    expect((await lookUp()).status).toBe(200);
    expect(harness.stack.gateway.breakers.state('social-insurance')).toBe('closed');
  });
});
