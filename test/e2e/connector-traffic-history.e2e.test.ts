import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import type { TrafficPoint } from '../../src/observability/connector-history.js';

// Real lookups through the gateway, seen in this replica's traffic history
// (the console's overview): per-window points and the newest window in the
// connector list.
const trafficSampleIntervalMs = 150;
const historyPath = '/admin/v1/connectors/history';
const citizenPath = '/api/v1/population/citizens/001090012345';

interface HistoryBody {
  replica: string;
  sampleIntervalMs: number;
  minutes: number;
  connectors: Array<{ connector: string; points: TrafficPoint[] }>;
}

let harness: Harness;
let tokens: { operator: string; auditor: string; admin: string; consumer: string };

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      health: { probeIntervalMs: 3_600_000, trafficSampleIntervalMs },
      // One failure must neither open the breaker nor be retried: the test counts calls.
      connectors: { population: { resilience: { breaker: { volumeThreshold: 1000 }, retry: { maxAttempts: 1 } } } },
    },
  });
  tokens = { ...(await harness.staffTokens()), consumer: await harness.token() };
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => harness.sandbox.faults.clear());

const history = (query = '', token = tokens.operator) => request(harness.url).get(`${historyPath}${query}`).set('authorization', `Bearer ${token}`);
const lookup = () => request(harness.url).get(citizenPath).set(personalDataHeaders(tokens.consumer));
const pointsOf = (body: HistoryBody, connector: string) => body.connectors.find((entry) => entry.connector === connector)?.points ?? [];
const sum = (points: TrafficPoint[], field: 'requests' | 'errors') => points.reduce((total, point) => total + point[field], 0);

describe('connector traffic history', () => {
  it("shows real lookups and their failures in this replica's per-window points", async () => {
    for (let call = 0; call < 3; call += 1) expect((await lookup()).status).toBe(200);
    harness.sandbox.faults.set({ kind: 'http-500' });
    expect((await lookup()).status).toBe(502);
    harness.sandbox.faults.clear();

    const response = await eventually(() => history(), (r) => r.status === 200 && sum(pointsOf(r.body, 'population'), 'requests') >= 4, 10_000, trafficSampleIntervalMs);
    const body = response.body as HistoryBody;
    expect(body).toEqual({ replica: expect.any(String), sampleIntervalMs: trafficSampleIntervalMs, minutes: 60, connectors: expect.any(Array) });
    expect(body.replica).not.toBe('');
    expect(body.connectors.map((entry) => entry.connector).sort()).toEqual(connectorDescriptors.map((descriptor) => descriptor.id).sort());

    const population = pointsOf(body, 'population');
    expect(sum(population, 'requests')).toBe(4);
    expect(sum(population, 'errors')).toBe(1);
    const busy = population.filter((point) => point.requests > 0);
    for (const point of busy) {
      expect(point.requestsPerMinute).toBeGreaterThan(0);
      expect(point.errorRate).toBe(point.errors / point.requests);
      expect(point.p95Ms).toEqual(expect.any(Number));
      expect(point.p95Ms).toBeGreaterThan(0);
    }
    for (const point of population.filter((p) => p.requests === 0)) expect(point).toMatchObject({ requestsPerMinute: 0, errorRate: null, p95Ms: null });

    // Oldest first, one point per window for every mounted connector.
    const times = population.map((point) => Date.parse(point.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.every((time) => !Number.isNaN(time))).toBe(true);
    const tax = pointsOf(body, 'tax');
    expect(tax.length).toBeGreaterThan(0);
    expect(sum(tax, 'requests')).toBe(0);
    expect(tax.every((point) => point.errorRate === null && point.p95Ms === null)).toBe(true);
  });

  it('gives the newest window as `traffic` of each connector in /admin/v1/connectors', async () => {
    const list = await eventually(
      async () => {
        expect((await lookup()).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, trafficSampleIntervalMs + 20));
        return request(harness.url).get('/admin/v1/connectors').set('authorization', `Bearer ${tokens.auditor}`);
      },
      (r) => r.status === 200 && r.body.items.find((item: { connector: string }) => item.connector === 'population')?.traffic?.requests > 0,
      10_000,
      0,
    );
    const population = list.body.items.find((item: { connector: string }) => item.connector === 'population');
    expect(population.traffic).toEqual({ at: expect.any(String), requests: expect.any(Number), errors: 0, requestsPerMinute: expect.any(Number), errorRate: 0, p95Ms: expect.any(Number) });
    expect(population.traffic.requestsPerMinute).toBeGreaterThan(0);
    for (const item of list.body.items) expect(item.traffic).toEqual(expect.objectContaining({ at: expect.any(String), requestsPerMinute: expect.any(Number) }));
    const tax = list.body.items.find((item: { connector: string }) => item.connector === 'tax');
    expect(tax.traffic).toMatchObject({ requests: 0, requestsPerMinute: 0, errorRate: null, p95Ms: null });

    // The per-connector health route carries the same figure.
    const health = await request(harness.url).get('/admin/v1/connectors/population/health').set('authorization', `Bearer ${tokens.operator}`);
    expect(health.body.traffic).toEqual(expect.objectContaining({ at: expect.any(String) }));
  });

  // Which points fall in the minutes is the unit test's (connector-history.test.ts): this stack is younger than a minute.
  it('takes minutes from 1 to 60 and says which it answered', async () => {
    const recent = await history('?minutes=1');
    expect(recent.status).toBe(200);
    expect(recent.body.minutes).toBe(1);
    const since = Date.now() - 60_000 - 1_000;
    for (const entry of recent.body.connectors as HistoryBody['connectors']) for (const point of entry.points) expect(Date.parse(point.at)).toBeGreaterThan(since);
  });
});

describe('connector traffic history: access and validation', () => {
  it.each(['operator', 'auditor', 'admin'] as const)('lets %s read', async (role) => {
    expect((await history('', tokens[role])).status).toBe(200);
  });

  it('refuses a consumer token (403) and no token (401)', async () => {
    const refused = await history('', tokens.consumer);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('LGSP_ROLE_REQUIRED');
    expect((await request(harness.url).get(historyPath)).status).toBe(401);
  });

  it.each(['?minutes=0', '?minutes=61', '?minutes=abc', '?minutes=1.5', '?minutes=1&minutes=2', '?connector=population'])('answers %s with a 400 validation problem', async (query) => {
    const response = await history(query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(response.body.errors?.[0]?.field).toMatch(/^query:/);
  });
});
