import request from 'supertest';
import { maskSubjectId } from '../../src/audit/subject-protection.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// The audit search and the citizen report with their parameters in a JSON body (POST): the console's forms,
// so that a personal id never sits in a URL (browser history, proxy and ingress access logs).
// Real PostgreSQL; accesses are seeded through the real API for two citizens of the population sandbox.
const citizenA = '001090012345';
const citizenB = '079301005678';
const dossier1 = '000.00.01.H22-261123-0001';
const dossier2 = '000.00.01.H22-261123-0002';

let harness: Harness;
let tokens: { oneStop: string; admin: string; operator: string; auditor: string };
const seeded: Record<string, string[]> = { [citizenA]: [], [citizenB]: [] };
let boundary: string;

const api = () => request(harness.url);
const postAs = (token: string, path: string, body: unknown) => api().post(path).set('authorization', `Bearer ${token}`).send(body as object);
const asAuditor = (path: string, body: unknown) => postAs(tokens.auditor, path, body);
const requestIdsOf = (items: Array<{ requestId: string }>) => items.map((item) => item.requestId).sort();

async function lookUp(personalId: string, requestId: string, endUser = 'officer01', purpose = dossier1): Promise<void> {
  const response = await api()
    .get(`/api/v1/population/citizens/${personalId}`)
    .set({ ...personalDataHeaders(tokens.oneStop), 'x-end-user': endUser, 'x-purpose': purpose, 'x-request-id': requestId });
  expect(response.status).toBe(200);
  seeded[personalId]!.push(requestId);
}

beforeAll(async () => {
  harness = await startHarness({ store: 'pg' });
  tokens = { oneStop: await harness.token(), ...(await harness.staffTokens()) };
  await lookUp(citizenA, 'body-a-1');
  await lookUp(citizenA, 'body-a-2', 'officer02', dossier2);
  await new Promise((resolve) => setTimeout(resolve, 5));
  boundary = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await lookUp(citizenA, 'body-a-3');
  await lookUp(citizenB, 'body-b-1', 'officer03', dossier2);
}, 90_000);

afterAll(async () => {
  await harness?.close();
});

