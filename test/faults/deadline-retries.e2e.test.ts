import http from 'node:http';
import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { citizenLookup, faultsOf, metricValue, timed, watchForCrashes } from './fault-support.js';

watchForCrashes();

const lookUpOperation = 'TraCuuThongTinCongDan';
const timeoutMs = 3000;
const maxAttempts = 3;
const verifyTimeoutMs = 500;
/** Scheduling slack of a loaded two-core machine on top of a deadline. */
const margin = 1000;

describe('request deadline and retries against real upstream faults', () => {
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
              breaker: { volumeThreshold: 10_000 },
              retry: { maxAttempts, baseDelayMs: 50, maxDelayMs: 200 },
              // Per operation from config: verification gets a short attempt timeout of its own.
              operations: { 'population.citizen.verify': { timeoutMs: verifyTimeoutMs } },
            },
          },
        },
      },
    });
    token = await harness.token();
    await eventually(() => harness.stack.gateway.prober.report('population')?.status, (status) => status !== 'pending', 10_000);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(() => population().resetCalls());
  afterEach(() => population().clear());

  const population = () => faultsOf(harness, 'population');
  const lookUp = (requestTimeout?: string) => {
    const call = citizenLookup(harness, token);
    return timed(requestTimeout === undefined ? call : call.set('request-timeout', requestTimeout));
  };

  it('abandons the upstream call when the caller hangs up: the slot is free again long before the upstream would answer', async () => {
    population().set({ kind: 'latency', ms: 10_000 });
    const inFlight = () => metricValue(harness, 'lgsp_upstream_bulkhead_in_flight{connector="population"}');
    const deadlineRejections = () => metricValue(harness, 'lgsp_upstream_rejections_total{connector="population",reason="deadline"}');
    const rejectedBefore = await deadlineRejections();
    const url = new URL('/api/v1/population/citizens/001090012345', harness.url);
    const call = http.get(url, { headers: personalDataHeaders(token) });
    call.on('error', () => undefined);
    await eventually(inFlight, (count) => count === 1, 5_000);
    const hungUpAt = performance.now();
    call.destroy();
    await eventually(inFlight, (count) => count === 0, 5_000);
    // Freed by the hang-up, not by the 3 s attempt timeout or the 10 s answer.
    expect(performance.now() - hungUpAt).toBeLessThan(timeoutMs);
    await eventually(deadlineRejections, (count) => count === rejectedBefore + 1, 5_000);
  });

  it('answers 504 LGSP_DEADLINE_EXCEEDED at the Request-Timeout, not at the longer attempt timeout', async () => {
    population().set({ kind: 'latency', ms: 10_000 });
    const answer = await lookUp('0.8');
    expect(answer).toMatchObject({ status: 504, code: 'LGSP_DEADLINE_EXCEEDED' });
    expect(answer.ms).toBeGreaterThanOrEqual(750);
    expect(answer.ms).toBeLessThan(800 + margin);
    // The deadline left no room for another attempt.
    expect(population().calls(lookUpOperation)).toBe(1);
  });

  it("honours the upstream's Retry-After between attempts, stops at maxAttempts and stays inside the deadline", async () => {
    population().set({ kind: 'unavailable', retryAfterSeconds: 1 });
    const answer = await lookUp('3.5');
    expect(answer).toMatchObject({ status: 502, code: 'LGSP_UPSTREAM_ERROR', retryAfter: '1' });
    expect(population().calls(lookUpOperation)).toBe(maxAttempts);
    // Two waits of at least the upstream's one second…
    expect(answer.ms).toBeGreaterThanOrEqual(2 * 1000);
    // …and never past the deadline.
    expect(answer.ms).toBeLessThan(3500 + margin);
    expect(await metricValue(harness, 'lgsp_upstream_retries_total{connector="population",operation="population.citizen.get",reason="http_503"}')).toBeGreaterThanOrEqual(2);
  });

  it('gives up at once when the next Retry-After would end past the deadline', async () => {
    population().set({ kind: 'unavailable', retryAfterSeconds: 1 });
    const answer = await lookUp('1.5');
    expect(answer).toMatchObject({ status: 502, code: 'LGSP_UPSTREAM_ERROR' });
    // First attempt, one second's wait, second attempt; a second wait would not fit in 1.5 s.
    expect(population().calls(lookUpOperation)).toBe(2);
    expect(answer.ms).toBeGreaterThanOrEqual(1000);
    expect(answer.ms).toBeLessThan(1500 + margin);

    population().resetCalls();
    population().set({ kind: 'unavailable', retryAfterSeconds: 120 });
    const farOff = await lookUp();
    expect(farOff).toMatchObject({ status: 502, code: 'LGSP_UPSTREAM_ERROR', retryAfter: '120' });
    expect(population().calls(lookUpOperation)).toBe(1);
    expect(farOff.ms).toBeLessThan(margin + 500);
  });

  it('retries a timed-out attempt only while the deadline still holds a full attempt timeout', async () => {
    population().set({ kind: 'hang' });
    const answer = await lookUp('5');
    // 3 s attempt, then 2 s left: not enough for another 3 s attempt → the attempt's own timeout answers.
    expect(answer).toMatchObject({ status: 504, code: 'LGSP_UPSTREAM_TIMEOUT' });
    expect(population().calls(lookUpOperation)).toBe(1);
    expect(answer.ms).toBeLessThan(5000 + margin);
  });

  it("retries a slow upstream with the operation's own attempt timeout, never past the deadline", async () => {
    population().set({ kind: 'latency', ms: 5000 }, { operation: 'XacThucThongTinCongDan' });
    const answer = await timed(
      request(harness.url)
        .post('/api/v1/population/citizens/verify')
        .set(personalDataHeaders(token))
        .set('request-timeout', '1.6')
        .send({ personalId: '001090012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-01-01' }),
    );
    expect(answer.status).toBe(504);
    expect(['LGSP_UPSTREAM_TIMEOUT', 'LGSP_DEADLINE_EXCEEDED']).toContain(answer.code);
    // 500 ms attempts in a 1.6 s deadline: a second one always fits, a third only if the backoff was short.
    const calls = population().calls('XacThucThongTinCongDan');
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(maxAttempts);
    expect(answer.ms).toBeGreaterThanOrEqual(2 * verifyTimeoutMs);
    expect(answer.ms).toBeLessThan(1600 + margin);
  });

  it('retries a dropped connection and answers from the second attempt', async () => {
    population().set({ kind: 'reset' }, { times: 1 });
    const answer = await lookUp('5');
    expect(answer.status).toBe(200);
    expect(population().calls(lookUpOperation)).toBe(2);
  });

  it('refuses a malformed Request-Timeout with a 400 before asking the upstream', async () => {
    for (const value of ['soon', '0', '-1', '1.2345']) {
      const answer = await lookUp(value);
      expect(answer).toMatchObject({ status: 400, code: 'LGSP_VALIDATION_FAILED' });
    }
    expect(population().calls(lookUpOperation)).toBe(0);
  });
});
