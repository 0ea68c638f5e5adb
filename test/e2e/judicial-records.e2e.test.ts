import request from 'supertest';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import type { JudicialRecordsSandbox } from '../../connectors/judicial-records/sandbox/server.js';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { findPersonById, fullNameOf, wellKnownPersonIds } from '../../simulators/kit/people.js';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

/**
 * Issue 19, item 1: a judicial record certificate request through the
 * gateway (embedded stack, PGlite outbox, the judicial-records sandbox):
 * accepted once (202), lodged once with the system whatever the retries,
 * then its status and the certificate's number read back, audited.
 */

let harness: Harness;
let token: string;
let sandbox: JudicialRecordsSandbox;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      outbox: { pollIntervalMs: 100, baseDelayMs: 50, maxDelayMs: 400 },
      connectors: { 'judicial-records': { resilience: { timeoutMs: 800, breaker: { volumeThreshold: 10_000 } } } },
    },
  });
  token = await harness.token();
  sandbox = harness.stack.sandboxes['judicial-records'] as unknown as JudicialRecordsSandbox;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => sandbox.faults.clear());

/** Seeded citizens (simulators/kit/people.ts), as the desk would have them from the population database. */
const applicantOf = (personalId: string) => {
  const person = findPersonById(personalId)!;
  const { year, month, day } = person.birthDate;
  const birthDate = [String(year), month && String(month).padStart(2, '0'), day && String(day).padStart(2, '0')].filter(Boolean).join('-');
  return { personalId, fullName: fullNameOf(person.name), sex: person.sex, birthDate };
};
const applicant = applicantOf(wellKnownPersonIds.manBornInHanoi1990);

let serial = 0;
const nextRequest = (overrides: Record<string, unknown> = {}) => {
  serial += 1;
  const dossierCode = `000.00.01.H22-251123-${String(2000 + serial).padStart(4, '0')}`;
  return { dossierCode, certificateType: 'form-1', applicant, purpose: 'Bổ sung hồ sơ xin việc', copies: 1, receivedAt: '2025-11-23T08:30:00+07:00', dueDate: '2025-12-03', ...overrides };
};
const headers = (dossierCode: string) => ({ authorization: `Bearer ${token}`, 'x-end-user': 'officer01', 'x-purpose': dossierCode });
const api = () => request(harness.url);
const submit = (body: { dossierCode: string; [field: string]: unknown }, extra: Record<string, string> = {}) =>
  api().put(`/api/v1/judicial-records/requests/${body.dossierCode}`).set({ ...headers(body.dossierCode), ...extra }).send(body);
const syncStatus = (dossierCode: string) => api().get(`/api/v1/judicial-records/requests/${dossierCode}/sync`).set({ authorization: `Bearer ${token}` });
const readStatus = (dossierCode: string, applicantId = applicant.personalId) =>
  api().post('/api/v1/judicial-records/requests/lookup').set(headers(dossierCode)).send({ dossierCode, applicantId });
const delivered = (dossierCode: string) =>
  eventually(async () => (await syncStatus(dossierCode)).body, (body) => body.messages?.length > 0 && body.messages.every((m: { state: string }) => m.state === 'delivered' || m.state === 'dead'), 15_000);
const lodgings = (dossierCode: string) => sandbox.journal.filter((entry) => entry.dossierCode === dossierCode && entry.kind === 'lodged').length;

