import request from 'supertest';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// Seeded citizens of the population sandbox (simulators/kit/people.ts).
const anCitizenId = '001090012345';
const yearOnlyCitizenId = '038038000123';
const unknownButWellFormedId = '001099999999';

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

describe('GET /api/v1/population/citizens/{personalId} (embedded stack: PGlite, dev IdP, SOAP sandbox)', () => {
  it('returns the normalized citizen record and audits the access', async () => {
    const response = await api().get(`/api/v1/population/citizens/${anCitizenId}`).set(personalDataHeaders(token)).set('x-request-id', 'e2e-found-1');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('e2e-found-1');
    expect(response.body).toMatchObject({
      personalId: anCitizenId,
      dateOfBirth: expect.stringMatching(/^1990(-\d{2}(-\d{2})?)?$/),
      sex: { code: '1', label: 'Nam' },
    });
    expect(response.body.fullName).toEqual(expect.any(String));
    // Absent, never null.
    expect(JSON.stringify(response.body)).not.toContain('null');

    expect(await countByRequestId(harness.stack.gateway.store, 'e2e-found-1')).toBe(1);
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anCitizenId);
    expect(record).toMatchObject({
      requestId: 'e2e-found-1',
      consumer: 'one-stop',
      endUser: 'officer01',
      purpose: '000.00.01.H22-261123-0001',
      operation: 'population.citizen.get',
      connector: 'population',
      outcome: 'success',
      httpStatus: 200,
      subjectMasked: '001*******45',
    });
    expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['personalId', 'fullName', 'dateOfBirth']));
    expect(record!.subjectHash).not.toContain(anCitizenId);
  });

  it('keeps a partial birth date partial', async () => {
    const response = await api().get(`/api/v1/population/citizens/${yearOnlyCitizenId}`).set(personalDataHeaders(token));
    expect(response.status).toBe(200);
    expect(response.body.dateOfBirth).toMatch(/^\d{4}$/);
  });

  it('answers 404 problem for a well-formed id the database does not hold, and audits the query', async () => {
    const response = await api().get(`/api/v1/population/citizens/${unknownButWellFormedId}`).set(personalDataHeaders(token)).set('x-request-id', 'e2e-missing-1');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 404, code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'population', requestId: 'e2e-missing-1' });
    expect(await countByRequestId(harness.stack.gateway.store, 'e2e-missing-1')).toBe(1);
  });

  it.each([
    ['too short', '00109001234'],
    ['too long', '0010900123456'],
    ['letters', '00109001234A'],
    ['province code 000', '000090012345'],
    ['province code above 096', '097090012345'],
  ])('rejects an invalid id (%s) with 400 naming the field, without asking the upstream', async (caseName, id) => {
    const requestId = `e2e-invalid-${caseName.replace(/\W+/g, '-')}`;
    const response = await api().get(`/api/v1/population/citizens/${id}`).set(personalDataHeaders(token)).set('x-request-id', requestId);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('LGSP_INVALID_PERSONAL_ID');
    expect(response.body.errors[0].field).toBe('personalId');
    expect(await countByRequestId(harness.stack.gateway.store, requestId)).toBe(0);
  });

  it('requires X-Purpose (400) and X-End-User (400) on personal-data calls', async () => {
    const { 'x-purpose': _purpose, ...noPurpose } = personalDataHeaders(token);
    const missingPurpose = await api().get(`/api/v1/population/citizens/${anCitizenId}`).set(noPurpose);
    expect(missingPurpose.status).toBe(400);
    expect(missingPurpose.body).toMatchObject({ code: 'LGSP_PURPOSE_REQUIRED', errors: [{ field: 'header:X-Purpose' }] });

    const { 'x-end-user': _endUser, ...noEndUser } = personalDataHeaders(token);
    const missingEndUser = await api().get(`/api/v1/population/citizens/${anCitizenId}`).set(noEndUser);
    expect(missingEndUser.status).toBe(400);
    expect(missingEndUser.body.code).toBe('LGSP_END_USER_REQUIRED');
  });
});

