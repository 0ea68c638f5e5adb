import request from 'supertest';
import { findBySubject } from '../../src/audit/audit-reader.js';
import type { LandSandbox } from '../../connectors/land/sandbox/server.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// Seeded land records (connectors/land/sandbox/seed.ts), owned by the seeded people.
const anParcel = { communeCode: '00004', mapSheet: '12', parcelNumber: '345' };
const anParcelSubject = '00004-12-345';
const anCertificate = 'DA123456';
const timeoutMs = 600;

const landSandboxOf = (harness: Harness) => harness.stack.sandboxes.land as unknown as LandSandbox;

describe('land connector through the gateway (embedded stack: PGlite, dev IdP, land sandbox)', () => {
  let harness: Harness;
  let token: string;
  let sandbox: LandSandbox;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pglite',
      overrides: { connectors: { land: { resilience: { timeoutMs, breaker: { volumeThreshold: 10_000 } } } } },
    });
    token = await harness.token();
    sandbox = landSandboxOf(harness);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => sandbox.faults.clear());

  const findParcel = (query: Record<string, string> = anParcel) => request(harness.url).get('/api/v1/land/parcels').query(query).set(personalDataHeaders(token));
  const getCertificate = (serial: string) => request(harness.url).get(`/api/v1/land/certificates/${serial}`).set(personalDataHeaders(token));

  describe('GET /api/v1/land/parcels (land.parcel.find)', () => {
    it('returns the normalized parcel with its owners and audits the access under the parcel key', async () => {
      const response = await findParcel().set('x-request-id', 'land-find-1');
      expect(response.status).toBe(200);
      expect(response.body.parcels).toHaveLength(1);
      expect(response.body.parcels[0]).toMatchObject({
        communeCode: '00004',
        mapSheet: '12',
        parcelNumber: '345',
        area: 152.5,
        owners: [{ personalId: '001090012345', fullName: 'Nguyễn Văn An' }, { personalId: '079301005678' }],
        certificates: [{ serial: anCertificate, issuedOn: '2021-07-12' }],
        encumbrances: [{ kind: { code: 'TC' }, active: true }],
      });
      expect(JSON.stringify(response.body)).not.toContain('null');

      const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anParcelSubject);
      expect(record).toMatchObject({
        requestId: 'land-find-1',
        consumer: 'one-stop',
        endUser: 'officer01',
        operation: 'land.parcel.find',
        connector: 'land',
        outcome: 'success',
        httpStatus: 200,
      });
      expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['parcels.owners', 'parcels.area']));
    });

    it('treats leading zeros as the same map sheet and parcel (one subject key per parcel)', async () => {
      const response = await findParcel({ communeCode: '00004', mapSheet: '012', parcelNumber: '0345' }).set('x-request-id', 'land-find-zeros');
      expect(response.status).toBe(200);
      expect(response.body.parcels[0].parcelNumber).toBe('345');
      const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anParcelSubject);
      expect(records.map((record) => record.requestId)).toContain('land-find-zeros');
    });

    it('answers an empty list when there is no such parcel', async () => {
      const response = await findParcel({ communeCode: '00004', mapSheet: '9999', parcelNumber: '99999' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ parcels: [] });
    });

    it('refuses missing, malformed and unknown query parameters before asking the upstream', async () => {
      const missing = await findParcel({ communeCode: '00004', mapSheet: '12' });
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('LGSP_VALIDATION_FAILED');
      expect((await findParcel({ ...anParcel, communeCode: '4' })).status).toBe(400);
      expect((await findParcel({ ...anParcel, ownerName: 'x' })).body.code).toBe('LGSP_VALIDATION_FAILED');
    });

    it('maps the upstream refusing a commune it does not know to a 400, without counting it against the upstream', async () => {
      const response = await findParcel({ communeCode: '99999', mapSheet: '1', parcelNumber: '1' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', connector: 'land' });
      expect(response.body.detail).toContain('DD-01');
    });

    it('requires the personal-data headers', async () => {
      const response = await request(harness.url).get('/api/v1/land/parcels').query(anParcel).set('authorization', `Bearer ${token}`);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('LGSP_END_USER_REQUIRED');
    });
  });

  describe('GET /api/v1/land/certificates/{certificateSerial} (land.certificate.get)', () => {
    it('returns the certificate with holders and parcels and audits the access', async () => {
      const response = await getCertificate(anCertificate).set('x-request-id', 'land-cert-1');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        serial: anCertificate,
        holders: [{ personalId: '001090012345' }, { personalId: '079301005678' }],
        parcels: [{ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }],
      });
      const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, anCertificate);
      expect(record).toMatchObject({ requestId: 'land-cert-1', operation: 'land.certificate.get', outcome: 'success', subjectMasked: 'DA****56' });
    });

    it('keeps a legacy holder as recorded: upper case without diacritics, on the old CMND', async () => {
      const response = await getCertificate('BX654321');
      expect(response.status).toBe(200);
      expect(response.body.holders).toEqual([expect.objectContaining({ fullName: 'NGUYEN THI HOA', legacyIdNumber: '201234567' })]);
    });

    it('answers 404 for a certificate the land database does not hold', async () => {
      const response = await getCertificate('DA000001');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'land' });
    });

    it('refuses a malformed serial', async () => {
      const response = await getCertificate('da-123456');
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
    });
  });

  describe('upstream faults map to the right problem', () => {
    it('passes through a slow but timely upstream', async () => {
      sandbox.faults.set({ kind: 'latency', ms: 100 });
      expect((await findParcel()).status).toBe(200);
    });

    it.each(upstreamFaultCases)('%o → %i %s naming the land connector', async (fault, status, code) => {
      sandbox.faults.set(fault);
      const response = await getCertificate(anCertificate);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code, connector: 'land' });
    });

    it('logs in again once when the upstream says the token expired', async () => {
      sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
      const logins = sandbox.authority.issued.password;
      expect((await findParcel()).status).toBe(200);
      expect(sandbox.authority.issued.password).toBe(logins + 1);
    });

    it('logs in again when the land system forgot every token (restart)', async () => {
      sandbox.authority.revokeAll();
      expect((await findParcel()).status).toBe(200);
    });

    it('gives a clear upstream-auth problem when re-login does not help', async () => {
      sandbox.faults.set({ kind: 'expired-token' });
      const response = await findParcel();
      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'land' });
    });
  });
});