describe('judicial record certificate requests', () => {
  it('accepts a request (202), lodges it once, then answers its status and the certificate without its content', async () => {
    const body = nextRequest();
    const accepted = await submit(body);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ key: body.dossierCode, sequence: 1, duplicate: false });
    expect(JSON.stringify(accepted.body)).not.toContain(applicant.personalId);

    const status = await delivered(body.dossierCode);
    expect(status.messages.map((m: { state: string; answer: string }) => [m.state, m.answer])).toEqual([['delivered', 'created']]);
    expect(lodgings(body.dossierCode)).toBe(1);
    expect(sandbox.requests.get(body.dossierCode)!.item.toKhai).toMatchObject({ loaiPhieu: '1', nycSoGiayTo: applicant.personalId, nycNgaySinh: '15/05/1990', ngayHenTra: '03/12/2025' });
    expect((await syncStatus(body.dossierCode).query({ upstream: 'true' })).body.upstream).toEqual({ held: true, status: 'received' });

    const received = await readStatus(body.dossierCode);
    expect(received.status).toBe(200);
    expect(received.body).toEqual({ dossierCode: body.dossierCode, status: 'received', certificateType: 'form-1', receivedOn: '2025-11-23', dueDate: '2025-12-03' });

    sandbox.advance(body.dossierCode, { to: 'result-ready', criminalRecord: true });
    const issued = await readStatus(body.dossierCode).set('x-request-id', 'e2e-lltp-result');
    expect(issued.body).toMatchObject({ status: 'result-ready', result: { issuedOn: '2025-12-03', issuingAuthority: 'Sở Tư pháp tỉnh Quảng Ninh', copies: 1 } });
    expect(issued.body.result.certificateNumber).toMatch(/LLTP1-STP22$/);
    // What the certificate says stays with the certificate: the system sent it, the gateway does not carry it.
    expect(sandbox.requests.get(body.dossierCode)!.result!.tenTinhTrangAnTich).toBe('Có án tích');
    expect(JSON.stringify(issued.body)).not.toMatch(/án tích|Trộm|tinhTrangAnTich|phieuLLTP|criminal/i);

    // A GET with the applicant's id in the query is the same operation.
    expect((await api().get(`/api/v1/judicial-records/requests/${body.dossierCode}`).query({ applicantId: applicant.personalId }).set(headers(body.dossierCode))).body).toEqual(issued.body);
  });

  it('audits the transfer and every read of the result: who, why, the applicant as a keyed hash, the fields', async () => {
    const body = nextRequest();
    const accepted = await submit(body);
    await delivered(body.dossierCode);
    sandbox.advance(body.dossierCode, { to: 'result-ready' });
    const read = await readStatus(body.dossierCode);
    const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, applicant.personalId);
    const transfer = records.find((each) => each.requestId === accepted.headers['x-request-id']);
    expect(transfer).toMatchObject({ operation: 'judicial-records.certificate-request.submit', endUser: 'officer01', purpose: body.dossierCode, outcome: 'success', httpStatus: 202 });
    expect(transfer!.fieldsReleased).toEqual(expect.arrayContaining(['dossierCode', 'certificateType', 'applicant']));
    const result = records.find((each) => each.requestId === read.headers['x-request-id']);
    expect(result).toMatchObject({ operation: 'judicial-records.certificate-request.get', endUser: 'officer01', purpose: body.dossierCode, outcome: 'success', httpStatus: 200 });
    expect(result!.fieldsReleased).toEqual(expect.arrayContaining(['status', 'result']));
  });

  it('is idempotent by the dossier code: a repeated request is one message, a changed one is not lodged again', async () => {
    const body = nextRequest();
    const first = await submit(body, { 'idempotency-key': `${body.dossierCode}-a` });
    expect((await submit(body, { 'idempotency-key': `${body.dossierCode}-a` })).body).toMatchObject({ syncId: first.body.syncId, duplicate: true });
    expect((await submit(body)).body).toMatchObject({ syncId: first.body.syncId, duplicate: true });
    await delivered(body.dossierCode);
    const changed = await submit({ ...body, copies: 3 });
    expect(changed.body).toMatchObject({ sequence: 2, duplicate: false });
    const status = await delivered(body.dossierCode);
    expect(status.messages.map((m: { answer: string }) => m.answer)).toEqual(['created', 'already-held']);
    expect(lodgings(body.dossierCode)).toBe(1);
    expect(sandbox.requests.get(body.dossierCode)!.item.toKhai.soLuongCap).toBe('1');
  });

  it('delivers through an outage and through an answer lost after the system stored the request: lodged once', async () => {
    const outage = nextRequest();
    sandbox.faults.set({ kind: 'http-500' }, { operation: 'tiepNhanHoSoLLTP' });
    expect((await submit(outage)).status).toBe(202);
    const retrying = await eventually(async () => (await syncStatus(outage.dossierCode)).body.messages[0], (message) => message.state === 'retrying' && message.attempts >= 2, 10_000);
    expect(retrying.lastError).toBe('http');
    expect(lodgings(outage.dossierCode)).toBe(0);
    sandbox.faults.clear();
    expect((await delivered(outage.dossierCode)).messages[0]).toMatchObject({ state: 'delivered', answer: 'created' });
    expect(lodgings(outage.dossierCode)).toBe(1);

    const lost = nextRequest();
    sandbox.loseNextSubmitAnswers(1);
    expect((await submit(lost)).status).toBe(202);
    const message = (await delivered(lost.dossierCode)).messages[0];
    // The first attempt was stored and its answer lost; the second found it there and did not lodge it again.
    expect(message).toMatchObject({ state: 'delivered', answer: 'already-held' });
    expect(message.attempts).toBeGreaterThanOrEqual(2);
    expect(lodgings(lost.dossierCode)).toBe(1);
  }, 40_000);

  it('gives up on a request the system refuses (an applicant the population database does not confirm): dead, never lodged', async () => {
    const body = nextRequest({ applicant: { ...applicant, birthDate: '1991-05-15' } });
    expect((await submit(body)).status).toBe(202);
    const status = await delivered(body.dossierCode);
    expect(status.messages[0]).toMatchObject({ state: 'dead' });
    expect(status.messages[0].deadReason).toBeDefined();
    expect(JSON.stringify(status)).not.toContain(applicant.personalId);
    expect(sandbox.requests.has(body.dossierCode)).toBe(false);
  });

  it('refuses a malformed request with field-level problems and stores nothing', async () => {
    const body = nextRequest({ certificateType: 'form-3', applicant: { ...applicant, personalId: '12345' } });
    const refused = await submit(body);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['certificateType', 'applicant.personalId']));
    expect((await syncStatus(body.dossierCode)).status).toBe(404);
  });

  it('answers 404 for a dossier nobody lodged and for a dossier held for another applicant', async () => {
    const body = nextRequest();
    expect((await readStatus(body.dossierCode)).status).toBe(404);
    await submit(body);
    await delivered(body.dossierCode);
    const other = await readStatus(body.dossierCode, wellKnownPersonIds.womanBorn2001WithDiacritics);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'judicial-records' });
  });

  it('reports a refusal with its reason and a returned certificate', async () => {
    const refused = nextRequest();
    const returned = nextRequest({ certificateType: 'form-2' });
    await submit(refused);
    await submit(returned);
    await delivered(refused.dossierCode);
    await delivered(returned.dossierCode);
    sandbox.advance(refused.dossierCode, { to: 'refused', reason: 'Người yêu cầu không thuộc trường hợp được cấp Phiếu lý lịch tư pháp số 1 theo yêu cầu của cơ quan.' });
    sandbox.advance(returned.dossierCode, { to: 'result-ready' });
    sandbox.advance(returned.dossierCode, { to: 'result-returned' });
    expect((await readStatus(refused.dossierCode)).body).toMatchObject({ status: 'refused', reason: expect.stringContaining('không thuộc trường hợp') });
    expect((await readStatus(returned.dossierCode)).body).toMatchObject({ status: 'result-returned', certificateType: 'form-2', result: { certificateNumber: expect.stringMatching(/LLTP2/) } });
  });

  it('releases only the fields a grant names: a deadline-tracking system sees the status and the due date, not the certificate', async () => {
    const { idp } = harness.stack;
    const admin = await consoleUserToken(idp.issuer, idp.tokenUrl, 'admin');
    await api().post('/admin/v1/consumers').set('authorization', `Bearer ${admin}`)
      .send({ id: 'deadline-tracker', clientId: 'land-office-system', name: 'Deadline tracker', agency: 'Văn phòng UBND tỉnh', status: 'active' })
      .expect(201);
    await api().post('/admin/v1/grants').set('authorization', `Bearer ${admin}`)
      .send({ consumerId: 'deadline-tracker', operation: 'judicial-records.certificate-request.get', purposes: ['DOSSIER-PROCESSING'], fields: ['status', 'dueDate'] })
      .expect(201);
    const tracker = (await requestClientCredentialsToken(idp.tokenUrl, { clientId: 'land-office-system', clientSecret: 'land-office-system-dev-secret' })).access_token;
    // Seeded: a certificate issued and returned to this applicant (sandbox/seed.ts).
    const seeded = '000.00.01.H22-251001-0001';
    const read = await api().post('/api/v1/judicial-records/requests/lookup').set({ ...headers(seeded), authorization: `Bearer ${tracker}` }).send({ dossierCode: seeded, applicantId: applicant.personalId });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ status: 'result-returned', dueDate: '2025-10-13' });
    const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, applicant.personalId);
    expect(records.find((each) => each.requestId === read.headers['x-request-id'])!.fieldsReleased.sort()).toEqual(['dueDate', 'status']);
    // The full grant (the one-stop system's) sees the certificate.
    expect((await readStatus(seeded)).body.result).toMatchObject({ certificateNumber: expect.any(String), issuingAuthority: 'Sở Tư pháp tỉnh Quảng Ninh' });
  });

  it('documents the three operations in the OpenAPI document, with the lookup form', async () => {
    const openapi = (await api().get('/api/v1/openapi.json').set('authorization', `Bearer ${token}`)).body;
    expect(openapi.paths['/api/v1/judicial-records/requests/{dossierCode}']).toMatchObject({ put: { 'x-lgsp-operation': 'judicial-records.certificate-request.submit' }, get: { 'x-lgsp-operation': 'judicial-records.certificate-request.get' } });
    expect(openapi.paths['/api/v1/judicial-records/requests/lookup'].post['x-lgsp-operation']).toBe('judicial-records.certificate-request.get');
    expect(openapi.paths['/api/v1/judicial-records/requests/{dossierCode}/sync'].get['x-lgsp-operation']).toBe('judicial-records.certificate-request.sync-status');
  });

  it('counts its calls and deliveries under its own labels, and its probe reports the system up', async () => {
    const metrics = await eventually(async () => (await request(harness.opsUrl).get('/metrics')).text, (text) => text.includes('lgsp_upstream_probe_up{connector="judicial-records"} 1'), 15_000);
    expect(metrics).toMatch(/lgsp_requests_total\{[^}]*connector="judicial-records"[^}]*operation="judicial-records.certificate-request.get"/);
    expect(metrics).toMatch(/lgsp_outbox_deliveries_total\{[^}]*target="judicial-records.certificate-request"/);
    expect(metrics).not.toContain(applicant.personalId);
  });

  it('writes no personal id nor name of the applicant to the logs', () => {
    const logs = harness.logs.join('');
    expect(logs).toContain('judicial-records');
    expect(logs).not.toContain(applicant.personalId);
    expect(logs).not.toContain(applicant.fullName);
  });
});

