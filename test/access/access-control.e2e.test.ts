import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { findBySubject } from '../../src/audit/audit-reader.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

// Real PostgreSQL and Redis. Gateway A is the embedded stack (with the seeded
// one-stop consumer); gateway B is a second replica on the same store and Redis.
const citizenId = '001090012345';
const landOffice = { clientId: 'land-office-system', clientSecret: 'land-office-system-dev-secret' };
const redisPrefix = `lgsp-test:${randomBytes(4).toString('hex')}`;

let harness: Harness;
let replicaB: RunningGateway;
let tokens: { oneStop: string; landOffice: string; admin: string; operator: string; auditor: string };

beforeAll(async () => {
  harness = await startHarness({
    store: 'pg',
    // A generous Redis timeout: exact quota counts must not fall back to local decisions on a loaded machine.
    overrides: { redis: { url: 'redis://127.0.0.1:6379', keyPrefix: redisPrefix, replicas: 2, commandTimeoutMs: 3000 }, access: { refreshIntervalMs: 200 } },
  });
  const { config, idp } = harness.stack;
  replicaB = await startGateway({
    config: { ...config, server: { ...config.server, port: 0 }, access: { ...config.access, seedFile: undefined, openApiShowsOnlyGranted: true } },
    connectors: connectorDescriptors,
    logger: createLogger({ level: 'silent' }),
  });
  tokens = {
    oneStop: await harness.token(),
    landOffice: (await requestClientCredentialsToken(idp.tokenUrl, landOffice)).access_token,
    ...(await harness.staffTokens()),
  };
}, 90_000);

afterAll(async () => {
  await replicaB?.close();
  await harness?.close();
});

const a = () => request(harness.url);
const b = () => request(replicaB.url);
const asAdmin = (pending: request.Test) => pending.set('authorization', `Bearer ${tokens.admin}`);
const lookUp = (agent: () => request.Agent | request.SuperTest<request.Test>, token: string, purpose = '000.00.01.H22-261123-0001') =>
  (agent() as ReturnType<typeof request>).get(`/api/v1/population/citizens/${citizenId}`).set({ ...personalDataHeaders(token), 'x-purpose': purpose });
const verify = (agent: () => ReturnType<typeof request>, token: string) =>
  agent().post('/api/v1/population/citizens/verify').set(personalDataHeaders(token)).send({ personalId: citizenId, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-05-15' });


describe('deny by default', () => {
  it('refuses a valid token of a client that is not a registered consumer', async () => {
    const response = await lookUp(a, tokens.landOffice);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('LGSP_CONSUMER_UNKNOWN');
  });

  it('registers the client, grants it verify only, and it still cannot read records (BFLA)', async () => {
    await asAdmin(a().post('/admin/v1/consumers'))
      .send({ id: 'land-office', clientId: 'land-office-system', name: 'Land office system', agency: 'Sở Nông nghiệp và Môi trường', status: 'active' })
      .expect(201);
    const grant = await asAdmin(a().post('/admin/v1/grants')).send({
      consumerId: 'land-office',
      operation: 'population.citizen.verify',
      purposes: ['DOSSIER-PROCESSING'],
      fields: ['*'],
      quota: { limit: 5, windowSeconds: 60 },
    });
    expect(grant.status).toBe(201);
    expect(grant.body.id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await verify(a, tokens.landOffice)).status).toBe(200);
    const read = await lookUp(a, tokens.landOffice);
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('LGSP_OPERATION_NOT_GRANTED');
  });
});

describe('field projection', () => {
  it('releases only the granted fields, and the audit record says which', async () => {
    await asAdmin(a().post('/admin/v1/grants'))
      .send({ consumerId: 'land-office', operation: 'population.citizen.get', purposes: ['DOSSIER-PROCESSING'], fields: ['personalId', 'fullName', 'permanentResidence.provinceCode'] })
      .expect(201);
    const response = await lookUp(a, tokens.landOffice).set('x-request-id', 'projection-1');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ personalId: citizenId, fullName: 'Nguyễn Văn An', permanentResidence: { provinceCode: '01' } });

    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, citizenId, { limit: 1 });
    expect(record).toMatchObject({ requestId: 'projection-1', consumer: 'land-office-system', purpose: '000.00.01.H22-261123-0001' });
    expect(record!.fieldsReleased).toEqual(['personalId', 'fullName', 'permanentResidence.provinceCode']);
  });

  it('refuses a grant naming a field the response contract does not have', async () => {
    const response = await asAdmin(a().put(`/admin/v1/grants/${await grantId('land-office', 'population.citizen.get')}`)).send({
      consumerId: 'land-office',
      operation: 'population.citizen.get',
      purposes: ['DOSSIER-PROCESSING'],
      fields: ['personalId', 'salary'],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'fields.1', message: 'salary is not a field of the population.citizen.get response' }]);
  });
});

