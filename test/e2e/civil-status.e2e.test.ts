import request from 'supertest';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { findBySubject } from '../../src/audit/audit-reader.js';
import type { CivilStatusSandbox } from '../../connectors/civil-status/sandbox/server.js';
import { seededCivilStatus, type RegisterKey } from '../../connectors/civil-status/sandbox/seed.js';
import { expectBreakerOpensAlone, tightBreakerSection } from '../support/breaker-isolation.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// Seeded registrations (connectors/civil-status/sandbox/seed.ts), of the seeded people.
const { wellKnown } = seededCivilStatus();
const query = (key: RegisterKey) => ({ authorityCode: key.authorityCode, book: key.book, number: key.number });
const subjectOf = (key: RegisterKey) => `${key.authorityCode}/${key.book}/${key.number}`;
const an = '001090012345';
const anh = '079301005678';
const timeoutMs = 600;

const sandboxOf = (harness: Harness) => harness.stack.sandboxes['civil-status'] as unknown as CivilStatusSandbox;

describe('civil-status connector through the gateway (embedded stack: PGlite, dev IdP, civil-status sandbox)', () => {
  let harness: Harness;
  let token: string;
  let sandbox: CivilStatusSandbox;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pglite',
      overrides: { connectors: { 'civil-status': { resilience: { timeoutMs, breaker: { volumeThreshold: 10_000 } } } } },
    });
    token = await harness.token();
    sandbox = sandboxOf(harness);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => sandbox.faults.clear());

  const api = () => request(harness.url);
  const get = (path: string, values: Record<string, string> = {}) => api().get(`/api/v1/civil-status/${path}`).query(values).set(personalDataHeaders(token));
  const audited = async (subject: string, requestId: string) =>
    (await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, subject)).find((record) => record.requestId === requestId);

  describe('births', () => {
    it('GET /civil-status/births by register key: the child and the parents as the register names them, audited under the key', async () => {
      const response = await get('births', query(wellKnown.anBirth)).set('x-request-id', 'civil-birth-1');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        registration: { authority: { code: '00001' }, book: '01/1990', registeredOn: '1990-07-03' },
        child: { fullName: 'Nguyễn Văn An', personalId: an, birthDate: '1990-05-15', sex: { code: '1', label: 'Nam' } },
        father: { fullName: 'Nguyễn Văn Bình' },
        mother: { fullName: 'Phạm Thị Lan' },
      });
      expect(response.body.declarant).toBeUndefined();
      expect(await audited(subjectOf(wellKnown.anBirth), 'civil-birth-1')).toMatchObject({ operation: 'civil-status.birth.get', connector: 'civil-status', consumer: 'one-stop', endUser: 'officer01', outcome: 'success', httpStatus: 200 });
    });

    it('GET /civil-status/people/{personalId}/birth: the same record by the child\'s personal id, audited under the id', async () => {
      const response = await get(`people/${an}/birth`).set('x-request-id', 'civil-birth-find-1');
      expect(response.status).toBe(200);
      expect(response.body.registration).toMatchObject({ book: wellKnown.anBirth.book, number: wellKnown.anBirth.number });
      const record = await audited(an, 'civil-birth-find-1');
      expect(record).toMatchObject({ operation: 'civil-status.birth.find', outcome: 'success', subjectMasked: '001*******45' });
      expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['registration', 'child', 'father', 'mother']));
    });

    it('answers 404 for a registration or a person the register does not hold', async () => {
      const missing = await get('births', { ...query(wellKnown.anBirth), number: '99999' });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'civil-status' });
      // Lê Văn Bảy's birth is known by province only: never digitized.
      expect((await get('people/038038000123/birth')).status).toBe(404);
    });

    it('refuses malformed keys before asking the upstream, and maps an authority the register does not know to a 400', async () => {
      expect((await get('births', { ...query(wellKnown.anBirth), book: '1990' })).body.code).toBe('LGSP_VALIDATION_FAILED');
      expect((await get('births', { ...query(wellKnown.anBirth), number: '030' })).status).toBe(400);
      expect((await get('people/12345/birth')).body.code).toBe('LGSP_INVALID_PERSONAL_ID');
      const unknown = await get('births', { ...query(wellKnown.anBirth), authorityCode: '99999' });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', connector: 'civil-status' });
      expect(unknown.body.detail).toContain('02');
    });
  });

  describe('marriages', () => {
    it('GET /civil-status/marriages by register key: registered in 2025 at the 2025 Phường Ba Đình', async () => {
      const response = await get('marriages', query(wellKnown.anAnhMarriage));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        registration: { authority: { code: '00004', name: expect.stringContaining('Phường Ba Đình') }, registeredOn: '2025-08-18' },
        husband: { personalId: an, fullName: 'Nguyễn Văn An' },
        wife: { personalId: anh, fullName: 'Trần Thị Ngọc Ánh' },
        status: { code: '1' },
      });
    });

    it('a dissolved marriage from a paper book keeps its legacy keying and the old CMND', async () => {
      const response = await get('marriages', query(wellKnown.hoaDivorcedMarriage));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ wife: { fullName: 'NGUYEN THI HOA', legacyIdNumber: '201234567' }, husband: { fullName: 'Đỗ Văn Hùng' }, status: { code: '2' }, dissolvedOn: '2018-09-25' });
    });

    it('GET /civil-status/people/{personalId}/marriages: a list, empty when there is none', async () => {
      const found = await get(`people/${anh}/marriages`);
      expect(found.status).toBe(200);
      expect(found.body.marriages).toHaveLength(1);
      expect(found.body.marriages[0].husband.personalId).toBe(an);
      const none = await get('people/092205000321/marriages');
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ marriages: [] });
    });
  });

  describe('deaths', () => {
    it('GET /civil-status/deaths by register key: a death from before ids existed, declared by the seeded son', async () => {
      const response = await get('deaths', query(wellKnown.binhDeath));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ deceased: { fullName: 'Nguyễn Văn Bình', birthDate: '1958' }, diedOn: '2012-03-20', timeOfDeath: '05:40', declarant: { fullName: 'Nguyễn Văn An', relationship: 'Con' } });
      expect(response.body.deceased.personalId).toBeUndefined();
    });

    it('GET /civil-status/people/{personalId}/death: found for the one deceased with an id, 404 for the living', async () => {
      const response = await get(`people/${wellKnown.tamDeath.personalId}/death`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ deceased: { personalId: wellKnown.tamDeath.personalId }, declarant: { fullName: 'Lê Văn Bảy', relationship: 'Chồng' } });
      // Nobody the population sandbox holds is dead.
      expect((await get(`people/${an}/death`)).status).toBe(404);
    });
  });

  it('releases only the granted fields (field-level grant) and audits what was released', async () => {
    const adminToken = await consoleUserToken(harness.stack.idp.issuer, harness.stack.idp.tokenUrl, 'admin');
    const grants = await api().get('/admin/v1/grants').query({ consumerId: 'one-stop' }).set('authorization', `Bearer ${adminToken}`);
    const grant = (grants.body.items ?? grants.body).find((candidate: { operation: string }) => candidate.operation === 'civil-status.birth.get');
    expect(grant).toBeDefined();
    const narrowed = await api()
      .put(`/admin/v1/grants/${grant.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .send({ ...grant, fields: ['registration', 'child.fullName', 'child.birthDate'] });
    expect(narrowed.status).toBeLessThan(300);
    try {
      const response = await get('births', query(wellKnown.anBirth)).set('x-request-id', 'civil-birth-projected');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['child', 'registration']);
      expect(response.body.child).toEqual({ fullName: 'Nguyễn Văn An', birthDate: '1990-05-15' });
      expect((await audited(subjectOf(wellKnown.anBirth), 'civil-birth-projected'))!.fieldsReleased.sort()).toEqual(['child.birthDate', 'child.fullName', 'registration']);
    } finally {
      await api().put(`/admin/v1/grants/${grant.id}`).set('authorization', `Bearer ${adminToken}`).send(grant);
    }
  });

  it('keeps personal ids out of the logs, by path or by lookup form', async () => {
    const byPath = await get(`people/${anh}/marriages`).set('x-request-id', 'civil-log-path');
    const byForm = await api().post('/api/v1/civil-status/people/marriages/lookup').set(personalDataHeaders(token)).set('x-request-id', 'civil-log-form').send({ personalId: anh });
    expect([byPath.status, byForm.status]).toEqual([200, 200]);
    expect(byForm.body).toEqual(byPath.body);
    const logs = harness.logs.join('');
    expect(logs).toContain('civil-log-form');
    // Every personal id this file asked for so far (births, marriages, deaths ran before this test).
    for (const id of [an, anh, wellKnown.tamDeath.personalId]) expect(logs).not.toContain(id);
  });

  describe('upstream faults map to the right problem', () => {
    it.each(upstreamFaultCases)('%o → %i %s naming the civil-status connector', async (fault, status, code) => {
      sandbox.faults.set(fault);
      const response = await get('births', query(wellKnown.anBirth));
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code, connector: 'civil-status' });
    });

    it('logs in again once when the upstream says the token expired', async () => {
      sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
      const logins = sandbox.authority.issued.password;
      expect((await get(`people/${an}/birth`)).status).toBe(200);
      expect(sandbox.authority.issued.password).toBe(logins + 1);
    });
  });
});

describe('civil-status circuit breaker', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({ store: 'pglite', overrides: { connectors: { 'civil-status': tightBreakerSection(timeoutMs) } } });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('opens on repeated civil-status failures only: civil-status answers 503, population keeps working', async () => {
    const call = () => request(harness.url).get(`/api/v1/civil-status/people/${an}/birth`).set(personalDataHeaders(token));
    await expectBreakerOpensAlone({ harness, token, connector: 'civil-status', faults: sandboxOf(harness).faults, call });
    expect(harness.stack.gateway.breakers.state('land')).toBe('closed');
  });
});
