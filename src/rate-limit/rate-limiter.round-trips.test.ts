import { Redis } from 'ioredis';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
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
});