describe('purpose binding', () => {
  it('answers a malformed purpose with 400 and an ungranted one with 403', async () => {
    const malformed = await lookUp(a, tokens.oneStop, '000.00.01.H22-261399-0001');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('LGSP_PURPOSE_MALFORMED');

    // A registered purpose, but the one-stop grant for reading records allows dossier processing only.
    const ungranted = await lookUp(a, tokens.oneStop, 'IDENTITY-VERIFICATION');
    expect(ungranted.status).toBe(403);
    expect(ungranted.body.code).toBe('LGSP_PURPOSE_NOT_GRANTED');
  });

  it('limits a dossier purpose to the units it names', async () => {
    await asAdmin(a().post('/admin/v1/purposes'))
      .send({ code: 'H22-DOSSIERS', name: 'Dossiers of province H22', kind: 'dossier', legalBasis: 'test', unitCodePatterns: ['*.*.*.H22'] })
      .expect(201);
    await asAdmin(a().put(`/admin/v1/grants/${await grantId('land-office', 'population.citizen.get')}`))
      .send({ consumerId: 'land-office', operation: 'population.citizen.get', purposes: ['H22-DOSSIERS'], fields: ['personalId'] })
      .expect(200);
    expect((await lookUp(a, tokens.landOffice, '000.00.01.H22-261123-0001')).status).toBe(200);
    const otherProvince = await lookUp(a, tokens.landOffice, '000.00.01.H56-261123-0001');
    expect(otherProvince.status).toBe(403);
    expect(otherProvince.body.code).toBe('LGSP_PURPOSE_NOT_GRANTED');
  });
});

describe('quotas shared by replicas through Redis', () => {
  it('allows exactly the quota across two gateway processes, then 429 with Retry-After and RateLimit headers', async () => {
    // This is replica B's first call for land-office: wait until it has loaded the policy changes
    // made on A (it polls every 200 ms) with a call that has no quota, so none of the counted
    // calls below is answered from a stale policy on a loaded machine.
    await eventually(() => lookUp(b, tokens.landOffice), (response) => response.status === 200, 15_000);
    // land-office has 5 verify calls per minute (one was spent above).
    const responses = [];
    for (let i = 0; i < 8; i += 1) responses.push(await verify(i % 2 === 0 ? b : a, tokens.landOffice));
    // Replica, status and code of each call, so a failure says which replica answered what.
    const outcomes = responses.map((response, i) => `${i % 2 === 0 ? 'B' : 'A'} ${response.status} ${response.body.code ?? ''}`.trim());
    expect(outcomes).toEqual(['B 200', 'A 200', 'B 200', 'A 200', 'B 429 LGSP_RATE_LIMITED', 'A 429 LGSP_RATE_LIMITED', 'B 429 LGSP_RATE_LIMITED', 'A 429 LGSP_RATE_LIMITED']);
    const refused = responses.filter((response) => response.status === 429);
    expect(refused).toHaveLength(4);
    expect(refused[0]!.body.code).toBe('LGSP_RATE_LIMITED');
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused[0]!.headers['ratelimit-limit']).toBe('5');
    expect(refused[0]!.headers['ratelimit-remaining']).toBe('0');
    expect(responses[0]!.headers['ratelimit-limit']).toBe('5');
  });
});

