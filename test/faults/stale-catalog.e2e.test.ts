import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import type { BusinessRegistrySandbox } from '../../connectors/business-registry/sandbox/server.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { findBySubject } from '../../src/audit/audit-reader.js';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { devGrants } from '../../simulators/embedded/dev-defaults.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { freePort, sharedRedisUrl } from '../../src/rate-limit/test-support/throwaway-redis.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { watchForCrashes } from './fault-support.js';

/**
 * The response cache through the real stack: dev IdP tokens, the sandboxes
 * over HTTP with their fault switches, the real Redis shared by two gateway
 * replicas (keys under a prefix of this run only), audit records in the store.
 *
 * Policies are short so the test can watch entries age:
 *   procedure.get     fresh 1.5 s, no stale-while-revalidate, stale-if-error 8 s
 *   procedure.search  fresh 0.3 s, stale-while-revalidate 60 s, no stale-if-error
 *   enterprise.get    (personal data) fresh 60 s, only for grants with allowCachedResponses
 */
watchForCrashes();

const runId = randomBytes(4).toString('hex');
const cachePrefix = `lgsp-test:cache:${runId}`;
const policies = {
  get: { ttlMs: 1500, staleWhileRevalidateMs: 0, staleIfErrorMs: 8000 },
  search: { ttlMs: 300, staleWhileRevalidateMs: 60_000, staleIfErrorMs: 0 },
};


let harness: Harness;
let replicaB: RunningGateway;
let token: string;
let portal: PublicServicePortalSandbox;
let registry: BusinessRegistrySandbox;
let redis: Redis;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      redis: { url: sharedRedisUrl, keyPrefix: `lgsp-test:rl:${runId}`, commandTimeoutMs: 2000 },
      cache: { sharedKeyPrefix: cachePrefix },
      access: { refreshIntervalMs: 200 },
      connectors: {
        'public-service-portal': {
          resilience: { timeoutMs: 2500, breaker: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } },
          cache: { 'public-service-portal.procedure.get': policies.get, 'public-service-portal.procedure.search': policies.search },
        },
        'business-registry': { cache: { 'business-registry.enterprise.get': { ttlMs: 60_000 } } },
      },
    },
  });
  const { config } = harness.stack;
  // A second replica: its own process-local cache and store, the same upstreams and the same Redis.
  replicaB = await startGateway({ config: { ...config, server: { ...config.server, port: 0 }, store: { driver: 'pglite' } }, connectors: connectorDescriptors, logger: createLogger({ level: 'silent' }), accessDefaults: devGrants(connectorDescriptors) });
  token = await harness.token();
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
  registry = harness.stack.sandboxes['business-registry'] as unknown as BusinessRegistrySandbox;
  redis = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
}, 90_000);

