import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { createRateLimiter, type RateDecision, type RateLimiter, type RatePolicy } from './rate-limiter.js';
import { startReplicaProcess, type ReplicaProcess } from './test-support/replica-process.js';
import { sharedRedisUrl } from './test-support/throwaway-redis.js';

/**
 * Against the Redis the test machine runs (never stopped here): each test
 * writes under a key prefix of its own, removed afterwards.
 */
describe('rate limiter shared through Redis', () => {
  const filePrefix = `lgsp-test:rl:${randomBytes(4).toString('hex')}`;
  let testNumber = 0;
  let keyPrefix: string;
  const opened: RateLimiter[] = [];
  const admin = new Redis(sharedRedisUrl, { lazyConnect: true });

  /** A gateway replica: its own limiter with its own ioredis connection, on the shared prefix. */
  const replica = async (): Promise<RateLimiter> => {
    // A generous command timeout: on a loaded machine a 250 ms timeout would make exact counts fall back to local decisions.
    const limiter = createRateLimiter({ redis: { url: sharedRedisUrl, keyPrefix, commandTimeoutMs: 3000 }, logger: captureLogger().logger });
    opened.push(limiter);
    expect(await limiter.ready(5000)).toBe(true);
    return limiter;
  };
  const allowedCount = (decisions: RateDecision[]) => decisions.filter((decision) => decision.allowed).length;
  const fire = (limiter: RateLimiter, key: string, policy: RatePolicy, times: number) =>
    Promise.all(Array.from({ length: times }, () => limiter.consume(key, policy)));

  beforeAll(() => admin.connect());
  beforeEach(() => {
    testNumber += 1;
    keyPrefix = `${filePrefix}:${testNumber}`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
  });
  afterAll(async () => {
    const keys = await admin.keys(`${filePrefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('enforces the limit with its counters in Redis', async () => {
    const limiter = await replica();
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.consume('consumer:one-stop', { limit: 3, windowSeconds: 60 }));

    expect(limiter.mode).toBe('redis');
    expect(decisions.map((d) => [d.allowed, d.remaining, d.degraded])).toEqual([
      [true, 2, false],
      [true, 1, false],
      [true, 0, false],
      [false, 0, false],
    ]);
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    const [key] = await admin.keys(`${keyPrefix}:*`);
    expect(key).toBe(`${keyPrefix}:3/60s:consumer:one-stop`);
    expect(await admin.get(key!)).toBe('4');
    expect(await admin.ttl(key!)).toBeGreaterThan(55);
  });

  it('two replicas on separate connections share one limit exactly under concurrency', async () => {
    const [first, second] = [await replica(), await replica()];
    const policy = { limit: 50, windowSeconds: 60 };

    // Waves of concurrent requests from both replicas at once: the second wave races for the last 10 of the quota.
    const decisions: RateDecision[][] = [[], []];
    for (let wave = 0; wave < 4; wave += 1) {
      const [fromFirst, fromSecond] = await Promise.all([fire(first, 'shared', policy, 20), fire(second, 'shared', policy, 20)]);
      decisions[0]!.push(...fromFirst);
      decisions[1]!.push(...fromSecond);
    }

    expect(allowedCount(decisions[0]!) + allowedCount(decisions[1]!)).toBe(50);
    expect(allowedCount(decisions[0]!)).toBeGreaterThanOrEqual(20);
    expect(allowedCount(decisions[1]!)).toBeGreaterThanOrEqual(20);
    expect(decisions.flat().some((decision) => decision.degraded)).toBe(false);
  });

  it('shares the burst reserve across replicas too', async () => {
    const [first, second] = [await replica(), await replica()];
    const policy = { limit: 10, windowSeconds: 60, burst: 5 };

    const [fromFirst, fromSecond] = await Promise.all([fire(first, 'spiky', policy, 20), fire(second, 'spiky', policy, 20)]);

    expect(allowedCount(fromFirst) + allowedCount(fromSecond)).toBe(15);
    expect(await admin.get(`${keyPrefix}:burst:5/600s:spiky`)).not.toBeNull();
  });

  it('refund takes the point back off the Redis counter that granted it, steady or burst', async () => {
    const [first, second] = [await replica(), await replica()];
    const policy = { limit: 1, windowSeconds: 60, burst: 2 };
    const [fromSteady, fromReserve] = [await first.consume('k', policy), await first.consume('k', policy)];
    expect([fromSteady.granted?.counter, fromReserve.granted?.counter]).toEqual(['steady', 'burst']);

    // Refunded by another replica: the decision says where the point was counted, the counter is shared.
    await Promise.all([second.refund('k', policy, fromSteady), second.refund('k', policy, fromReserve)]);

    expect(await admin.get(`${keyPrefix}:1/60s:k`)).toBe('1');
    expect(await admin.get(`${keyPrefix}:burst:2/600s:k`)).toBe('0');
  });

  it("decides each check of a batch as the in-process limiter does, whatever the mix of keys and policies", async () => {
    const limiter = await replica();
    const reference = createRateLimiter({ logger: captureLogger().logger });
    opened.push(reference);
    const checks: Array<[string, RatePolicy]> = [
      ['consumer:a', { limit: 3, windowSeconds: 60, burst: 2 }],
      ['grant:a:x', { limit: 2, windowSeconds: 60 }],
      ['consumer:a', { limit: 3, windowSeconds: 60, burst: 2 }],
      ['consumer:b', { limit: 1, windowSeconds: 30, burst: 1, burstWindowSeconds: 60 }],
      ['grant:a:y', { limit: 4, windowSeconds: 60 }],
      ['consumer:b', { limit: 1, windowSeconds: 30, burst: 1, burstWindowSeconds: 60 }],
    ];
    const shape = (decision: RateDecision) => [decision.allowed, decision.remaining, decision.granted?.counter, decision.retryAfterSeconds !== undefined, decision.degraded];

    // Each wave is one tick's worth of checks (one script call for the Redis limiter); later waves find counters spent.
    for (let wave = 0; wave < 4; wave += 1) {
      const fromRedis = await Promise.all(checks.map(([key, policy]) => limiter.consume(key, policy)));
      const inProcess = await Promise.all(checks.map(([key, policy]) => reference.consume(key, policy)));
      expect(fromRedis.map(shape)).toEqual(inProcess.map(shape));
    }
  });

  it('lets the local fallback decide the checks of a script call Redis refuses to run', async () => {
    const limiter = await replica();
    const policy = { limit: 3, windowSeconds: 60 };
    // Not a number: the increment fails inside the script, and with it the call that carries both checks.
    await admin.set(`${keyPrefix}:3/60s:broken`, 'not-a-count');

    const [broken, healthy] = await Promise.all([limiter.consume('broken', policy), limiter.consume('healthy', policy)]);

    expect([broken, healthy].map((decision) => [decision.allowed, decision.degraded])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect((await limiter.consume('healthy', policy)).degraded).toBe(false);
  });

  it('opens a new window once the old one has expired in Redis', async () => {
    const [first, second] = [await replica(), await replica()];
    const policy = { limit: 2, windowSeconds: 1 };
    await fire(first, 'k', policy, 2);
    expect((await second.consume('k', policy)).allowed).toBe(false);

    await sleep(1100);
    expect((await second.consume('k', policy)).allowed).toBe(true);
  });

  describe('across OS processes', () => {
    const processes: ReplicaProcess[] = [];
    afterEach(async () => {
      await Promise.all(processes.splice(0).map((process) => process.kill()));
    });

    it('two gateway processes on one Redis allow exactly the limit between them', async () => {
      const config = { redisUrl: sharedRedisUrl, keyPrefix, key: 'consumer:district-7', policy: { limit: 40, windowSeconds: 60, burst: 10 }, requests: 60 };
      processes.push(...(await Promise.all([startReplicaProcess(config), startReplicaProcess(config)])));
      expect(processes.map((process) => process.connected)).toEqual([true, true]);

      const results = await Promise.all(processes.map((process) => process.go()));

      expect(results[0]!.allowed + results[1]!.allowed).toBe(50);
      expect(results[0]!.refused + results[1]!.refused).toBe(70);
      expect(results.map((result) => result.degraded)).toEqual([0, 0]);
    });
  });
});