describe('POST /api/v1/population/citizens/verify', () => {
  async function citizen(id: string) {
    return (await api().get(`/api/v1/population/citizens/${id}`).set(personalDataHeaders(token))).body as { fullName: string; dateOfBirth: string };
  }

  it('reports per-field matches only', async () => {
    const { fullName, dateOfBirth } = await citizen(anCitizenId);
    const response = await api()
      .post('/api/v1/population/citizens/verify')
      .set(personalDataHeaders(token))
      .send({ personalId: anCitizenId, fullName: fullName.toUpperCase(), dateOfBirth });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ exists: true, allMatch: true, basis: 'per-field', matches: { fullName: true, dateOfBirth: true } });
  });

  it('reports a mismatch per field', async () => {
    const { dateOfBirth } = await citizen(anCitizenId);
    const response = await api()
      .post('/api/v1/population/citizens/verify')
      .set(personalDataHeaders(token))
      .set('x-request-id', 'e2e-verify-mismatch')
      .send({ personalId: anCitizenId, fullName: 'Trần Thị Không Khớp', dateOfBirth });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ exists: true, allMatch: false, basis: 'per-field', matches: { fullName: false, dateOfBirth: true } });
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anCitizenId, { limit: 1 });
    expect(record).toMatchObject({ requestId: 'e2e-verify-mismatch', operation: 'population.citizen.verify', fieldsReleased: ['exists', 'allMatch', 'basis', 'matches.fullName', 'matches.dateOfBirth'] });
  });

  it('says exists: false for an unknown id', async () => {
    const response = await api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).send({ personalId: unknownButWellFormedId, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-05-12' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ exists: false, allMatch: false, basis: 'combined', matches: { fullName: false, dateOfBirth: false } });
  });

  it('validates the body against the contract', async () => {
    const noName = await api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).send({ personalId: anCitizenId, dateOfBirth: '1990' });
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', errors: [{ field: 'fullName', message: expect.stringContaining('required') }] });

    const badId = await api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).send({ personalId: '12', fullName: 'A', dateOfBirth: '1990' });
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('LGSP_INVALID_PERSONAL_ID');
    expect(badId.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['personalId']));

    const unknownField = await api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).send({ personalId: anCitizenId, fullName: 'A', dateOfBirth: '1990', nickname: 'x' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors).toEqual([{ field: 'nickname', message: 'is not a known field' }]);
  });

  it('answers malformed JSON, wrong media types and oversized bodies with problems', async () => {
    const malformed = await api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).set('content-type', 'application/json').send('{"personalId":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('LGSP_BODY_MALFORMED');

    const xml = await api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).set('content-type', 'text/xml').send('<a/>');
    expect(xml.status).toBe(415);
    expect(xml.body.code).toBe('LGSP_UNSUPPORTED_MEDIA_TYPE');

    const huge = await api()
      .post('/api/v1/population/citizens/verify')
      .set(personalDataHeaders(token))
      .send({ personalId: anCitizenId, fullName: 'x'.repeat(70_000), dateOfBirth: '1990' });
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');
    expect(huge.body.code).toBe('LGSP_BODY_TOO_LARGE');
  });
});

describe('operational routes and docs', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const response = await api().get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'LGSP_NOT_FOUND', status: 404, requestId: expect.any(String) });
  });

  it('serves only probes on the API port: health, readiness as ready or not, no metrics and no upstream detail', async () => {
    expect((await api().get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true });
    const metrics = await api().get('/metrics');
    expect(metrics.status).toBe(404);
    expect(metrics.headers['content-type']).toContain('application/problem+json');
    expect(metrics.body.code).toBe('LGSP_NOT_FOUND');
    expect(metrics.text).not.toContain('lgsp_');
  });

  it('serves health, readiness with dependency detail, and Prometheus metrics on the ops listener', async () => {
    const ops = () => request(harness.opsUrl);
    expect(harness.opsUrl).not.toBe(harness.url);
    expect((await ops().get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await ops().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      checks: { store: { ok: true }, identityProviderKeys: { ok: true } },
      detail: { upstreams: { population: { breaker: 'closed' } } },
    });
    // Not closed: nothing has failed (open right after a commit, unknown once that evidence is a second old).
    expect(['open', 'unknown']).toContain(ready.body.detail.auditGate);
    const metrics = await ops().get('/metrics');
    expect(metrics.text).toContain('lgsp_requests_total{connector="population",operation="population.citizen.get",outcome="success"}');
    expect(metrics.text).toContain('lgsp_breaker_state{connector="population"} 0');
    expect(metrics.text).toContain('lgsp_audit_write_duration_seconds_bucket');
  });

  it('serves the OpenAPI 3.1 document generated from the contracts, and human docs', async () => {
    const openapi = await api().get('/api/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    const get = openapi.body.paths['/api/v1/population/citizens/{personalId}'].get;
    expect(get.operationId).toBe('population.citizen.get');
    expect(get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['personalId', 'X-End-User', 'X-Purpose']));
    expect(get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/population.v1.citizen');
    expect(openapi.body.components.schemas['population.v1.citizen'].properties.personalId.$ref).toBe('#/components/schemas/common.v1.definitions/$defs/personalId');
    expect(JSON.stringify(openapi.body)).not.toContain('https://lgsp.gov.vn/contracts');

    const docs = await api().get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui-bundle.js');
    const bundle = await api().get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
  });

  it('never writes a personal id, a name or a token to the logs', async () => {
    const logs = harness.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('"requestId"');
    for (const secret of [anCitizenId, yearOnlyCitizenId, unknownButWellFormedId, token, 'officer01', 'Nguyễn', 'one-stop-dev-secret', 'dev-only-population-client-secret']) {
      expect(logs).not.toContain(secret);
    }
  });
});