afterAll(async () => {
  await replicaB?.close();
  await harness?.close();
  if (redis) {
    const keys = await redis.keys(`lgsp-test:*:${runId}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});

afterEach(() => {
  portal.faults.clear();
  registry.faults.clear();
});

const procedure = (code: string, gateway = harness.url) =>
  request(gateway).get(`/api/v1/public-service-portal/procedures/${code}`).set('authorization', `Bearer ${token}`);
const search = (query: Record<string, string>) => request(harness.url).get('/api/v1/public-service-portal/procedures').query(query).set('authorization', `Bearer ${token}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function metric(gateway: RunningGateway, name: string, labels: Record<string, string>): Promise<number> {
  const found = (await gateway.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name) as { values: Array<{ value: number; labels: Record<string, string | number> }> } | undefined;
  return (found?.values ?? []).filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want)).reduce((sum, v) => sum + v.value, 0);
}

/** Counts the registry's enterprise lookups from now on (the sandbox's own call counter). */
function countRegistryCalls(): () => number {
  registry.faults.resetCalls();
  return () => registry.faults.calls('chiTietDoanhNghiep');
}

describe('stale-while-revalidate', () => {
  it('N concurrent cold reads make one upstream call', async () => {
    portal.resetCalls();
    portal.faults.set({ kind: 'latency', ms: 300 }, { operation: 'LayDanhSachTTHC' });
    const responses = await Promise.all(Array.from({ length: 15 }, () => search({ keyword: 'đất', page: '1' })));
    expect(responses.map((r) => r.status)).toEqual(Array(15).fill(200));
    expect(portal.calls('LayDanhSachTTHC')).toBe(1);
  });

  it('serves many concurrent stale reads at once with Warning 110 and Age, refreshed by one background call', async () => {
    const query = { keyword: 'giấy phép', pageSize: '5' };
    expect((await search(query)).status).toBe(200);
    await sleep(policies.search.ttlMs + 200);
    portal.resetCalls();
    // The refresh is slow (yet within the deadline): every read below arrives while it is still in flight,
    // and each is answered stale (Warning 110) instead of waiting for it.
    portal.faults.set({ kind: 'latency', ms: 1500 }, { operation: 'LayDanhSachTTHC' });
    const staleBefore = await metric(harness.stack.gateway, 'lgsp_cache_stale_serves_total', { operation: 'public-service-portal.procedure.search', reason: 'revalidating' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => search(query)));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers.warning).toBe('110 - "Response is Stale"');
      expect(Number(response.headers.age)).toBeGreaterThanOrEqual(0);
    }
    expect(await metric(harness.stack.gateway, 'lgsp_cache_stale_serves_total', { operation: 'public-service-portal.procedure.search', reason: 'revalidating' })).toBe(staleBefore + 20);
    // Once the refresh lands, the answer is fresh again; the portal saw exactly one call.
    const fresh = await eventually(() => search(query), (response) => response.headers.warning === undefined, 10_000, 100);
    expect(fresh.status).toBe(200);
    expect(portal.calls('LayDanhSachTTHC')).toBe(1);
  });
});

describe('a second replica sharing Redis', () => {
  it('serves what the first replica fetched from Redis, without calling the upstream', async () => {
    const code = wellKnownProcedureCodes.criminalRecordCertificate;
    portal.resetCalls();
    expect((await procedure(code)).status).toBe(200);
    expect(portal.calls('LayThuTuc')).toBe(1);
    // The shared write is fire-and-forget by design: wait until it landed.
    await eventually(async () => (await redis.keys(`${cachePrefix}:public-service-portal.procedure.get:*`)).length, (count) => count > 0, 5000, 20);
    const fromB = await procedure(code, replicaB.url);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.age).toMatch(/^\d+$/);
    expect(fromB.body.procedureCode).toBe(code);
    expect(portal.calls('LayThuTuc')).toBe(1);
    expect(await metric(replicaB, 'lgsp_cache_hits_total', { operation: 'public-service-portal.procedure.get', layer: 'shared' })).toBe(1);
  });
});

describe('personal data (business-registry enterprise.get with a cache policy in config)', () => {
  const code = wellKnownTaxCodes.activeCompany;
  const lookUp = () => request(harness.url).get(`/api/v1/business-registry/enterprises/${code}`).set(personalDataHeaders(token));

  it('is not cached for a grant without allowCachedResponses: the upstream sees every call', async () => {
    const calls = countRegistryCalls();
    expect((await lookUp()).status).toBe(200);
    const second = await lookUp();
    expect(second.status).toBe(200);
    expect(second.headers.age).toBeUndefined();
    expect(calls()).toBe(2);
  });

  it('is cached once the grant allows it, and both calls are audited (the cached one as such)', async () => {
    const { idp } = harness.stack;
    const admin = await consoleUserToken(idp.issuer, idp.tokenUrl, 'admin');
    const { body } = await request(harness.url).get('/admin/v1/grants').query({ consumerId: 'one-stop' }).set('authorization', `Bearer ${admin}`);
    const grant = (body.items as Array<Record<string, unknown>>).find((item) => item.operation === 'business-registry.enterprise.get')!;
    const { id, createdAt, updatedAt, ...rest } = grant;
    await request(harness.url).put(`/admin/v1/grants/${id as string}`).set('authorization', `Bearer ${admin}`).send({ ...rest, allowCachedResponses: true }).expect(200);
    // Each replica picks admin changes up within its refresh interval.
    await sleep(1000);

    const calls = countRegistryCalls();
    const first = await lookUp().set('x-request-id', `cached-pd-1-${runId}`);
    const second = await lookUp().set('x-request-id', `cached-pd-2-${runId}`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.age).toMatch(/^\d+$/);
    expect(second.body).toEqual(first.body);
    expect(calls()).toBe(1);
    const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, code);
    const byRequest = new Map(records.map((record) => [record.requestId, record]));
    expect(byRequest.get(`cached-pd-1-${runId}`)).toMatchObject({ outcome: 'success', operation: 'business-registry.enterprise.get' });
    expect(byRequest.get(`cached-pd-1-${runId}`)?.upstreamReference).not.toBe('cache');
    expect(byRequest.get(`cached-pd-2-${runId}`)).toMatchObject({ outcome: 'success', upstreamReference: 'cache' });
  });
});

