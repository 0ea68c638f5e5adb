import type { Redis } from 'ioredis';
import { RateLimiterRes, type RateLimiterRedis } from 'rate-limiter-flexible';

/**
 * For each check: rate-limiter-flexible's own increment (RateLimiterRedis's
 * `incrTtlLuaScript`, one point, the counter's window as its expiry) on the
 * steady counter and, only when that exceeds the steady limit, on the burst
 * reserve — the composition `policy-limiter.ts` applies to the local
 * counters, here in one atomic call for every check of the batch (the
 * increment as rate-limiter-flexible 11.4's; `rate-limiter.redis.test.ts`
 * holds it to the same decisions). Per check the reply holds four
 * integers: the steady counter's points and TTL (ms), then the reserve's, or
 * 0, 0 when it was not asked.
 *
 * ARGV per check: steady limit, steady window (s), burst window (s, "0": no
 * reserve). KEYS per check: the steady key, then the reserve's if any.
 */
const takeScript = `
local function take(key, seconds)
  redis.call('set', key, 0, 'EX', seconds, 'NX')
  local consumed = redis.call('incrby', key, 1)
  local ttl = redis.call('pttl', key)
  if ttl == -1 then
    redis.call('expire', key, seconds)
    ttl = 1000 * seconds
  end
  return consumed, ttl
end
local reply = {}
local k = 1
for i = 1, #ARGV, 3 do
  local consumed, ttl = take(KEYS[k], ARGV[i + 1])
  k = k + 1
  local burstConsumed, burstTtl = 0, 0
  if ARGV[i + 2] ~= '0' then
    if consumed > tonumber(ARGV[i]) then
      burstConsumed, burstTtl = take(KEYS[k], ARGV[i + 2])
    end
    k = k + 1
  end
  reply[#reply + 1] = consumed
  reply[#reply + 1] = ttl
  reply[#reply + 1] = burstConsumed
  reply[#reply + 1] = burstTtl
end
return reply
`;

/** What Redis counted for one check: the steady counter's result, and the reserve's when the steady limit was exceeded. */
export interface RedisTake {
  steady: RateLimiterRes;
  burst?: RateLimiterRes;
}

/**
 * Takes a point for `key` from `steady` and, if that refuses, from `burst`,
 * in Redis: the counters are rate-limiter-flexible's (their keys, limits and
 * windows). Returns undefined without asking when the connection is not
 * ready; the promise rejects when the command fails or times out. Either
 * way the caller decides with the local fallback, as rate-limiter-flexible's
 * `insuranceLimiter` would.
 */
export type RedisChecks = (key: string, steady: RateLimiterRedis, burst: RateLimiterRedis | undefined) => Promise<RedisTake> | undefined;

interface Pending {
  key: string;
  steady: RateLimiterRedis;
  burst: RateLimiterRedis | undefined;
  resolve(take: RedisTake): void;
  reject(error: unknown): void;
}

type ScriptedRedis = Redis & { lgspTakeQuotaPoints(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number[]> };

/**
 * Gathers the checks asked for in one tick — a request's consumer and grant
 * quotas are asked for together — and sends them as one script call at the
 * end of the tick: one command, one write and one reply for the request
 * instead of a command per counter.
 */
export function createRedisChecks(client: Redis, maxChecksPerCall = 256): RedisChecks {
  client.defineCommand('lgspTakeQuotaPoints', { lua: takeScript });
  const scripted = client as ScriptedRedis;
  let batch: Pending[] = [];
  let scheduled = false;

  const send = () => {
    scheduled = false;
    const pending = batch;
    batch = [];
    if (pending.length === 0) return;
    try {
      const keys: string[] = [];
      const args: string[] = [];
      for (const { key, steady, burst } of pending) {
        keys.push(steady.getKey(key));
        if (burst) keys.push(burst.getKey(key));
        args.push(String(steady.points), String(steady.duration), burst ? String(burst.duration) : '0');
      }
      scripted.lgspTakeQuotaPoints(keys.length, ...keys, ...args).then(
        (reply) => settle(pending, reply),
        (error: unknown) => rejectAll(pending, error),
      );
    } catch (error) {
      rejectAll(pending, error);
    }
  };

  return (key, steady, burst) => {
    if (client.status !== 'ready') return undefined;
    const taken = new Promise<RedisTake>((resolve, reject) => batch.push({ key, steady, burst, resolve, reject }));
    if (batch.length >= maxChecksPerCall) {
      // A script blocks Redis while it runs: a burst of checks in one tick goes in calls of a bounded size.
      send();
    } else if (!scheduled) {
      scheduled = true;
      process.nextTick(send);
    }
    return taken;
  };
}

function settle(pending: Pending[], reply: number[]): void {
  try {
    if (!Array.isArray(reply) || reply.length !== pending.length * 4) throw new Error(`unexpected reply to the quota script: ${String(reply)}`);
    pending.forEach(({ steady, burst, resolve }, index) => {
      const [consumed, ttl, burstConsumed, burstTtl] = reply.slice(index * 4, index * 4 + 4) as [number, number, number, number];
      resolve(burst && burstConsumed > 0 ? { steady: result(steady, consumed, ttl), burst: result(burst, burstConsumed, burstTtl) } : { steady: result(steady, consumed, ttl) });
    });
  } catch (error) {
    // Settled promises ignore a second settlement: only the ones not resolved yet take the error.
    rejectAll(pending, error);
  }
}

function rejectAll(pending: Pending[], error: unknown): void {
  for (const { reject } of pending) reject(error);
}

/** The result RateLimiterRedis makes of the same counter values (`_getRateLimiterRes`). */
function result(counter: RateLimiterRedis, consumed: number, ttl: number): RateLimiterRes {
  return new RateLimiterRes(Math.max(counter.points - consumed, 0), ttl, consumed, consumed === 1);
}
