import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { citizenLookup, countBy, faultsOf, metricValue, percentile, portOf, socketsOnPort, timed, watchForCrashes, type TimedResponse } from './fault-support.js';

watchForCrashes();

/** Long against a land lookup even on a loaded machine, so that leaking into land would show. */
const timeoutMs = 3000;
const maxConcurrent = 3;
const maxQueue = 2;

describe('bulkhead: a hung upstream stays its own problem', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pg',
      overrides: {
        health: { probeIntervalMs: 3_600_000 },
        connectors: {
          // The breaker is kept out of the way here (huge volume): this file is about the bulkhead alone.
          population: { resilience: { timeoutMs, breaker: { volumeThreshold: 10_000 }, retry: { maxAttempts: 1 }, bulkhead: { maxConcurrent, maxQueue } } },
        },
      },
    });
    token = await harness.token();
    for (const connector of ['population', 'land']) {
      await eventually(() => harness.stack.gateway.prober.report(connector)?.status, (status) => status !== 'pending', 10_000);
    }
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => faultsOf(harness, 'population').clear());

  const population = () => faultsOf(harness, 'population');
  const findParcel = () => timed(request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }).set(personalDataHeaders(token)));

  /** Land lookups, `concurrency` at a time, for `count` calls in all. */
  async function landLatencies(count: number, concurrency = 3): Promise<TimedResponse[]> {
    const results: TimedResponse[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (results.length < count) results.push(await findParcel());
      }),
    );
    return results;
  }

  it("keeps another connector's latency while one hangs, and refuses the hung one's overflow at once", async () => {
    const baseline = await landLatencies(30);
    expect(baseline.every((answer) => answer.status === 200)).toBe(true);

    population().set({ kind: 'hang' });
    population().resetCalls();
    const burst = 12;
    const hungAnswers = Promise.all(Array.from({ length: burst }, () => timed(citizenLookup(harness, token))));
    // The hung upstream holds maxConcurrent calls, maxQueue wait behind them.
    await eventually(() => harness.stack.gateway.upstreams.bulkheadState('population'), (state) => state.inFlight === maxConcurrent && state.queued === maxQueue, 10_000);
    expect(population().calls()).toBe(maxConcurrent);
    expect(await metricValue(harness, 'lgsp_upstream_bulkhead_in_flight{connector="population"}')).toBe(maxConcurrent);
    expect(await metricValue(harness, 'lgsp_upstream_bulkhead_queued{connector="population"}')).toBe(maxQueue);
    const during = await landLatencies(30);
    const answers = await hungAnswers;

    expect(during.every((answer) => answer.status === 200)).toBe(true);
    const busy = answers.filter((answer) => answer.code === 'LGSP_UPSTREAM_BUSY');
    expect(busy).toHaveLength(burst - maxConcurrent - maxQueue);
    expect(busy.every((answer) => answer.status === 503 && answer.retryAfter === '1')).toBe(true);
    expect(countBy(answers, (answer) => `${answer.status} ${answer.code}`)).toEqual({
      '503 LGSP_UPSTREAM_BUSY': burst - maxConcurrent - maxQueue,
      '504 LGSP_UPSTREAM_TIMEOUT': maxConcurrent + maxQueue,
    });
    // At most maxConcurrent at a time ever reached the hung upstream: the queued ones only after the first timed out.
    expect(population().calls()).toBe(maxConcurrent + maxQueue);
    // Refused at once, not after the timeout.
    expect(Math.max(...busy.map((answer) => answer.ms))).toBeLessThan(timeoutMs / 2);
    // Land's p95 stays far below the hung connector's timeout (its own latency, not population's).
    const p95Before = percentile(baseline.map((answer) => answer.ms), 95);
    const p95During = percentile(during.map((answer) => answer.ms), 95);
    expect(p95During).toBeLessThan(timeoutMs / 3);
    expect(await metricValue(harness, 'lgsp_upstream_rejections_total{connector="population",reason="bulkhead_full"}')).toBe(burst - maxConcurrent - maxQueue);
    process.stdout.write(
      `[faults] isolation: land p95 ${p95Before.toFixed(1)} ms healthy / ${p95During.toFixed(1)} ms while population hangs; ${busy.length} BUSY in max ${Math.max(...busy.map((a) => a.ms)).toFixed(1)} ms\n`,
    );
  });

  it('frees the sockets of timed-out calls: the count at the upstream port returns to its baseline', async () => {
    const port = portOf(harness.stack.sandboxes.population!.baseUrl);
    // One healthy call first so the keep-alive pool is in its steady state.
    expect((await citizenLookup(harness, token)).status).toBe(200);
    const baseline = socketsOnPort(port);

    population().set({ kind: 'hang' });
    const inFlight = Promise.all(Array.from({ length: maxConcurrent }, () => timed(citizenLookup(harness, token))));
    await eventually(() => harness.stack.gateway.upstreams.bulkheadState('population').inFlight, (count) => count === maxConcurrent, 10_000);
    // Each hung exchange holds a socket at both ends (gateway and sandbox live in this process).
    const peak = await eventually(() => socketsOnPort(port), (count) => count >= baseline + maxConcurrent, 5000);
    const answers = await inFlight;
    expect(answers.every((answer) => answer.code === 'LGSP_UPSTREAM_TIMEOUT')).toBe(true);

    const after = await eventually(() => socketsOnPort(port), (count) => count <= baseline, 5000);
    expect(after).toBeLessThanOrEqual(baseline);
    process.stdout.write(`[faults] sockets at the upstream port: ${baseline} before, ${peak} with ${maxConcurrent} hung calls, ${after} after their timeout\n`);
  });
});