describe('land circuit breaker', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pglite',
      overrides: {
        connectors: { land: { resilience: { timeoutMs, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, rollingWindowMs: 10_000 }, retry: { maxAttempts: 1 } } } },
      },
    });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('opens on repeated land failures only: land answers 503, population keeps working', async () => {
    const sandbox = landSandboxOf(harness);
    const findParcel = () => request(harness.url).get('/api/v1/land/parcels').query(anParcel).set(personalDataHeaders(token));
    // Caller mistakes the upstream refuses do not count against it: three of them leave the breaker closed.
    const refused = () => request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '99999', mapSheet: '1', parcelNumber: '1' }).set(personalDataHeaders(token));
    for (let i = 0; i < 3; i += 1) expect((await refused()).status).toBe(400);
    expect(harness.stack.gateway.breakers.state('land')).toBe('closed');

    sandbox.faults.set({ kind: 'http-500' });
    // Four failures after three harmless refusals: over half of the calls in the window failed.
    for (let i = 0; i < 4; i += 1) expect((await findParcel()).status).toBe(502);
    sandbox.faults.set({ kind: 'hang' });
    const response = await findParcel();
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector: 'land' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(harness.stack.gateway.breakers.state('land')).toBe('open');

    expect(harness.stack.gateway.breakers.state('population')).toBe('closed');
    const citizen = await request(harness.url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(token));
    expect(citizen.status).toBe(200);
    sandbox.faults.clear();
  });
});
