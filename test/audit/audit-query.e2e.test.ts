import request from 'supertest';
import { auditCsvColumns } from '../../src/audit/query/audit-csv.js';
import { insertAuditRecord } from '../../src/audit/audit-table.js';
import { hashSubjectId, maskSubjectId } from '../../src/audit/subject-protection.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { parseCsv as parseCsvText } from '../../src/util/csv.js';

// Real PostgreSQL. Accesses are seeded through the real API (one-stop token) for two citizens;
// the audit query API and the citizen report must keep them apart.
const citizenA = '001090012345';
const citizenB = '079301005678';
const dossier1 = '000.00.01.H22-261123-0001';
const dossier2 = '000.00.01.H22-261123-0002';
const reportRoute = '/admin/v1/audit/subjects/{personalId}/report';

let harness: Harness;
let tokens: { oneStop: string; admin: string; operator: string; auditor: string };
/** Request ids of the seeded calls, per citizen. */
const seeded: Record<string, string[]> = { [citizenA]: [], [citizenB]: [] };
let boundary: string;

const api = () => request(harness.url);
const asAuditor = (path: string) => api().get(path).set('authorization', `Bearer ${tokens.auditor}`);

async function lookUp(personalId: string, requestId: string, endUser = 'officer01', purpose = dossier1): Promise<void> {
  const response = await api()
    .get(`/api/v1/population/citizens/${personalId}`)
    .set({ ...personalDataHeaders(tokens.oneStop), 'x-end-user': endUser, 'x-purpose': purpose, 'x-request-id': requestId });
  expect(response.status).toBe(200);
  seeded[personalId]!.push(requestId);
}

/** The export is RFC 4180: CRLF records only, ending with one. */
const parseCsv = (text: string) => parseCsvText(text, { records: 'crlf' });

