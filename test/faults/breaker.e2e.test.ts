import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { citizenLookup, countBy, faultsOf, metricValue, percentile, timed, watchForCrashes, type TimedResponse } from './fault-support.js';

watchForCrashes();

const lookUpOperation = 'TraCuuThongTinCongDan';
const timeoutMs = 1000;
const volumeThreshold = 4;
const resetTimeoutMs = 1500;

describe('circuit breaker against real upstream faults', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pg',
      overrides: {
        health: { probeIntervalMs: 3_600_000 },
        connectors: {
          population: {
            resilience: {
              timeoutMs,
              breaker: { volumeThreshold, errorThresholdPercentage: 50, rollingWindowMs: 60_000, resetTimeoutMs },
              retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
            },
          },
          land: { resilience: { breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, rollingWindowMs: 60_000, resetTimeoutMs: 60_000 } } },
        },
      },
    });
    token = await harness.token();
    // The first health probes (a lookup each) run shortly after start: let them pass before counting calls.
    for (const connector of ['population', 'land']) {
      await eventually(() => harness.stack.gateway.prober.report(connector)?.status, (status) => status !== 'pending', 10_000);
    }
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const population = () => faultsOf(harness, 'population');
  const lookUp = (personalId?: string) => timed(citizenLookup(harness, token, personalId));

  it("does not count the upstream's 'no such record' nor its refusal of a bad request against it", async () => {
    population().resetCalls();
    const notFound: TimedResponse[] = [];
    for (let i = 0; i < 3 * volumeThreshold; i += 1) notFound.push(await lookUp('001000000000'));
    expect(countBy(notFound, (r) => `${r.status} ${r.code}`)).toEqual({ [`404 LGSP_SUBJECT_NOT_FOUND`]: 3 * volumeThreshold });
    expect(population().calls(lookUpOperation)).toBe(3 * volumeThreshold);
    expect(harness.stack.gateway.breakers.state('population')).toBe('closed');

    // Land refuses a commune it does not know (DD-01): the caller's mistake, 400, not retried, breaker closed.
    const land = faultsOf(harness, 'land');
    land.resetCalls();
    for (let i = 0; i < 6; i += 1) {
      const refused = await request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '99999', mapSheet: '1', parcelNumber: '1' }).set(personalDataHeaders(token));
      expect(refused.status).toBe(400);
    }
    expect(land.calls()).toBe(6);
    expect(harness.stack.gateway.breakers.state('land')).toBe('closed');
  });

  it('turns a dead upstream into fast 503s once at most volumeThreshold calls reached it', async () => {
    // A fresh breaker (clean rolling window): the not-found answers above were successes and would dilute the error rate.
    harness.stack.gateway.breakers.register('population', harness.stack.gateway.upstreams.policies('population').connector);
    population().set({ kind: 'reset' });
    population().resetCalls();
    const answers: TimedResponse[] = [];
    for (let i = 0; i < 12; i += 1) answers.push(await lookUp());

    const reached = population().calls(lookUpOperation);
    expect(reached).toBeLessThanOrEqual(volumeThreshold);
    const refused = answers.filter((answer) => answer.code === 'LGSP_UPSTREAM_UNAVAILABLE');
    expect(answers.filter((answer) => answer.code !== 'LGSP_UPSTREAM_UNAVAILABLE').every((answer) => answer.status === 502)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(12 - volumeThreshold);
    expect(refused.every((answer) => answer.status === 503 && Number(answer.retryAfter) >= 1)).toBe(true);
    // Fast: an open breaker answers without touching the upstream (the bound is loose for a loaded machine).
    expect(percentile(refused.map((answer) => answer.ms), 95)).toBeLessThan(timeoutMs / 2);
    expect(harness.stack.gateway.breakers.state('population')).toBe('open');
    expect(await metricValue(harness, 'lgsp_upstream_rejections_total{connector="population",reason="open"}')).toBeGreaterThanOrEqual(refused.length);
    expect(await metricValue(harness, 'lgsp_breaker_transitions_total{connector="population",to="open"}')).toBeGreaterThanOrEqual(1);
    process.stdout.write(`[faults] dead upstream: ${reached} calls reached it, ${refused.length}/12 answered 503, p95 of the 503s ${percentile(refused.map((a) => a.ms), 95).toFixed(1)} ms\n`);
  });

  it('recovers through exactly one half-open trial once the upstream heals, without a herd', async () => {
    population().clear();
    await eventually(() => harness.stack.gateway.breakers.state('population'), (state) => state === 'half-open', resetTimeoutMs + 5000);
    // Healthy but slow, so the trial is still in flight while the others arrive.
    population().set({ kind: 'latency', ms: 400 });
    population().resetCalls();
    const concurrent = 10;
    const answers = await Promise.all(Array.from({ length: concurrent }, () => lookUp()));

    expect(population().calls(lookUpOperation)).toBe(1);
    expect(countBy(answers, (r) => `${r.status}`)).toEqual({ '200': 1, '503': concurrent - 1 });
    expect(harness.stack.gateway.breakers.state('population')).toBe('closed');

    population().clear();
    population().resetCalls();
    const after = await Promise.all(Array.from({ length: concurrent }, () => lookUp()));
    expect(after.every((answer) => answer.status === 200)).toBe(true);
    expect(population().calls(lookUpOperation)).toBe(concurrent);
    expect(await metricValue(harness, 'lgsp_breaker_transitions_total{connector="population",to="closed"}')).toBeGreaterThanOrEqual(1);
  });
});
