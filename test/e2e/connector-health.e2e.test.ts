import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

// Active health probes through the real gateway against the real sandboxes.
// The population breaker opens once more than 40 % of its calls fail, so a probe
// going through it would show at once.
const probeIntervalMs = 150;
const probeTimeoutMs = 300;
const healthPath = '/admin/v1/connectors/population/health';

let harness: Harness;
let tokens: { operator: string; auditor: string; admin: string; consumer: string };

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      health: { probeIntervalMs, probeTimeoutMs },
      connectors: { population: { resilience: { timeoutMs: 2000, breaker: { volumeThreshold: 1, errorThresholdPercentage: 40 }, retry: { maxAttempts: 1 } } } },
    },
  });
  tokens = {
    ...(await harness.staffTokens()),
    consumer: await harness.token(),
  };
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => harness.sandbox.faults.clear());

const health = (token = tokens.operator) => request(harness.url).get(healthPath).set('authorization', `Bearer ${token}`);
const metricsText = async () => (await request(harness.opsUrl).get('/metrics')).text;


describe('active health probes', () => {
  it('shows a healthy upstream as probe ok, breaker closed, with latency and time', async () => {
    const response = await eventually(() => health(), (r) => r.body.probe?.status === 'ok');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      connector: 'population',
      title: expect.any(String),
      availability: 'available',
      breaker: 'closed',
      // probedBy: the replica that ran the probe (this one, alone here; src/resilience/shared-probe-results.ts).
      probe: { status: 'ok', latencyMs: expect.any(Number), checkedAt: expect.any(String), consecutiveFailures: 0, probedBy: harness.stack.gateway.outbox.dispatcher.id },
      recentErrorRate: null,
      recentCalls: 0,
      recentWindowMs: expect.any(Number),
      bulkhead: { inFlight: 0, queued: 0 },
      policy: expect.objectContaining({ timeoutMs: 2000, retry: expect.objectContaining({ maxAttempts: 1 }), operations: expect.objectContaining({ 'population.citizen.get': expect.any(Object) }) }),
      // This replica's newest traffic window: null until the first one closes (connector-traffic-history.e2e.test.ts).
      traffic: response.body.traffic === null ? null : expect.objectContaining({ at: expect.any(String), requests: 0 }),
    });
    expect(Date.parse(response.body.probe.checkedAt)).not.toBeNaN();
    expect(await metricsText()).toContain('lgsp_upstream_probe_up{connector="population"} 1');
  });

  it('lists every mounted connector with its health', async () => {
    const response = await request(harness.url).get('/admin/v1/connectors').set('authorization', `Bearer ${tokens.auditor}`);
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { connector: string }) => item.connector).sort()).toEqual(connectorDescriptors.map((d) => d.id).sort());
    for (const item of response.body.items) expect(item).toMatchObject({ breaker: 'closed', probe: { status: expect.stringMatching(/^(pending|ok)$/) } });
  });

  it('a hanging upstream fails the probe at its deadline; metrics, the health route and /readyz show it; readiness and the breaker are untouched', async () => {
    harness.sandbox.faults.set({ kind: 'hang' });
    const failing = await eventually(() => health(), (r) => r.body.probe?.consecutiveFailures >= 2, 10 * (probeIntervalMs + probeTimeoutMs) + 3000);
    expect(failing.body).toMatchObject({ breaker: 'closed', probe: { status: 'failed', errorKind: 'timeout', error: `no answer within the probe timeout (${probeTimeoutMs} ms)` }, recentCalls: 0 });
    expect(Object.keys(failing.body.probe).sort()).toEqual(['checkedAt', 'consecutiveFailures', 'error', 'errorKind', 'latencyMs', 'probedBy', 'status']);
    expect(harness.stack.gateway.breakers.state('population')).toBe('closed');

    const metrics = await metricsText();
    expect(metrics).toContain('lgsp_upstream_probe_up{connector="population"} 0');
    expect(metrics).toMatch(/lgsp_upstream_probe_failures_total\{connector="population"\} [1-9]/);
    expect(metrics).toMatch(/lgsp_upstream_probe_duration_seconds_count\{connector="population"\} [1-9]/);
    expect(metrics).toContain('lgsp_breaker_state{connector="population"} 0');

    const ready = await request(harness.opsUrl).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
    expect(ready.body.detail.upstreams.population).toMatchObject({ breaker: 'closed', probe: { status: 'failed', errorKind: 'timeout' } });
    expect(ready.body.detail.upstreams.tax).toMatchObject({ breaker: 'closed', probe: { status: 'ok' } });
  });

  it('an upstream answering 500 fails the probe as an http failure', async () => {
    harness.sandbox.faults.set({ kind: 'http-500' });
    const failing = await eventually(() => health(), (r) => r.body.probe?.errorKind === 'http');
    expect(failing.body).toMatchObject({ breaker: 'closed', probe: { status: 'failed', error: 'HTTP 500 from the upstream' } });
  });

  it('recovers by itself once the upstream heals', async () => {
    harness.sandbox.faults.set({ kind: 'http-500' });
    await eventually(() => health(), (r) => r.body.probe?.status === 'failed');
    harness.sandbox.faults.clear();
    const healed = await eventually(() => health(), (r) => r.body.probe?.status === 'ok');
    expect(healed.body.probe.consecutiveFailures).toBe(0);
    expect(await metricsText()).toContain('lgsp_upstream_probe_up{connector="population"} 1');
    expect((await request(harness.opsUrl).get('/readyz')).body.detail.upstreams.population.probe.status).toBe('ok');
  });

  it('reports the recent error rate of real calls and the breaker they open', async () => {
    const ok = await request(harness.url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(tokens.consumer));
    expect(ok.status).toBe(200);
    expect((await health()).body).toMatchObject({ recentCalls: 1, recentErrorRate: 0, breaker: 'closed' });
    harness.sandbox.faults.set({ kind: 'http-500' });
    const failed = await request(harness.url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(tokens.consumer));
    expect(failed.status).toBe(502);
    expect((await health()).body).toMatchObject({ recentCalls: 2, recentErrorRate: 0.5, breaker: 'open' });
  });
});

describe('connector health routes: access', () => {
  it.each(['operator', 'auditor', 'admin'] as const)('lets %s read', async (role) => {
    expect((await health(tokens[role])).status).toBe(200);
    expect((await request(harness.url).get('/admin/v1/connectors').set('authorization', `Bearer ${tokens[role]}`)).status).toBe(200);
  });

  it('refuses a consumer token (403) and no token (401)', async () => {
    for (const path of [healthPath, '/admin/v1/connectors']) {
      const refused = await request(harness.url).get(path).set('authorization', `Bearer ${tokens.consumer}`);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('LGSP_ROLE_REQUIRED');
      expect((await request(harness.url).get(path)).status).toBe(401);
    }
  });

  it('answers an unknown connector with a 404 problem', async () => {
    const response = await request(harness.url).get('/admin/v1/connectors/nowhere/health').set('authorization', `Bearer ${tokens.operator}`);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('LGSP_NOT_FOUND');
  });
});