beforeAll(async () => {
  harness = await startHarness({ store: 'pg' });
  tokens = {
    oneStop: await harness.token(),
    ...(await harness.staffTokens()),
  };
  for (let i = 1; i <= 3; i++) await lookUp(citizenA, `seed-a-${i}`);
  await lookUp(citizenA, 'seed-a-4', 'officer02', dossier2);
  const verify = await api()
    .post('/api/v1/population/citizens/verify')
    .set({ ...personalDataHeaders(tokens.oneStop), 'x-request-id': 'seed-a-verify' })
    .send({ personalId: citizenA, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-05-15' });
  expect(verify.status).toBe(200);
  seeded[citizenA]!.push('seed-a-verify');
  await new Promise((resolve) => setTimeout(resolve, 5));
  boundary = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await lookUp(citizenB, 'seed-b-1');
  await lookUp(citizenB, 'seed-b-2', 'officer03', dossier2);
}, 90_000);

afterAll(async () => {
  await harness?.close();
});

const requestIdsOf = (items: Array<{ requestId: string }>) => items.map((item) => item.requestId).sort();

describe('GET /admin/v1/audit', () => {
  it('by subject returns exactly that subject’s records, masked, never the other citizen’s nor any hash', async () => {
    const response = await asAuditor(`/admin/v1/audit?subject=${citizenA}`).expect(200);
    expect(requestIdsOf(response.body.items)).toEqual([...seeded[citizenA]!].sort());
    expect(response.body.nextCursor).toBeNull();
    for (const item of response.body.items) {
      expect(item.subject).toBe(maskSubjectId(citizenA));
      expect(item).not.toHaveProperty('subjectHash');
    }
    const key = harness.stack.config.audit.subjectHashKey;
    expect(response.text).not.toContain(hashSubjectId(key, citizenA));
    expect(response.text).not.toContain(citizenA);
    expect(response.text).not.toContain(maskSubjectId(citizenB));

    const other = await asAuditor(`/admin/v1/audit?subject=${citizenB}`).expect(200);
    expect(requestIdsOf(other.body.items)).toEqual([...seeded[citizenB]!].sort());
  });

  it('combines filters: end user, purpose, operation, outcome, consumer and time range', async () => {
    const ids = async (query: string) => requestIdsOf((await asAuditor(`/admin/v1/audit?${query}`).expect(200)).body.items);
    expect(await ids(`subject=${citizenA}&endUser=officer02`)).toEqual(['seed-a-4']);
    expect(await ids(`purpose=${dossier2}`)).toEqual(['seed-a-4', 'seed-b-2']);
    expect(await ids(`purpose=${dossier2}&subject=${citizenB}`)).toEqual(['seed-b-2']);
    expect(await ids('operation=population.citizen.verify')).toEqual(['seed-a-verify']);
    expect(await ids(`operation=population.citizen.get&subject=${citizenA}&endUser=officer01&purpose=${dossier1}`)).toEqual(['seed-a-1', 'seed-a-2', 'seed-a-3']);
    expect(await ids(`from=${boundary}`)).toEqual(['seed-b-1', 'seed-b-2']);
    expect(await ids(`to=${boundary}&consumer=one-stop`)).toEqual([...seeded[citizenA]!].sort());
    expect(await ids(`from=${boundary}&subject=${citizenA}`)).toEqual([]);
    expect(await ids('consumer=someone-else')).toEqual([]);
    const all = (await asAuditor('/admin/v1/audit?limit=500').expect(200)).body.items as Array<{ outcome: string }>;
    const successes = all.filter((item) => item.outcome === 'success').length;
    expect((await asAuditor('/admin/v1/audit?outcome=success').expect(200)).body.items).toHaveLength(successes);
  });

  it('walks every page with the cursor, newest first, without overlap or gap', async () => {
    const everything = (await asAuditor('/admin/v1/audit?limit=500').expect(200)).body.items as Array<{ id: string; occurredAt: string }>;
    expect(everything).toHaveLength(7);
    const walked: Array<{ id: string; occurredAt: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const page = await asAuditor(`/admin/v1/audit?${query}`).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(walked.map((item) => item.id)).toEqual(everything.map((item) => item.id));
    expect(new Set(walked.map((item) => item.id)).size).toBe(7);
    const times = walked.map((item) => Date.parse(item.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('exports a page as CSV with a header row that parses back to the JSON records', async () => {
    const json = await asAuditor(`/admin/v1/audit?subject=${citizenA}`).expect(200);
    const csv = await asAuditor(`/admin/v1/audit?subject=${citizenA}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="audit-records\.csv"$/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([...auditCsvColumns]);
    expect(rows).toHaveLength(json.body.items.length);
    rows.forEach((row, index) => {
      const item = json.body.items[index];
      const record = Object.fromEntries(header!.map((column, i) => [column, row[i]]));
      expect(record).toMatchObject({ id: item.id, requestId: item.requestId, purpose: item.purpose, subject: maskSubjectId(citizenA), fieldsReleased: item.fieldsReleased.join(' ') });
    });
    expect(csv.text).not.toContain(citizenA);
  });

  it('answers bad query parameters with a 400 naming query:<name>, without echoing values', async () => {
    const fieldsOf = async (query: string) => {
      const response = await asAuditor(`/admin/v1/audit?${query}`).expect(400);
      expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
      return (response.body.errors as Array<{ field: string }>).map((error) => error.field);
    };
    expect(await fieldsOf('limit=0')).toEqual(['query:limit']);
    expect(await fieldsOf('limit=501')).toEqual(['query:limit']);
    expect(await fieldsOf('limit=ten')).toEqual(['query:limit']);
    expect(await fieldsOf('from=yesterday')).toEqual(['query:from']);
    expect(await fieldsOf('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).toEqual(['query:to']);
    expect(await fieldsOf('outcome=maybe')).toEqual(['query:outcome']);
    expect(await fieldsOf('cursor=not-a-cursor')).toEqual(['query:cursor']);
    expect(await fieldsOf('format=xml')).toEqual(['query:format']);
    expect(await fieldsOf('consumer=a&consumer=b')).toEqual(['query:consumer']);
    expect(await fieldsOf('subjectId=1')).toEqual(['query:subjectId']);
    const leaky = await asAuditor(`/admin/v1/audit?subject=${citizenA}%3Cb%3E`).expect(400);
    expect(leaky.body.errors).toEqual([{ field: 'query:subject', message: expect.any(String) }]);
    expect(leaky.text).not.toContain(citizenA);
  });

  it('is for auditors and admins only: consumer and operator tokens get 403, no token 401', async () => {
    await api().get('/admin/v1/audit').set('authorization', `Bearer ${tokens.oneStop}`).expect(403);
    const operator = await api().get('/admin/v1/audit').set('authorization', `Bearer ${tokens.operator}`).expect(403);
    expect(operator.body.code).toBe('LGSP_ROLE_REQUIRED');
    await api().get('/admin/v1/audit').expect(401);
    await api().get('/admin/v1/audit').set('authorization', `Bearer ${tokens.admin}`).expect(200);
    await asAuditor('/admin/v1/audit').expect(200);
  });

  it('records every query in the admin audit log: actor, masked filter, number returned', async () => {
    const query = await asAuditor(`/admin/v1/audit?subject=${citizenA}&endUser=officer01&format=csv`).set('x-request-id', 'audit-query-1').expect(200);
    const log = await api().get('/admin/v1/admin-audit?resourceType=audit_records').set('authorization', `Bearer ${tokens.admin}`).expect(200);
    const entry = log.body.items.find((item: { requestId: string }) => item.requestId === 'audit-query-1');
    expect(entry).toMatchObject({
      action: 'read',
      actor: 'auditor',
      resourceType: 'audit_records',
      after: { filter: { subject: maskSubjectId(citizenA), endUser: 'officer01' }, returned: parseCsv(query.text).length - 1, format: 'csv' },
    });
    expect(JSON.stringify(log.body)).not.toContain(citizenA);
  });
});

describe('GET /admin/v1/audit/subjects/{personalId}/report', () => {
  it('lists exactly the subject’s accesses: who, which operation, which dossier, which fields, when, outcome', async () => {
    const response = await asAuditor(`/admin/v1/audit/subjects/${citizenA}/report`).set('x-request-id', 'report-a').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.subject).toBe(maskSubjectId(citizenA));
    expect(response.body.count).toBe(seeded[citizenA]!.length);
    expect(requestIdsOf(response.body.accesses)).toEqual([...seeded[citizenA]!].sort());
    const access = response.body.accesses.find((item: { requestId: string }) => item.requestId === 'seed-a-4');
    expect(access).toMatchObject({ consumer: 'one-stop', endUser: 'officer02', operation: 'population.citizen.get', purpose: dossier2 });
    expect(access.consumerName).toEqual(expect.any(String));
    expect(Array.isArray(access.fieldsReleased)).toBe(true);
    expect(response.text).not.toContain(citizenA);
    expect(response.text).not.toContain('seed-b-');

    const log = await api().get('/admin/v1/admin-audit?resourceType=audit_subject_report').set('authorization', `Bearer ${tokens.admin}`).expect(200);
    expect(log.body.items.find((item: { requestId: string }) => item.requestId === 'report-a')).toMatchObject({
      action: 'read',
      actor: 'auditor',
      resourceId: maskSubjectId(citizenA),
      after: { filter: { subject: maskSubjectId(citizenA) }, returned: seeded[citizenA]!.length, format: 'json' },
    });
  });

  it('renders a printable UTF-8 HTML page with the dossier codes when asked for text/html', async () => {
    const response = await asAuditor(`/admin/v1/audit/subjects/${citizenB}/report`).set('accept', 'text/html').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<meta charset="utf-8">');
    expect(response.text).toContain('Báo cáo truy cập dữ liệu cá nhân');
    expect(response.text).toContain(dossier1);
    expect(response.text).toContain(dossier2);
    expect(response.text).toContain('officer03');
    expect(response.text).not.toContain('officer02');
    expect(response.text).not.toContain(citizenB);
    expect(response.text).not.toMatch(/<script|<link|src=|href=/i);
    const byQuery = await asAuditor(`/admin/v1/audit/subjects/${citizenB}/report?format=html`).expect(200);
    expect(byQuery.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('escapes markup that reached the trail', async () => {
    const subject = '001090099999';
    await insertAuditRecord(harness.stack.gateway.store, {
      requestId: 'markup-1',
      occurredAt: new Date(),
      consumer: 'one-stop',
      endUser: '<script>alert("x")</script>',
      purpose: '<b>dossier</b>',
      operation: 'population.citizen.get',
      connector: 'population',
      fieldsReleased: ['fullName'],
      outcome: 'success',
      httpStatus: 200,
      latencyMs: 3,
      subjectHash: hashSubjectId(harness.stack.config.audit.subjectHashKey, subject),
      subjectMasked: maskSubjectId(subject),
    });
    const response = await asAuditor(`/admin/v1/audit/subjects/${subject}/report?format=html`).expect(200);
    expect(response.text).not.toContain('<script>');
    expect(response.text).not.toContain('<b>dossier');
    expect(response.text).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(response.text).toContain('&#60;b&#62;dossier&#60;/b&#62;');
  });

  it('refuses an invalid personal id with 400 LGSP_INVALID_PERSONAL_ID and never echoes the path', async () => {
    for (const bad of ['12345', '999999999999', '00109001234x']) {
      const response = await asAuditor(`/admin/v1/audit/subjects/${bad}/report`).expect(400);
      expect(response.body.code).toBe('LGSP_INVALID_PERSONAL_ID');
      expect(response.text).not.toContain(bad);
      expect(response.body.instance).toBe(`urn:lgsp:request:${response.headers['x-request-id']}`);
    }
    const forbidden = await api().get(`/admin/v1/audit/subjects/${citizenA}/report`).set('authorization', `Bearer ${tokens.operator}`).expect(403);
    expect(forbidden.text).not.toContain(citizenA);
    await api().get(`/admin/v1/audit/subjects/${citizenA}/report`).set('authorization', `Bearer ${tokens.oneStop}`).expect(403);
    const unknown = await asAuditor(`/admin/v1/audit/subjects/${citizenA}/other`).expect(404);
    expect(unknown.text).not.toContain(citizenA);
  });

  it('logs the route pattern, never the clear personal ids', async () => {
    const logs = harness.logs.join('');
    expect(logs).toContain(reportRoute);
    expect(logs).not.toContain(citizenA);
    expect(logs).not.toContain(citizenB);
    expect(logs).not.toContain('001090099999');
  });
});
