import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { captureLogger, type CapturedLogger } from '../store/test-support/capture-logger.js';
import { rateLimitMetricNames } from './rate-limit-metrics.js';
import { createRateLimiter, type RateDecision, type RateLimiter } from './rate-limiter.js';
import { startThrowawayRedis, type ThrowawayRedis } from './test-support/throwaway-redis.js';

/**
 * Redis outages, played on a private redis-server this file starts and kills
 * (the shared one on 6379 is never touched).
 */
describe('rate limiter when Redis is unreachable', () => {
  const servers: ThrowawayRedis[] = [];
  const limiters: RateLimiter[] = [];
  const clients: Redis[] = [];

  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((limiter) => limiter.close()));
    clients.splice(0).forEach((client) => client.disconnect());
    await Promise.all(servers.splice(0).map((server) => server.kill()));
  });

  const startServer = async (port?: number) => {
    const server = await startThrowawayRedis(port);
    servers.push(server);
    return server;
  };
  const metricValue = async (registry: Registry, name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;
  const timedConsume = async (limiter: RateLimiter, key: string, policy: { limit: number; windowSeconds: number }) => {
    const started = performance.now();
    const decision = await limiter.consume(key, policy);
    return { decision, ms: performance.now() - started };
  };
  const eventually = async (check: () => Promise<void>, timeoutMs = 2000) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await sleep(20);
      }
    }
  };
  const warnings = (log: CapturedLogger) =>
    log.text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: string; msg: string }).filter((line) => line.level === 'warn');

  it('falls back to a local limit at once when Redis dies, counts and warns once, and goes global again when it is back', async () => {
    let server = await startServer();
    const log = captureLogger();
    const registry = new Registry();
    // Long timeouts on purpose: a decision that waited for Redis in any way would take seconds, not milliseconds.
    const limiter = createRateLimiter({
      redis: { url: server.url, keyPrefix: 'outage', connectTimeoutMs: 3000, commandTimeoutMs: 3000 },
      logger: log.logger,
      metrics: registry,
      replicas: 2,
    });
    limiters.push(limiter);
    const policy = { limit: 6, windowSeconds: 60 };

    expect(await limiter.ready(5000)).toBe(true);
    expect(await metricValue(registry, rateLimitMetricNames.redisConnected)).toBe(1);
    const before = await timedConsume(limiter, 'consumer:a', policy);
    expect(before.decision).toMatchObject({ allowed: true, degraded: false, remaining: 5 });

    await server.kill();
    const during: Array<{ decision: RateDecision; ms: number }> = [];
    for (let i = 0; i < 5; i += 1) during.push(await timedConsume(limiter, 'consumer:a', policy));

    // Every decision still comes, from the local fallback, which allows this replica's share (6 / 2 replicas).
    expect(during.map(({ decision }) => [decision.allowed, decision.degraded])).toEqual([
      [true, true],
      [true, true],
      [true, true],
      [false, true],
      [false, true],
    ]);
    expect(during[3]!.decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Without waiting for the 3 s connect or command timeout.
    const slowest = Math.max(...during.map(({ ms }) => ms));
    expect(slowest).toBeLessThan(1000);
    expect(await metricValue(registry, rateLimitMetricNames.fallbacks)).toBe(5);
    // ioredis notices the closed socket a moment after its writes start failing.
    await eventually(async () => expect(await metricValue(registry, rateLimitMetricNames.redisConnected)).toBe(0));
    const fallbackWarnings = warnings(log).filter((line) => line.msg.includes('local fallback'));
    expect(fallbackWarnings).toHaveLength(1);

    server = await startServer(server.port);
    expect(await limiter.ready(5000)).toBe(true);
    const after = await timedConsume(limiter, 'consumer:a', policy);
    // Redis came back empty (a fresh server), so the shared count starts again.
    expect(after.decision).toMatchObject({ allowed: true, degraded: false, remaining: 5 });
    expect(await metricValue(registry, rateLimitMetricNames.fallbacks)).toBe(5);
    expect(await metricValue(registry, rateLimitMetricNames.redisConnected)).toBe(1);
    expect(log.messages()).toContain('rate limiter: Redis reachable again, limits are shared across replicas again');
    // The limiter never logs where Redis is (the URL may carry a password).
    expect(log.text()).not.toContain(server.url);
  });

  it('gives a refunded point back where it was counted: to the fallback during an outage, never a Redis point to the fallback', async () => {
    const server = await startServer();
    const registry = new Registry();
    const limiter = createRateLimiter({ redis: { url: server.url, keyPrefix: 'refund' }, logger: captureLogger().logger, metrics: registry, replicas: 2 });
    limiters.push(limiter);
    // The fallback's share is 1 of the 2.
    const policy = { limit: 2, windowSeconds: 60 };
    expect(await limiter.ready(5000)).toBe(true);
    const countedInRedis = await limiter.consume('k', policy);
    expect(countedInRedis).toMatchObject({ allowed: true, degraded: false });

    await server.kill();
    await eventually(async () => expect(await metricValue(registry, rateLimitMetricNames.redisConnected)).toBe(0));
    // Redis cannot take this point back; the fallback never counted it, so it must not be credited there.
    await limiter.refund('k', policy, countedInRedis);
    const countedLocally = await limiter.consume('k', policy);
    expect(countedLocally).toMatchObject({ allowed: true, degraded: true });
    await limiter.refund('k', policy, countedLocally);

    const after = [await limiter.consume('k', policy), await limiter.consume('k', policy)];
    expect(after.map((decision) => [decision.allowed, decision.degraded])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it('decides locally when Redis is up but stalled, after the command timeout', async () => {
    const server = await startServer();
    const registry = new Registry();
    const limiter = createRateLimiter({
      redis: { url: server.url, keyPrefix: 'stall', commandTimeoutMs: 200 },
      logger: captureLogger().logger,
      metrics: registry,
    });
    limiters.push(limiter);
    expect(await limiter.ready(5000)).toBe(true);
    const admin = new Redis(server.url);
    clients.push(admin);

    // The server stops answering for 3 s: every connection stays open, nothing comes back.
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    const stalled = await timedConsume(limiter, 'k', { limit: 5, windowSeconds: 60 });

    expect(stalled.decision).toMatchObject({ allowed: true, degraded: true });
    expect(stalled.ms).toBeLessThan(2000);
    expect(await metricValue(registry, rateLimitMetricNames.fallbacks)).toBe(1);
  });

  it('decides locally from the first request when Redis was never reachable', async () => {
    const server = await startServer();
    await server.kill();
    const limiter = createRateLimiter({ redis: { url: server.url, connectTimeoutMs: 3000 }, logger: captureLogger().logger });
    limiters.push(limiter);

    const first = await timedConsume(limiter, 'k', { limit: 1, windowSeconds: 60 });
    const second = await timedConsume(limiter, 'k', { limit: 1, windowSeconds: 60 });

    expect([first.decision.allowed, second.decision.allowed]).toEqual([true, false]);
    expect(first.decision.degraded && second.decision.degraded).toBe(true);
    expect(Math.max(first.ms, second.ms)).toBeLessThan(1000);
    expect(await limiter.ready(300)).toBe(false);
  });
});