describe('POST /admin/v1/audit/subjects/report', () => {
  it('gives the same answer as the GET form, for auditors and admins', async () => {
    const byPath = await api().get(`/admin/v1/audit/subjects/${citizenA}/report`).set('authorization', `Bearer ${tokens.auditor}`).expect(200);
    const byBody = await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenA }).expect(200);
    expect(byBody.headers['cache-control']).toBe('no-store');
    expect(byBody.headers['content-type']).toMatch(/^application\/json/);
    const { generatedAt: _a, ...pathReport } = byPath.body;
    const { generatedAt: _b, ...bodyReport } = byBody.body;
    expect(bodyReport).toEqual(pathReport);
    expect(byBody.body.subject).toBe(maskSubjectId(citizenA));
    expect(requestIdsOf(byBody.body.accesses)).toEqual([...seeded[citizenA]!].sort());
    expect(byBody.text).not.toContain(citizenA);
    expect(byBody.text).not.toContain('body-b-');

    const asAdmin = await postAs(tokens.admin, '/admin/v1/audit/subjects/report', { personalId: citizenB }).expect(200);
    expect(requestIdsOf(asAdmin.body.accesses)).toEqual(seeded[citizenB]);
  });

  it('narrows the report to a period [from, to) and says which', async () => {
    const before = await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenA, to: boundary }).expect(200);
    expect(requestIdsOf(before.body.accesses)).toEqual(['body-a-1', 'body-a-2']);
    expect(before.body).toMatchObject({ to: boundary, count: 2 });
    expect(before.body).not.toHaveProperty('from');
    const after = await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenA, from: boundary }).expect(200);
    expect(requestIdsOf(after.body.accesses)).toEqual(['body-a-3']);
    // The GET form takes the same period in its query string.
    const byPath = await api().get(`/admin/v1/audit/subjects/${citizenA}/report?from=${encodeURIComponent(boundary)}`).set('authorization', `Bearer ${tokens.auditor}`).expect(200);
    expect(requestIdsOf(byPath.body.accesses)).toEqual(['body-a-3']);
    const empty = await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenA, from: '2020-01-01T00:00:00+07:00', to: '2020-02-01T00:00:00+07:00' }).expect(200);
    expect(empty.body).toMatchObject({ count: 0, accesses: [] });
  });

  it('renders the printable HTML page when asked (format or Accept), with the period', async () => {
    const html = await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenB, format: 'html' }).expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('Báo cáo truy cập dữ liệu cá nhân');
    expect(html.text).toContain('officer03');
    expect(html.text).toContain(maskSubjectId(citizenB));
    expect(html.text).not.toContain(citizenB);
    const accepted = await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenA, from: boundary }).set('accept', 'text/html').expect(200);
    expect(accepted.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(accepted.text).toContain('Khoảng thời gian: từ');
  });

  it('refuses a missing or invalid personal id with 400 LGSP_INVALID_PERSONAL_ID, never echoing it', async () => {
    for (const personalId of ['12345', '999999999999', '00109001234x', '0010900123456', ` ${citizenA}`, 1090012345, null, undefined]) {
      const response = await asAuditor('/admin/v1/audit/subjects/report', personalId === undefined ? {} : { personalId }).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('LGSP_INVALID_PERSONAL_ID');
      expect(response.body.errors).toEqual([{ field: 'personalId', message: expect.any(String) }]);
      if (personalId !== null && personalId !== undefined) expect(response.text).not.toContain(String(personalId).trim());
    }
  });

  it('refuses other fields, a bad period or format and a body that is not an object, naming fields only', async () => {
    const fieldsOf = async (body: unknown) => {
      const response = await asAuditor('/admin/v1/audit/subjects/report', body).expect(400);
      expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
      expect(response.text).not.toContain(citizenA);
      return (response.body.errors as Array<{ field: string }>).map((error) => error.field);
    };
    expect(await fieldsOf({ personalId: citizenA, subject: citizenA })).toEqual(['subject']);
    // A field named like an identifier is not echoed either.
    expect(await fieldsOf({ personalId: citizenA, [citizenA]: true })).toEqual(['(unnamed)']);
    expect(await fieldsOf({ personalId: citizenA, from: 'yesterday' })).toEqual(['from']);
    expect(await fieldsOf({ personalId: citizenA, from: boundary, to: boundary })).toEqual(['to']);
    expect(await fieldsOf({ personalId: citizenA, to: 20260101 })).toEqual(['to']);
    expect(await fieldsOf({ personalId: citizenA, format: 'pdf' })).toEqual(['format']);
    expect(await fieldsOf([citizenA])).toEqual(['(root)']);
    const malformed = await api().post('/admin/v1/audit/subjects/report').set('authorization', `Bearer ${tokens.auditor}`).set('content-type', 'application/json').send(`{"personalId": "${citizenA}"`).expect(400);
    expect(malformed.body.code).toBe('LGSP_BODY_MALFORMED');
    expect(malformed.text).not.toContain(citizenA);
  });

  it('is for auditors and admins only; refusals never echo the id', async () => {
    const operator = await postAs(tokens.operator, '/admin/v1/audit/subjects/report', { personalId: citizenA }).expect(403);
    expect(operator.body.code).toBe('LGSP_ROLE_REQUIRED');
    expect(operator.text).not.toContain(citizenA);
    await postAs(tokens.oneStop, '/admin/v1/audit/subjects/report', { personalId: citizenA }).expect(403);
    const anonymous = await api().post('/admin/v1/audit/subjects/report').send({ personalId: citizenA }).expect(401);
    expect(anonymous.text).not.toContain(citizenA);
  });

  it('records the read in the admin audit log with the subject masked', async () => {
    await asAuditor('/admin/v1/audit/subjects/report', { personalId: citizenA, from: boundary }).set('x-request-id', 'body-report-1').expect(200);
    const log = await api().get('/admin/v1/admin-audit?resourceType=audit_subject_report').set('authorization', `Bearer ${tokens.admin}`).expect(200);
    expect(log.body.items.find((item: { requestId: string }) => item.requestId === 'body-report-1')).toMatchObject({
      action: 'read',
      actor: 'auditor',
      resourceId: maskSubjectId(citizenA),
      after: { filter: { subject: maskSubjectId(citizenA), from: boundary }, returned: 1, format: 'json' },
    });
    expect(JSON.stringify(log.body)).not.toContain(citizenA);
  });
});

