import request from 'supertest';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

const citizenId = '001090012345';
const citizenPath = `/api/v1/population/citizens/${citizenId}`;
const timeoutMs = 600;

// These run on the production store path: real PostgreSQL (a schema of their own).
describe('upstream faults map to the right problem (breaker kept closed)', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pg',
      overrides: { connectors: { population: { resilience: { timeoutMs, breaker: { volumeThreshold: 10_000 } } } } },
    });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => harness.sandbox.faults.clear());

  const lookUp = () => request(harness.url).get(citizenPath).set(personalDataHeaders(token));

  it('passes through a slow but timely upstream', async () => {
    harness.sandbox.faults.set({ kind: 'latency', ms: 100 });
    expect((await lookUp()).status).toBe(200);
  });

  it.each([
    [{ kind: 'latency', ms: 5_000 } as const, 504, 'LGSP_UPSTREAM_TIMEOUT'],
    [{ kind: 'hang' } as const, 504, 'LGSP_UPSTREAM_TIMEOUT'],
    [{ kind: 'soap-fault' } as const, 502, 'LGSP_UPSTREAM_ERROR'],
    [{ kind: 'http-500' } as const, 502, 'LGSP_UPSTREAM_ERROR'],
    [{ kind: 'garbage' } as const, 502, 'LGSP_UPSTREAM_CONTRACT_VIOLATION'],
    [{ kind: 'empty' } as const, 502, 'LGSP_UPSTREAM_CONTRACT_VIOLATION'],
    [{ kind: 'oversize' } as const, 502, 'LGSP_UPSTREAM_RESPONSE_TOO_LARGE'],
    [{ kind: 'reset' } as const, 502, 'LGSP_UPSTREAM_ERROR'],
  ])('%o → %i %s naming the connector', async (fault, status, code) => {
    harness.sandbox.faults.set(fault);
    const started = Date.now();
    const response = await lookUp();
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code, connector: 'population', requestId: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    if (status === 504) {
      // Answered at the deadline, not when the upstream finally finished (it never does for 'hang').
      expect(Date.now() - started).toBeLessThan(timeoutMs + 2_000);
    }
  });

  it('audits the failed attempt without releasing anything', async () => {
    harness.sandbox.faults.set({ kind: 'http-500' });
    const response = await lookUp().set('x-request-id', 'fault-audit-1');
    expect(response.status).toBe(502);
    const [record] = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, citizenId, { limit: 1 });
    expect(record).toMatchObject({ requestId: 'fault-audit-1', outcome: 'upstream_error', httpStatus: 502, fieldsReleased: [] });
  });

  it('logs in again once when the upstream says the token expired', async () => {
    harness.sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await lookUp()).status).toBe(200);
  });

  it('gives a clear upstream-auth problem when re-login does not help', async () => {
    harness.sandbox.faults.set({ kind: 'expired-token' });
    const response = await lookUp();
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_AUTH_FAILED', connector: 'population' });
  });
});

describe('circuit breaker and graceful shutdown', () => {
  let harness: Harness;
  let token: string;
  const resetTimeoutMs = 1_500;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pg',
      overrides: {
        connectors: {
          population: { resilience: { timeoutMs, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs, rollingWindowMs: 10_000 }, retry: { maxAttempts: 1 } } },
        },
      },
    });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const lookUp = () => request(harness.url).get(citizenPath).set(personalDataHeaders(token));
  const quotaDecisions = async () => {
    const metrics = await request(harness.opsUrl).get('/metrics');
    return metrics.text
      .split('\n')
      .filter((line) => line.startsWith('lgsp_rate_limit_decisions_total{'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  };

  it('opens after repeated failures, then answers 503 with Retry-After without waiting for the upstream', async () => {
    harness.sandbox.faults.set({ kind: 'http-500' });
    for (let i = 0; i < 3; i += 1) expect((await lookUp()).status).toBe(502);

    // Were the upstream still asked, this hang would cost the whole timeout.
    harness.sandbox.faults.set({ kind: 'hang' });
    const decisionsBefore = await quotaDecisions();
    const started = Date.now();
    const response = await lookUp().set('x-request-id', 'breaker-open-1');
    const elapsed = Date.now() - started;
    // Refused before the quotas: the caller is not charged for a call nobody made.
    expect(await quotaDecisions()).toBe(decisionsBefore);
    expect(response.headers['ratelimit-remaining']).toBeUndefined();
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector: 'population' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(elapsed).toBeLessThan(timeoutMs);
    expect(harness.stack.gateway.breakers.state('population')).toBe('open');
    // Nobody was asked about the person, so there is nothing to audit (and the 503 does not wait for a write).
    expect(await countByRequestId(harness.stack.gateway.store, 'breaker-open-1')).toBe(0);
    const metrics = await request(harness.opsUrl).get('/metrics');
    expect(metrics.text).toContain('lgsp_breaker_state{connector="population"} 2');
    // An open upstream is reported (on the ops listener), but the gateway stays ready: its breaker answers for it.
    const ready = await request(harness.opsUrl).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.detail.upstreams.population.breaker).toBe('open');
  });

  it('closes again after a successful trial call once the reset timeout has passed', async () => {
    harness.sandbox.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, resetTimeoutMs + 200));
    expect((await lookUp()).status).toBe(200);
    expect(harness.stack.gateway.breakers.state('population')).toBe('closed');
  });

  it('finishes in-flight requests on shutdown and then stops accepting', async () => {
    harness.sandbox.faults.set({ kind: 'latency', ms: 300 });
    const inFlight = lookUp();
    const pending = inFlight.then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = harness.stack.gateway.close();
    const response = await pending;
    await closing;
    expect(response.status).toBe(200);
    await expect(request(harness.url).get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });
});