describe('a Redis outage', () => {
  it('neither fails nor stalls a request: the replica serves from its own layer', async () => {
    const { config } = harness.stack;
    const deadRedis = { ...config.redis!, url: `redis://127.0.0.1:${await freePort()}`, commandTimeoutMs: 250 };
    const isolated = await startGateway({
      config: { ...config, server: { ...config.server, port: 0 }, store: { driver: 'pglite' }, redis: deadRedis },
      connectors: connectorDescriptors,
      logger: createLogger({ level: 'silent' }),
      // Its own store: the embedded stack's dev grants, as every embedded replica gets them.
      accessDefaults: devGrants(connectorDescriptors),
    });
    try {
      const first = await procedure(wellKnownProcedureCodes.birthRegistration, isolated.url);
      const second = await procedure(wellKnownProcedureCodes.birthRegistration, isolated.url);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.headers.age).toMatch(/^\d+$/);
      expect(await metric(isolated, 'lgsp_cache_hits_total', { operation: 'public-service-portal.procedure.get', layer: 'local' })).toBe(1);
    } finally {
      await isolated.close();
    }
  });
});

// Last: it opens the portal's breaker for the rest of the file.
describe('stale-if-error: the catalog while the portal is down', () => {
  it('serves the stale entry with Warning 111 and Age, through 5xx, timeouts and an open breaker, then gives the problem response', async () => {
    const code = wellKnownProcedureCodes.birthRegistration;
    const warmed = await procedure(code);
    expect(warmed.status).toBe(200);
    const storedAt = Date.now();
    await sleep(policies.get.ttlMs + 100);
    const staleBefore = await metric(harness.stack.gateway, 'lgsp_cache_stale_serves_total', { operation: 'public-service-portal.procedure.get', reason: 'upstream_failed' });

    portal.faults.set({ kind: 'http-500' });
    const during5xx = await procedure(code);
    expect(during5xx.status).toBe(200);
    expect(during5xx.headers.warning).toBe('111 - "Revalidation Failed"');
    expect(Number(during5xx.headers.age)).toBeGreaterThanOrEqual(1);
    expect(during5xx.body).toEqual(warmed.body);

    portal.faults.set({ kind: 'hang' });
    const duringTimeout = await procedure(code);
    expect(duringTimeout.status).toBe(200);
    expect(duringTimeout.headers.warning).toBe('111 - "Revalidation Failed"');

    // Enough failures open the breaker; its fast refusals are covered the same way.
    portal.faults.set({ kind: 'http-500' });
    await eventually(() => procedure(code), () => harness.stack.gateway.breakers.state('public-service-portal') === 'open', 10_000, 50);
    const whileOpen = await procedure(code);
    expect(whileOpen.status).toBe(200);
    expect(whileOpen.headers.warning).toBe('111 - "Revalidation Failed"');
    expect(await metric(harness.stack.gateway, 'lgsp_cache_stale_serves_total', { operation: 'public-service-portal.procedure.get', reason: 'upstream_failed' })).toBeGreaterThanOrEqual(staleBefore + 3);

    // Past freshness + stale-if-error: the normal problem response (the breaker is open: 503).
    await sleep(Math.max(0, storedAt + policies.get.ttlMs + policies.get.staleIfErrorMs + 200 - Date.now()));
    const expired = await procedure(code);
    expect(expired.status).toBe(503);
    expect(expired.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(expired.body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector: 'public-service-portal' });
    expect(expired.headers.warning).toBeUndefined();
  }, 60_000);
});
