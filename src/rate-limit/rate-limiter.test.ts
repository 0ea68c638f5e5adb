import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { rateLimitMetricNames } from './rate-limit-metrics.js';
import { createRateLimiter, type RateDecision, type RateLimiter, type RatePolicy } from './rate-limiter.js';

/** Embedded mode: no Redis, limits per process. */
describe('rate limiter in process (embedded mode)', () => {
  let limiter: RateLimiter;
  let registry: Registry;

  beforeEach(() => {
    registry = new Registry();
    limiter = createRateLimiter({ logger: captureLogger().logger, metrics: registry });
  });
  afterEach(() => limiter.close());

  const consumeTimes = async (key: string, policy: RatePolicy, times: number): Promise<RateDecision[]> => {
    const decisions: RateDecision[] = [];
    for (let i = 0; i < times; i += 1) decisions.push(await limiter.consume(key, policy));
    return decisions;
  };

  it('allows `limit` requests per window, counting down, then refuses with a retry time', async () => {
    const decisions = await consumeTimes('consumer:a', { limit: 3, windowSeconds: 60 }, 5);

    expect(limiter.mode).toBe('memory');
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
    for (const decision of decisions) {
      expect(decision).toMatchObject({ limit: 3, degraded: false });
      expect(decision.resetSeconds).toBeGreaterThan(0);
      expect(decision.resetSeconds).toBeLessThanOrEqual(60);
    }
    expect(decisions[2]!.retryAfterSeconds).toBeUndefined();
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(decisions[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('counts each key apart', async () => {
    const policy = { limit: 1, windowSeconds: 60 };
    expect((await limiter.consume('consumer:a', policy)).allowed).toBe(true);
    expect((await limiter.consume('consumer:a', policy)).allowed).toBe(false);
    expect((await limiter.consume('consumer:b', policy)).allowed).toBe(true);
  });

  it('keys its limiters by the policy value, not the object: equal policies share one counter, different ones do not', async () => {
    expect((await limiter.consume('k', { limit: 1, windowSeconds: 60 })).allowed).toBe(true);
    expect((await limiter.consume('k', { limit: 1, windowSeconds: 60 })).allowed).toBe(false);
    // A changed policy (say, an admin raised the quota) starts a fresh count.
    expect((await limiter.consume('k', { limit: 2, windowSeconds: 60 })).allowed).toBe(true);
  });

  it('counts afresh when the very policy object it has seen is changed in place', async () => {
    const policy = { limit: 1, windowSeconds: 60 };
    expect((await limiter.consume('k', policy)).allowed).toBe(true);
    expect((await limiter.consume('k', policy)).allowed).toBe(false);
    policy.limit = 2;
    expect(await limiter.consume('k', policy)).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
  });

  it('allows again once the window has passed', async () => {
    const policy = { limit: 2, windowSeconds: 1 };
    expect((await consumeTimes('k', policy, 3)).map((d) => d.allowed)).toEqual([true, true, false]);
    await sleep(1100);
    expect((await consumeTimes('k', policy, 3)).map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('burst: spends a reserve on top of the limit that does not refill with every window', async () => {
    const policy = { limit: 2, windowSeconds: 1, burst: 3, burstWindowSeconds: 30 };
    const spike = await consumeTimes('k', policy, 6);
    expect(spike.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    // Requests taken from the reserve leave no steady allowance to advertise.
    expect(spike.map((d) => d.remaining)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(spike[5]!.retryAfterSeconds).toBe(1);

    await sleep(1100);
    // The steady allowance is back, the reserve is not (it refills every 30 s).
    expect((await consumeTimes('k', policy, 3)).map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('refund gives back the point an allowed decision took', async () => {
    const policy = { limit: 2, windowSeconds: 60 };
    const [, second] = await consumeTimes('k', policy, 2);

    await limiter.refund('k', policy, second!);
    expect((await consumeTimes('k', policy, 2)).map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 0],
      [false, 0],
    ]);
  });

  it('refund gives a point from the burst reserve back to the reserve', async () => {
    const policy = { limit: 1, windowSeconds: 60, burst: 1, burstWindowSeconds: 600 };
    const [, fromReserve] = await consumeTimes('k', policy, 2);
    expect(fromReserve).toMatchObject({ allowed: true, granted: { counter: 'burst' } });

    await limiter.refund('k', policy, fromReserve!);
    expect((await consumeTimes('k', policy, 2)).map((d) => d.allowed)).toEqual([true, false]);
  });

  it('a refund that comes after its window ended does not credit the next window', async () => {
    const policy = { limit: 1, windowSeconds: 1 };
    const [late] = await consumeTimes('k', policy, 1);
    await sleep(1100);

    await limiter.refund('k', policy, late!);
    expect((await consumeTimes('k', policy, 2)).map((d) => d.allowed)).toEqual([true, false]);
  });

  it('rejects a policy Redis could not honour instead of silently never expiring', async () => {
    await expect(limiter.consume('k', { limit: 0, windowSeconds: 60 })).rejects.toThrow(/limit must be a positive integer/);
    await expect(limiter.consume('k', { limit: 5, windowSeconds: 0.5 })).rejects.toThrow(/windowSeconds must be a positive integer/);
    await expect(limiter.consume('k', { limit: 5, windowSeconds: 60, burst: -1 })).rejects.toThrow(/burst must be/);
    await expect(limiter.consume('k', { limit: 5, windowSeconds: 60, burst: 1, burstWindowSeconds: 10 })).rejects.toThrow(/burstWindowSeconds/);
  });

  it('counts decisions by outcome in the registry it was given', async () => {
    await consumeTimes('k', { limit: 1, windowSeconds: 60 }, 3);
    const metric = await registry.getSingleMetric(rateLimitMetricNames.decisions)!.get();
    const count = (outcome: string) =>
      metric.values.find((value) => value.labels.outcome === outcome && value.labels.degraded === 'false')?.value;
    expect(count('allowed')).toBe(1);
    expect(count('refused')).toBe(2);
    // In-process limits have nothing to fall back from.
    expect((await registry.getSingleMetric(rateLimitMetricNames.fallbacks)!.get()).values[0]!.value).toBe(0);
  });

  it('is ready at once without Redis', async () => {
    await expect(limiter.ready()).resolves.toBe(true);
  });
});
