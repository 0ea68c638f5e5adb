import { Writable } from 'node:stream';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { listAdminAudit } from '../../src/access/access-repository.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { countBy, faultsOf, timed, watchForCrashes } from './fault-support.js';
import { personalDataHeaders } from '../support/embedded-harness.js';

watchForCrashes();

const path = '/admin/v1/connectors/population/resilience';

/**
 * The run-time override of a connector's resilience policy, on two replicas
 * sharing one PostgreSQL schema: a change made through one is audited,
 * applied there at once and on the other within its refresh interval.
 */
describe('resilience override through /admin/v1 on two replicas', () => {
  let harness: Harness;
  let replica: RunningGateway;
  let tokens: { admin: string; operator: string; consumer: string };

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pg',
      overrides: {
        access: { refreshIntervalMs: 200 },
        health: { probeIntervalMs: 3_600_000 },
        connectors: { population: { resilience: { timeoutMs: 4000, retry: { maxAttempts: 2 } } } },
      },
    });
    replica = await startGateway({
      config: harness.stack.config,
      connectors: connectorDescriptors,
      logger: createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    });
    tokens = {
      ...(await harness.staffTokens()),
      consumer: await harness.token(),
    };
  }, 60_000);

  afterAll(async () => {
    await replica?.close();
    await harness?.close();
  });

  afterEach(() => faultsOf(harness, 'population').clear());

  const as = (role: keyof typeof tokens, url = harness.url) => ({
    get: () => request(url).get(path).set('authorization', `Bearer ${tokens[role]}`),
    put: (body: unknown) => request(url).put(path).set('authorization', `Bearer ${tokens[role]}`).send(body as object),
    delete: () => request(url).delete(path).set('authorization', `Bearer ${tokens[role]}`),
  });
  /** Three lookups at once to a slow upstream: how many the bulkhead lets through. */
  const burst = async (url: string) => {
    faultsOf(harness, 'population').set({ kind: 'latency', ms: 400 });
    const answers = await Promise.all(Array.from({ length: 3 }, () => timed(request(url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(tokens.consumer)))));
    return countBy(answers, (answer) => `${answer.status}`);
  };

  it('shows the effective policy and no override to every admin role', async () => {
    const response = await as('operator').get();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ connector: 'population', override: null, effective: { timeoutMs: 4000, retry: { maxAttempts: 2 }, operations: { 'population.citizen.get': { timeoutMs: 4000 } } } });
  });

  it('lets only lgsp-admin change it, and validates with the config schema fragment', async () => {
    expect((await as('operator').put({ retry: { maxAttempts: 1 } })).status).toBe(403);
    const invalid = await as('admin').put({ timeoutMs: 0, breaker: { mystery: 1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['breaker.mystery', 'timeoutMs']);
    const unknownOperation = await as('admin').put({ connectTimeoutMs: 500, operations: { 'population.citizen.delete': { timeoutMs: 100 } } });
    expect(unknownOperation.status).toBe(400);
    expect(unknownOperation.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['connectTimeoutMs', 'operations.population.citizen.delete']);
    expect((await as('admin').get()).body.override).toBeNull();
  });

  it('applies a change on both replicas without a restart, audited with before and after', async () => {
    expect(await burst(harness.url)).toEqual({ '200': 3 });
    const override = { bulkhead: { maxConcurrent: 1, maxQueue: 0 }, operations: { 'population.citizen.get': { retry: { maxAttempts: 1 } } } };
    const saved = await as('admin').put(override).set('x-request-id', 'resilience-override-1');
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ override, updatedBy: expect.any(String), effective: { bulkhead: { maxConcurrent: 1, maxQueue: 0 }, operations: { 'population.citizen.get': { retry: { maxAttempts: 1 } } } } });

    // This replica at once; the other within its refresh interval.
    expect(await burst(harness.url)).toEqual({ '200': 1, '503': 2 });
    await eventually(() => request(replica.url).get(path).set('authorization', `Bearer ${tokens.operator}`), (response) => response.body.effective?.bulkhead?.maxConcurrent === 1);
    expect(await burst(replica.url)).toEqual({ '200': 1, '503': 2 });

    const [entry] = await listAdminAudit(harness.stack.gateway.store, { resourceType: 'connector_resilience', resourceId: 'population' });
    expect(entry).toMatchObject({ requestId: 'resilience-override-1', action: 'create', before: null, after: override });
  });

  it('goes back to the configured policy when the override is removed, on both replicas', async () => {
    expect((await as('admin').delete()).status).toBe(204);
    expect((await as('admin').delete()).status).toBe(404);
    expect((await as('admin').get()).body).toMatchObject({ override: null, effective: { bulkhead: { maxConcurrent: 64 } } });
    expect(await burst(harness.url)).toEqual({ '200': 3 });
    await eventually(() => request(replica.url).get(path).set('authorization', `Bearer ${tokens.operator}`), (response) => response.body.effective?.bulkhead?.maxConcurrent === 64);
    expect(await burst(replica.url)).toEqual({ '200': 3 });
    const [entry] = await listAdminAudit(harness.stack.gateway.store, { resourceType: 'connector_resilience', resourceId: 'population' });
    expect(entry).toMatchObject({ action: 'delete', after: null });
  });
});
