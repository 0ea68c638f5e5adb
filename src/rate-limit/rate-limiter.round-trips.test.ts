import { Redis } from 'ioredis';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { createRateLimiter, type RateDecision, type RateLimiter } from './rate-limiter.js';
import { startThrowawayRedis, type ThrowawayRedis } from './test-support/throwaway-redis.js';

/**
 * What a request's quota checks cost on the wire, counted by a private
 * redis-server of this file's own (no other client's traffic): its socket
 * reads and writes and the scripts it ran (INFO stats and commandstats).
 */
describe('rate limiter round trips to Redis', () => {
  let server: ThrowawayRedis;
  let admin: Redis;
  let limiter: RateLimiter;
  let testNumber = 0;

  beforeAll(async () => {
    server = await startThrowawayRedis();
    admin = new Redis(server.url);
    // The admin connection's own handshake (ready check) must not land inside the first measured window.
    await admin.ping();
  });
  beforeEach(async () => {
    testNumber += 1;
    limiter = createRateLimiter({ redis: { url: server.url, keyPrefix: `test-${testNumber}`, commandTimeoutMs: 3000 }, logger: captureLogger().logger });
    expect(await limiter.ready(5000)).toBe(true);
  });
  afterEach(() => limiter.close());
  afterAll(async () => {
    admin.disconnect();
    await server.kill();
  });

  /** The server's socket reads and writes and the commands it ran while `work` ran, less the two INFO commands that count them. */
  const serverWork = async (work: () => Promise<unknown>) => {
    const stats = async () => {
      const info = (await admin.call('INFO', 'stats', 'commandstats')) as string;
      const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      const calls = (command: string) => Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      return { reads: field('total_reads_processed'), writes: field('total_writes_processed'), scripts: calls('evalsha') + calls('eval') };
    };
    const before = await stats();
    await work();
    const after = await stats();
    // The second INFO's request is counted, and so is the first one's reply.
    return { reads: after.reads - before.reads - 1, writes: after.writes - before.writes - 1, scripts: after.scripts - before.scripts };
  };

  const consumerPolicy = { limit: 100, windowSeconds: 60, burst: 10 };
  const grantPolicy = { limit: 2, windowSeconds: 60 };
  const requestChecks = () => Promise.all([limiter.consume('consumer:one-stop', consumerPolicy), limiter.consume('grant:one-stop:op', grantPolicy)]);

  it("sends a request's checks in one script call, one write, answered in one", async () => {
    // The first command on a connection carries the whole Lua script (EVAL); later ones its hash.
    await requestChecks();

    const decisions: Array<[boolean, boolean]> = [];
    const requests = 10;
    const work = await serverWork(async () => {
      for (let i = 0; i < requests; i += 1) decisions.push(...(await requestChecks()).map((decision): [boolean, boolean] => [decision.allowed, decision.degraded]));
    });

    expect(work).toEqual({ reads: requests, writes: requests, scripts: requests });
    // The grant's quota (2) was spent by the second request: the calls still decided each check apart.
    expect(decisions.slice(0, 4)).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [false, false],
    ]);
  });

  it('sends a burst of checks in one tick in calls of at most 256 checks, counting each exactly', async () => {
    await requestChecks();
    const policy = { limit: 250, windowSeconds: 60, burst: 10 };
    let decisions: Array<{ allowed: boolean; degraded: boolean }> = [];

    const work = await serverWork(async () => {
      decisions = await Promise.all(Array.from({ length: 300 }, () => limiter.consume('busy', policy)));
    });

    expect(work.scripts).toBe(2);
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(260);
    expect(decisions.some((decision) => decision.degraded)).toBe(false);
  });

  it('asks the burst reserve in the same call, only once the steady allowance is spent', async () => {
    const policy = { limit: 1, windowSeconds: 60, burst: 1 };
    await limiter.consume('warm-up', policy);

    const work = await serverWork(async () => {
      const decisions = [await limiter.consume('k', policy), await limiter.consume('k', policy), await limiter.consume('k', policy)];
      expect(decisions.map((decision) => [decision.allowed, decision.granted?.counter])).toEqual([
        [true, 'steady'],
        [true, 'burst'],
        [false, undefined],
      ]);
    });

    expect(work).toEqual({ reads: 3, writes: 3, scripts: 3 });
    expect(await admin.get(`test-${testNumber}:burst:1/600s:k`)).toBe('2');
  });

  describe('with quota leases (a busy key takes a block of its allowance at once)', () => {
    let leasing: RateLimiter;
    afterEach(() => leasing?.close());
    const leasingLimiter = async (prefix: string, leasePercent = 1, replicas = 1) => {
      const made = createRateLimiter({ redis: { url: server.url, keyPrefix: prefix, commandTimeoutMs: 3000 }, replicas, leasePercent, logger: captureLogger().logger });
      expect(await made.ready(5000)).toBe(true);
      return made;
    };

    it('asks Redis about once per lease for a busy key, and counts in Redis no more than the lease ahead of what it granted', async () => {
      leasing = await leasingLimiter(`lease-${testNumber}`);
      const policy = { limit: 6000, windowSeconds: 60 };
      await leasing.consume('warm-up', policy);
      const decisions: RateDecision[] = [];
      const work = await serverWork(async () => {
        for (let i = 0; i < 600; i += 1) decisions.push(await leasing.consume('busy', policy));
        // Let a refill asked in the background land.
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
      expect(decisions.every((decision) => decision.allowed && !decision.degraded)).toBe(true);
      // 60 points per lease (1 % of 6000): about ten script calls instead of 600.
      expect(work.scripts).toBeGreaterThanOrEqual(10);
      expect(work.scripts).toBeLessThanOrEqual(14);
      const counted = Number(await admin.get(`lease-${testNumber}:6000/60s:busy`));
      expect(counted).toBeGreaterThanOrEqual(600);
      expect(counted).toBeLessThanOrEqual(600 + 2 * 60);
      expect(decisions.at(-1)!.remaining).toBe(6000 - 600);
    });

    it('never grants past the limit, and leaves at most two leases per replica unused, with replicas competing for one key', async () => {
      const policy = { limit: 400, windowSeconds: 60 };
      // 5 % of 400 split between 2 replicas: leases of 10 points.
      const replicas = [await leasingLimiter(`shared-${testNumber}`, 5, 2), await leasingLimiter(`shared-${testNumber}`, 5, 2)];
      try {
        let allowed = 0;
        for (let round = 0; round < 30; round += 1) {
          const decisions = await Promise.all(replicas.flatMap((replica) => Array.from({ length: 20 }, () => replica.consume('contended', policy))));
          allowed += decisions.filter((decision) => decision.allowed).length;
          expect(decisions.some((decision) => decision.degraded)).toBe(false);
        }
        expect(allowed).toBeLessThanOrEqual(400);
        expect(allowed).toBeGreaterThanOrEqual(400 - 2 * 2 * 10);
      } finally {
        await Promise.all(replicas.map((replica) => replica.close()));
      }
    });

    it('gives a refunded leased point back to the lease, not to Redis', async () => {
      leasing = await leasingLimiter(`refund-${testNumber}`);
      const policy = { limit: 6000, windowSeconds: 60 };
      await leasing.consume('k', policy);
      await leasing.consume('k', policy);
      const leased = await leasing.consume('k', policy);
      expect(leased.granted?.leased).toBe(true);
      const before = await admin.get(`refund-${testNumber}:6000/60s:k`);
      const work = await serverWork(() => leasing.refund('k', policy, leased));
      expect(work.scripts).toBe(0);
      expect(await admin.get(`refund-${testNumber}:6000/60s:k`)).toBe(before);
    });

    it('keeps the exact count for a key seen rarely, and below 2 points per lease', async () => {
      leasing = await leasingLimiter(`rare-${testNumber}`);
      const small = { limit: 100, windowSeconds: 60 };
      const work = await serverWork(async () => {
        for (let i = 0; i < 5; i += 1) await leasing.consume('small', small);
      });
      expect(work.scripts).toBe(5);
      expect(await admin.get(`rare-${testNumber}:100/60s:small`)).toBe('5');
    });
  });
});