describe('Redis outage', () => {
  it('keeps serving with the local limiter, counted in a metric, when Redis cannot be reached', async () => {
    const { config } = harness.stack;
    // Nothing listens on port 1: every Redis call fails at once.
    const isolated = await startGateway({
      config: { ...config, server: { ...config.server, port: 0 }, redis: { url: 'redis://127.0.0.1:1', keyPrefix: redisPrefix, replicas: 2, commandTimeoutMs: 250, quotaLeasePercent: 0 }, access: { ...config.access, seedFile: undefined } },
      connectors: connectorDescriptors,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const agent = () => request(isolated.url);
      const started = Date.now();
      const response = await lookUp(agent, tokens.oneStop);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
      const metrics = await request(isolated.opsUrl).get('/metrics');
      expect(metrics.text).toMatch(/lgsp_rate_limit_fallback_total [1-9]/);
    } finally {
      await isolated.close();
    }
  });
});

describe('admin changes reach every replica without restart', () => {
  it('suspending a consumer on replica A denies it on replica B within a few seconds', async () => {
    expect((await lookUp(b, tokens.landOffice)).status).toBe(200);
    const consumer = (await asAdmin(a().get('/admin/v1/consumers/land-office'))).body;
    await asAdmin(a().put('/admin/v1/consumers/land-office')).send({ ...consumer, status: 'suspended' }).expect(200);
    await eventually(async () => (await lookUp(b, tokens.landOffice)).status, (status) => status === 403);
    expect((await lookUp(b, tokens.landOffice)).body.code).toBe('LGSP_CONSUMER_SUSPENDED');
  });

  it('records every change in the admin audit log with actor, before and after', async () => {
    const log = await a().get('/admin/v1/admin-audit?resourceType=consumer&resourceId=land-office').set('authorization', `Bearer ${tokens.auditor}`);
    expect(log.status).toBe(200);
    const [suspension, creation] = log.body.items;
    expect(suspension).toMatchObject({ action: 'update', actor: 'admin', actorClient: 'lgsp-console', resourceType: 'consumer', resourceId: 'land-office' });
    expect(suspension.before.status).toBe('active');
    expect(suspension.after.status).toBe('suspended');
    expect(creation).toMatchObject({ action: 'create', before: null });
    const grants = await a().get('/admin/v1/admin-audit?resourceType=grant').set('authorization', `Bearer ${tokens.auditor}`);
    expect(grants.body.items.length).toBeGreaterThanOrEqual(3);
  });
});

describe('roles on /admin', () => {
  it('never lets a consumer token in', async () => {
    for (const path of ['/admin/v1/consumers', '/admin/v1/grants', '/admin/v1/admin-audit']) {
      const response = await a().get(path).set('authorization', `Bearer ${tokens.oneStop}`);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('LGSP_ROLE_REQUIRED');
    }
    const write = await a().post('/admin/v1/grants').set('authorization', `Bearer ${tokens.oneStop}`).send({});
    expect(write.status).toBe(403);
  });

  it('lets operators read configuration but not change grants', async () => {
    expect((await a().get('/admin/v1/grants').set('authorization', `Bearer ${tokens.operator}`)).status).toBe(200);
    const change = await a()
      .post('/admin/v1/grants')
      .set('authorization', `Bearer ${tokens.operator}`)
      .send({ consumerId: 'one-stop', operation: 'population.citizen.get', purposes: ['DOSSIER-PROCESSING'], fields: ['*'] });
    expect(change.status).toBe(403);
    expect(change.body.code).toBe('LGSP_ROLE_REQUIRED');
  });

  it('lets auditors read the audit log but not change configuration', async () => {
    expect((await a().get('/admin/v1/admin-audit').set('authorization', `Bearer ${tokens.auditor}`)).status).toBe(200);
    expect((await a().delete('/admin/v1/purposes/H22-DOSSIERS').set('authorization', `Bearer ${tokens.auditor}`)).status).toBe(403);
    expect((await a().get('/admin/v1/admin-audit').set('authorization', `Bearer ${tokens.operator}`)).status).toBe(403);
  });

  it('validates admin input against the contracts and refuses conflicts', async () => {
    const bad = await asAdmin(a().post('/admin/v1/consumers')).send({ id: 'Bad Id', clientId: 'x', name: 'x', agency: 'x', status: 'sleeping' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['id', 'status']));
    const duplicate = await asAdmin(a().post('/admin/v1/consumers')).send({ id: 'one-stop', clientId: 'one-stop', name: 'x', agency: 'x', status: 'active' });
    expect(duplicate.status).toBe(409);
    const inUse = await asAdmin(a().delete('/admin/v1/purposes/DOSSIER-PROCESSING'));
    expect(inUse.status).toBe(409);
  });

  it('refuses a quota whose burst reserve refills faster than its window, and keeps a coherent one as sent', async () => {
    const quickBurst = { limit: 10, windowSeconds: 60, burst: 5, burstWindowSeconds: 30 };
    const consumer = { id: 'burst-office', clientId: 'burst-office-system', name: 'x', agency: 'x', status: 'active' };
    const refusedConsumer = await asAdmin(a().post('/admin/v1/consumers')).send({ ...consumer, rateLimit: quickBurst });
    expect(refusedConsumer.status).toBe(400);
    expect(refusedConsumer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refusedConsumer.body.errors).toEqual([{ field: 'rateLimit.burstWindowSeconds', message: 'must be at least windowSeconds (60)' }]);
    expect((await asAdmin(a().get('/admin/v1/consumers/burst-office'))).status).toBe(404);

    const coherent = { ...quickBurst, burstWindowSeconds: 600 };
    const created = await asAdmin(a().post('/admin/v1/consumers')).send({ ...consumer, rateLimit: coherent });
    expect(created.status).toBe(201);
    expect(created.body.rateLimit).toEqual(coherent);
    const refusedGrant = await asAdmin(a().post('/admin/v1/grants')).send({
      consumerId: 'burst-office',
      operation: 'population.citizen.verify',
      purposes: ['DOSSIER-PROCESSING'],
      fields: ['*'],
      quota: quickBurst,
    });
    expect(refusedGrant.status).toBe(400);
    expect(refusedGrant.body.errors).toEqual([{ field: 'quota.burstWindowSeconds', message: 'must be at least windowSeconds (60)' }]);
    expect((await asAdmin(a().get('/admin/v1/consumers/burst-office/grants'))).body.items).toEqual([]);
  });
});

describe('OpenAPI per consumer (replica B has openApiShowsOnlyGranted)', () => {
  it('shows a consumer only its granted operations and admins everything', async () => {
    const forOneStop = await b().get('/api/v1/openapi.json').set('authorization', `Bearer ${tokens.oneStop}`);
    // Exactly the paths of the operations granted to the one-stop system, read from the store (the seed's
    // grants plus embedded mode's dev grants: every mounted operation, simulators/embedded/dev-defaults.ts).
    const granted = new Set(((await asAdmin(a().get('/admin/v1/consumers/one-stop/grants'))).body.items as Array<{ operation: string }>).map((grant) => grant.operation));
    expect([...granted].sort()).toEqual(connectorDescriptors.flatMap((connector) => connector.operations.map((operation) => operation.id)).sort());
    const grantedPaths = connectorDescriptors
      .flatMap((connector) => connector.operations)
      .filter((operation) => granted.has(operation.id))
      .flatMap((operation) => [operation.path, ...(operation.lookup ? [operation.lookup.path] : [])].map((path) => `/api/v1${path}`));
    expect(Object.keys(forOneStop.body.paths).sort()).toEqual([...new Set(grantedPaths)].sort());
    expect(Object.keys(forOneStop.body.paths)).toEqual(expect.arrayContaining(['/api/v1/population/citizens/verify', '/api/v1/population/citizens/{personalId}']));
    const forAdmin = await b().get('/api/v1/openapi.json').set('authorization', `Bearer ${tokens.admin}`);
    expect(Object.keys(forAdmin.body.paths).length).toBeGreaterThanOrEqual(2);
    expect((await b().get('/api/v1/openapi.json')).status).toBe(401);
  });
});

async function grantId(consumerId: string, operation: string): Promise<string> {
  const { body } = await asAdmin(a().get(`/admin/v1/consumers/${consumerId}/grants`));
  return (body.items as Array<{ id: string; operation: string }>).find((grant) => grant.operation === operation)!.id;
}