describe('POST /admin/v1/audit/search', () => {
  it('finds what the GET form finds, with every filter in the body', async () => {
    const ids = async (body: Record<string, unknown>) => requestIdsOf((await asAuditor('/admin/v1/audit/search', body).expect(200)).body.items);
    expect(await ids({ subject: citizenA })).toEqual([...seeded[citizenA]!].sort());
    expect(await ids({ subject: citizenA, endUser: 'officer02' })).toEqual(['body-a-2']);
    expect(await ids({ purpose: dossier2 })).toEqual(['body-a-2', 'body-b-1']);
    expect(await ids({ from: boundary, consumer: 'one-stop', operation: 'population.citizen.get', outcome: 'success' })).toEqual(['body-a-3', 'body-b-1']);
    expect(await ids({ to: boundary, subject: citizenB })).toEqual([]);
    const byQuery = await api().get(`/admin/v1/audit?subject=${citizenA}`).set('authorization', `Bearer ${tokens.auditor}`).expect(200);
    const byBody = await asAuditor('/admin/v1/audit/search', { subject: citizenA }).expect(200);
    expect(byBody.body).toEqual(byQuery.body);
    expect(byBody.text).not.toContain(citizenA);
    for (const item of byBody.body.items) expect(item.subject).toBe(maskSubjectId(citizenA));
  });

  it('pages with the cursor in the body, newest first, without overlap or gap', async () => {
    const everything = (await asAuditor('/admin/v1/audit/search', {}).expect(200)).body.items as Array<{ id: string }>;
    expect(everything).toHaveLength(4);
    const walked: Array<{ id: string }> = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await asAuditor('/admin/v1/audit/search', { limit: 3, ...(cursor && { cursor }) }).expect(200);
      walked.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor && walked.length < 10);
    expect(walked.map((item) => item.id)).toEqual(everything.map((item) => item.id));
  });

  it('exports CSV when format is csv', async () => {
    const csv = await asAuditor('/admin/v1/audit/search', { subject: citizenA, format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="audit-records.csv"');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + seeded[citizenA]!.length);
    for (const id of seeded[citizenA]!) expect(csv.text).toContain(id);
    expect(csv.text).toContain(maskSubjectId(citizenA));
    expect(csv.text).not.toContain(citizenA);
  });

  it('names bad body fields (never their values) and keeps to its roles', async () => {
    const fieldsOf = async (body: unknown) => {
      const response = await asAuditor('/admin/v1/audit/search', body).expect(400);
      expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
      expect(response.text).not.toContain(citizenA);
      return (response.body.errors as Array<{ field: string }>).map((error) => error.field).sort();
    };
    expect(await fieldsOf({ limit: 0 })).toEqual(['limit']);
    expect(await fieldsOf({ limit: '50' })).toEqual(['limit']);
    expect(await fieldsOf({ limit: 2.5 })).toEqual(['limit']);
    expect(await fieldsOf({ subject: `${citizenA}<b>` })).toEqual(['subject']);
    expect(await fieldsOf({ subject: Number(citizenA) })).toEqual(['subject']);
    expect(await fieldsOf({ outcome: 'maybe', format: 'xml' })).toEqual(['format', 'outcome']);
    expect(await fieldsOf({ cursor: 'not-a-cursor' })).toEqual(['cursor']);
    expect(await fieldsOf({ personalId: citizenA })).toEqual(['personalId']);
    expect(await fieldsOf(['subject'])).toEqual(['(root)']);

    const operator = await postAs(tokens.operator, '/admin/v1/audit/search', { subject: citizenA }).expect(403);
    expect(operator.body.code).toBe('LGSP_ROLE_REQUIRED');
    expect(operator.text).not.toContain(citizenA);
  });
});

describe('logs', () => {
  it('name the routes and never hold the personal ids sent in bodies', () => {
    const logs = harness.logs.join('');
    expect(logs).toContain('/admin/v1/audit/subjects/report');
    expect(logs).toContain('/admin/v1/audit/search');
    expect(logs).not.toContain(citizenA);
    expect(logs).not.toContain(citizenB);
  });
});
