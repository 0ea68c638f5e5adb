import request from 'supertest';
import { findBySubject } from '../../src/audit/audit-reader.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * The population connector against upstream answers other than the sandbox's
 * default ones: the verification answer as the real service is documented
 * (TonTai alone), a verification without a birth date, a lookup answered with
 * another person's record, and the upstream's reference in the audit record.
 */

// Seeded citizens of the population sandbox (simulators/kit/people.ts, fixtures/README.md).
const anhCitizen = { personalId: '079301005678', fullName: 'Trần Thị Ngọc Ánh', dateOfBirth: '2001-11-23', sex: 'female' };
const anCitizenId = '001090012345';
const hoaCitizenId = '048175000456';

let harness: Harness;
let token: string;

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite' });
  token = await harness.token();
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => harness.sandbox.modes.clear());

const api = () => request(harness.url);
const verify = (body: Record<string, unknown>, requestId?: string) => {
  const call = api().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token));
  return (requestId ? call.set('x-request-id', requestId) : call).send(body);
};

async function auditRecordOf(personalId: string, requestId: string) {
  const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, personalId);
  return records.find((record) => record.requestId === requestId);
}

describe('verification against an upstream that answers TonTai alone (the documented protocol)', () => {
  beforeEach(() => harness.sandbox.modes.set({ verifyAnswer: 'tontai-only' }));

  it('reports a confirmed match as a match of every field sent', async () => {
    const response = await verify(anhCitizen);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ exists: true, allMatch: true, basis: 'combined', matches: { fullName: true, dateOfBirth: true, sex: true } });
  });

  it('reports a denied combination without claiming which field differs', async () => {
    const response = await verify({ ...anhCitizen, fullName: 'Tran Thi Ngoc Anh' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ exists: null, allMatch: false, basis: 'combined', matches: { fullName: null, dateOfBirth: null, sex: null } });
  });

  it('verifies without a birth date, reporting only the fields sent', async () => {
    const response = await verify({ personalId: anhCitizen.personalId, fullName: anhCitizen.fullName });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ exists: true, allMatch: true, basis: 'combined', matches: { fullName: true } });
  });
});

describe('verification without a birth date (per-field answers)', () => {
  it('is accepted, sends no date upstream, and reports name and sex only', async () => {
    const response = await verify({ personalId: anhCitizen.personalId, fullName: anhCitizen.fullName, sex: 'male' });
    expect(response.status).toBe(200);
    // Had an empty or placeholder date gone upstream, the sandbox would refuse it (DC-07) or judge it.
    expect(response.body).toEqual({ exists: true, allMatch: false, basis: 'per-field', matches: { fullName: true, sex: false } });
  });
});

describe('a lookup answered with another person\'s record', () => {
  it('is a 502 contract violation, releases nothing of that record, and the audit record says nothing was released', async () => {
    harness.sandbox.modes.set({ lookupAnswersWith: hoaCitizenId });
    const response = await api().get(`/api/v1/population/citizens/${anCitizenId}`).set(personalDataHeaders(token)).set('x-request-id', 'e2e-another-person');
    expect(response.status).toBe(502);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_CONTRACT_VIOLATION', connector: 'population' });
    const text = JSON.stringify(response.body);
    for (const leaked of [hoaCitizenId, 'NGUYEN', 'HOA', '201234567']) expect(text).not.toContain(leaked);

    // The upstream was asked about a person: recorded, with nothing released.
    const record = await auditRecordOf(anCitizenId, 'e2e-another-person');
    expect(record).toMatchObject({ fieldsReleased: [], httpStatus: 502 });
    expect(record!.outcome).not.toBe('success');
  });
});

describe('the upstream reference in the audit record', () => {
  it('keeps the MaYeuCau the verification answer echoes', async () => {
    const response = await verify(anhCitizen, 'e2e-upstream-reference');
    expect(response.status).toBe(200);
    const record = await auditRecordOf(anhCitizen.personalId, 'e2e-upstream-reference');
    expect(record).toMatchObject({ operation: 'population.citizen.verify', upstreamReference: 'e2e-upstream-reference' });
  });
});
