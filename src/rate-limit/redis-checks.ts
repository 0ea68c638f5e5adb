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
 * 0, 0 when it was not asked; then how many points the steady counter took.
 *
 * A check may ask for more than one point of the steady counter (a lease:
 * `quota-leases.ts`): it then takes as many as the window still has room
 * for, up to what it asked and never past the limit, or one point when there
 * is no room left (the refusal, counted as a single request would be).
 *
 * ARGV per check: steady limit, steady window (s), burst window (s, "0": no
 * reserve), steady points wanted. KEYS per check: the steady key, then the
 * reserve's if any.
 */
const takeScript = `
local function take(key, seconds, points)
  redis.call('set', key, 0, 'EX', seconds, 'NX')
  local consumed = redis.call('incrby', key, points)
  local ttl = redis.call('pttl', key)
  if ttl == -1 then
    redis.call('expire', key, seconds)
    ttl = 1000 * seconds
  end
  return consumed, ttl
end
local reply = {}
local k = 1
for i = 1, #ARGV, 4 do
  local limit = tonumber(ARGV[i])
  local points = 1
  local wanted = tonumber(ARGV[i + 3])
  if wanted > 1 then
    local room = limit - (tonumber(redis.call('get', KEYS[k]) or '0') or limit)
    if room > 1 then points = math.min(wanted, room) end
  end
  local consumed, ttl = take(KEYS[k], ARGV[i + 1], points)
  k = k + 1
  local burstConsumed, burstTtl = 0, 0
  if ARGV[i + 2] ~= '0' then
    if consumed > limit then
      burstConsumed, burstTtl = take(KEYS[k], ARGV[i + 2], 1)
    end
    k = k + 1
  end
  reply[#reply + 1] = consumed
  reply[#reply + 1] = ttl
  reply[#reply + 1] = burstConsumed
  reply[#reply + 1] = burstTtl
  reply[#reply + 1] = points
end
return reply
`;

/** What Redis counted for one check: the steady counter's result, and the reserve's when the steady limit was exceeded. */
export interface RedisTake {
  steady: RateLimiterRes;
  burst?: RateLimiterRes;
  /** Points the steady counter took: 1, or up to the points asked for (a lease) while the window had room. */
  steadyPoints: number;
}

/**
 * Takes a point for `key` from `steady` and, if that refuses, from `burst`,
 * in Redis: the counters are rate-limiter-flexible's (their keys, limits and
 * windows). Returns undefined without asking when the connection is not
 * ready; the promise rejects when the command fails or times out. Either
 * way the caller decides with the local fallback, as rate-limiter-flexible's
 * `insuranceLimiter` would.
 */
export type RedisChecks = (key: string, steady: RateLimiterRedis, burst: RateLimiterRedis | undefined, steadyPointsWanted?: number) => Promise<RedisTake> | undefined;

interface Pending {
  key: string;
  steady: RateLimiterRedis;
  burst: RateLimiterRedis | undefined;
  wanted: number;
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
      for (const { key, steady, burst, wanted } of pending) {
        keys.push(steady.getKey(key));
        if (burst) keys.push(burst.getKey(key));
        args.push(String(steady.points), String(steady.duration), burst ? String(burst.duration) : '0', String(wanted));
      }
      scripted.lgspTakeQuotaPoints(keys.length, ...keys, ...args).then(
        (reply) => settle(pending, reply),
        (error: unknown) => rejectAll(pending, error),
      );
    } catch (error) {
      rejectAll(pending, error);
    }
  };

  return (key, steady, burst, wanted = 1) => {
    if (client.status !== 'ready') return undefined;
    const taken = new Promise<RedisTake>((resolve, reject) => batch.push({ key, steady, burst, wanted, resolve, reject }));
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
    if (!Array.isArray(reply) || reply.length !== pending.length * replyWidth) throw new Error(`unexpected reply to the quota script: ${String(reply)}`);
    pending.forEach(({ steady, burst, resolve }, index) => {
      const at = index * replyWidth;
      const [consumed, ttl, burstConsumed, burstTtl, steadyPoints] = reply.slice(at, at + replyWidth) as [number, number, number, number, number];
      const steadyResult = result(steady, consumed, ttl, steadyPoints);
      resolve(burst && burstConsumed > 0 ? { steady: steadyResult, burst: result(burst, burstConsumed, burstTtl, 1), steadyPoints } : { steady: steadyResult, steadyPoints });
    });
  } catch (error) {
    // Settled promises ignore a second settlement: only the ones not resolved yet take the error.
    rejectAll(pending, error);
  }
}

function rejectAll(pending: Pending[], error: unknown): void {
  for (const { reject } of pending) reject(error);
}

/** Integers per check in the script's reply. */
const replyWidth = 5;

/** The result RateLimiterRedis makes of the same counter values (`_getRateLimiterRes`); `points` taken at once, for a lease. */
function result(counter: RateLimiterRedis, consumed: number, ttl: number, points: number): RateLimiterRes {
  return new RateLimiterRes(Math.max(counter.points - consumed, 0), ttl, consumed, consumed === points);
}