describe('judicial-records upstream faults', () => {
  let dossierCode: string;

  beforeAll(async () => {
    const body = nextRequest();
    dossierCode = body.dossierCode;
    await submit(body);
    await delivered(dossierCode);
  }, 20_000);

  it.each(upstreamFaultCases.map(([fault, status, code]) => [fault, status, code] as const))('%o → %i %s naming the judicial-records connector', async (fault, status, code) => {
    sandbox.faults.set(fault);
    const response = await readStatus(dossierCode);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, connector: 'judicial-records' });
  });

  it('takes a new token once when the platform says it expired, and fails clearly when that does not help', async () => {
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await readStatus(dossierCode)).status).toBe(200);
    sandbox.faults.set({ kind: 'expired-token' });
    expect((await readStatus(dossierCode)).body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'judicial-records' });
  });

  it('audits a failed read too, once', async () => {
    sandbox.faults.set({ kind: 'http-500' });
    await readStatus(dossierCode).set('x-request-id', 'e2e-lltp-fault');
    expect(await countByRequestId(harness.stack.gateway.store, 'e2e-lltp-fault')).toBe(1);
  });
});

describe('judicial-records breaker', () => {
  let isolated: Harness;

  beforeAll(async () => {
    isolated = await startHarness({
      store: 'pglite',
      overrides: { connectors: { 'judicial-records': { resilience: { breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 }, retry: { maxAttempts: 1 } } } } },
    });
  }, 60_000);

  afterAll(async () => {
    await isolated?.close();
  });

  it("opens on the judicial records system's failures only: population and the portal stay closed", async () => {
    const isolatedToken = await isolated.token();
    const lltp = isolated.stack.sandboxes['judicial-records'] as unknown as JudicialRecordsSandbox;
    lltp.faults.set({ kind: 'http-500' });
    const lookUp = () => request(isolated.url).post('/api/v1/judicial-records/requests/lookup').set(personalDataHeaders(isolatedToken)).send({ dossierCode: '000.00.01.H22-251123-0001', applicantId: applicant.personalId });
    for (let index = 0; index < 4; index += 1) await lookUp();
    expect(isolated.stack.gateway.breakers.state('judicial-records')).toBe('open');
    expect((await lookUp()).body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector: 'judicial-records' });
    expect(isolated.stack.gateway.breakers.state('population')).toBe('closed');
    expect(isolated.stack.gateway.breakers.state('public-service-portal')).toBe('closed');
    expect((await request(isolated.url).get(`/api/v1/population/citizens/${applicant.personalId}`).set(personalDataHeaders(isolatedToken))).status).toBe(200);
  });
});
