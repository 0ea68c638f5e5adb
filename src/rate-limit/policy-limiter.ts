import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { FallbackLimiter, newDecisionTrace, refundOfRedisPoint } from './fallback-limiter.js';
import { QuotaLeases, leasePoints, type SteadyAnswer } from './quota-leases.js';
import type { RedisChecks, RedisTake } from './redis-checks.js';

/** A rate policy with every default filled in and checked (see `RatePolicy`). */
export interface NormalizedPolicy {
  limit: number;
  windowSeconds: number;
  burst: number;
  burstWindowSeconds: number;
}

/** The point an allowed request took, described so that exactly that point can be given back. */
export interface GrantedPoint {
  /** Which counter granted it: the steady allowance, or the burst reserve once the steady allowance was spent. */
  counter: 'steady' | 'burst';
  /** Counted by the local fallback (Redis could not be asked), not in the shared store. */
  byFallback: boolean;
  /** When the window it was counted in ends (epoch ms): given back later, it would credit the next window instead. */
  windowEndsAt: number;
  /** Granted from this replica's lease of the steady allowance (quota-leases.ts): given back to the lease, not to Redis. */
  leased?: boolean;
}

export interface PolicyOutcome {
  allowed: boolean;
  result: RateLimiterRes;
  /** Some counter was decided by the local fallback. */
  degraded: boolean;
  /** Only when allowed. */
  granted?: GrantedPoint;
}

/** Every key under one policy: a steady counter and, with `burst`, a reserve behind it. */
export interface PolicyLimiter {
  consume(key: string): Promise<PolicyOutcome>;
  /** Gives back a point `consume` granted (best effort: a point Redis counted stays counted while Redis cannot be asked). */
  refund(key: string, granted: GrantedPoint): Promise<void>;
}

interface Counter {
  /** Decides in this process: the counter itself in embedded mode; with Redis, its fallback, for when Redis cannot be asked. */
  local: RateLimiterMemory;
  /** With Redis, the shared counter: checks reach it through `RedisChecks`, refunds through rate-limiter-flexible's `reward`. */
  redis?: RateLimiterRedis;
}

interface Take {
  allowed: boolean;
  result: RateLimiterRes;
  byFallback: boolean;
  takenAt: number;
}

/**
 * The steady counter first; once it refuses, the burst reserve decides — the
 * composition of rate-limiter-flexible's BurstyRateLimiter, done here because
 * BurstyRateLimiter cannot say which counter granted a point (nor whether the
 * fallback did), and a refund has to give it back to that very counter.
 * With Redis, both steps are one call of `checks` (one script, batched with
 * the request's other checks); when Redis cannot be asked, the fallback
 * counters take the same two steps locally.
 */
export function buildPolicyLimiter(
  policy: NormalizedPolicy,
  deps: { client: Redis | undefined; checks: RedisChecks | undefined; keyPrefix: string; replicas: number; leasePercent?: number },
): PolicyLimiter {
  const counter = (points: number, duration: number, keyPrefix: string): Counter => {
    if (!deps.client) return { local: new RateLimiterMemory({ points, duration, keyPrefix }) };
    const fallback = new FallbackLimiter({ points: Math.ceil(points / deps.replicas), duration, keyPrefix });
    const redis = new RateLimiterRedis({
      storeClient: deps.client,
      points,
      duration,
      keyPrefix,
      // Fail over to the insurance limiter at once while disconnected instead of sending a doomed command.
      rejectIfRedisNotReady: true,
      insuranceLimiter: fallback,
    });
    return { local: fallback, redis };
  };
  const steady = counter(policy.limit, policy.windowSeconds, `${deps.keyPrefix}:${policy.limit}/${policy.windowSeconds}s`);
  const burst =
    policy.burst > 0 ? counter(policy.burst, policy.burstWindowSeconds, `${deps.keyPrefix}:burst:${policy.burst}/${policy.burstWindowSeconds}s`) : undefined;

  // With Redis, a busy key's steady allowance is pre-allocated to this replica in blocks (bounded error: quota-leases.ts).
  const points = deps.client && deps.checks ? leasePoints(policy.limit, deps.replicas, deps.leasePercent ?? 0) : 0;
  const leases = points > 0 ? new QuotaLeases(policy.limit, points, Math.max(20, (4 * policy.windowSeconds * 1000) / policy.limit)) : undefined;

  const fromRedis = async (checks: RedisChecks, steadyInRedis: RateLimiterRedis, key: string): Promise<PolicyOutcome | undefined> => {
    const wanted = leases ? leases.wanted(key, Date.now()) : 1;
    const asked = checks(key, steadyInRedis, burst?.redis, wanted);
    if (!asked) {
      leases?.abandon(key, wanted);
      return undefined;
    }
    let taken: RedisTake;
    try {
      taken = await asked;
    } catch {
      leases?.abandon(key, wanted);
      // As rate-limiter-flexible does with any failure of its store: the insurance limiter decides.
      return undefined;
    }
    const takenAt = Date.now();
    leases?.settle(key, takenAt, wanted, steadyAnswer(taken), 1);
    const fromSteady = { allowed: taken.steady.consumedPoints <= steadyInRedis.points, result: taken.steady, byFallback: false, takenAt };
    const fromBurst = burst?.redis && taken.burst && { allowed: taken.burst.consumedPoints <= burst.redis.points, result: taken.burst, byFallback: false, takenAt };
    return compose(fromSteady, fromBurst);
  };

  /** Tops up a busy key's lease in the background: the request that noticed it runs low does not wait. */
  const refill = (checks: RedisChecks, steadyInRedis: RateLimiterRedis, key: string, lease: QuotaLeases): void => {
    const asked = checks(key, steadyInRedis, undefined, lease.points);
    if (!asked) return lease.abandon(key, lease.points);
    asked.then(
      (taken) => lease.settle(key, Date.now(), lease.points, steadyAnswer(taken), 0),
      () => lease.abandon(key, lease.points),
    );
  };

  return {
    async consume(key) {
      if (leases && deps.checks && steady.redis) {
        const now = Date.now();
        const leased = leases.take(key, now);
        if (leased) {
          if (leases.wantsRefill(key)) refill(deps.checks, steady.redis, key, leases);
          const result = new RateLimiterRes(leased.remaining, leased.windowEndsAt - now, leased.consumed, false);
          return { allowed: true, result, degraded: false, granted: { counter: 'steady', byFallback: false, windowEndsAt: leased.windowEndsAt, leased: true } };
        }
      }
      const decided = deps.checks && steady.redis && (await fromRedis(deps.checks, steady.redis, key));
      if (decided) return decided;
      // Embedded mode, or Redis could not be asked (then the fallback counters decide).
      const fromSteady = await take(steady.local, key);
      const fromBurst = !fromSteady.allowed && burst ? await take(burst.local, key) : undefined;
      return compose(fromSteady, fromBurst);
    },

    async refund(key, granted) {
      const owner = granted.counter === 'burst' ? burst : steady;
      // Past its window the point has expired with its counter: a reward now would open the next window one point in credit.
      if (!owner || Date.now() >= granted.windowEndsAt) return;
      if (granted.leased) return leases?.giveBack(key, granted.windowEndsAt, Date.now());
      if (owner.redis && !granted.byFallback) {
        await owner.redis.reward(key, 1, refundOfRedisPoint());
      } else {
        await owner.local.reward(key, 1);
      }
    },
  };
}

async function take(limiter: RateLimiterMemory, key: string): Promise<Take> {
  // One trace per counter, so that we know which of the two the fallback decided.
  const trace = newDecisionTrace();
  try {
    // The trace rides in the `options` argument, which FallbackLimiter marks when it decides.
    const result = await limiter.consume(key, 1, trace as unknown as Record<string, unknown>);
    return { allowed: true, result, byFallback: trace.decidedByFallback, takenAt: Date.now() };
  } catch (refusal) {
    // rate-limiter-flexible refuses by rejecting with its result; anything else is a bug, not a refusal.
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return { allowed: false, result: refusal, byFallback: trace.decidedByFallback, takenAt: Date.now() };
  }
}

/** The decision from the steady counter's take and, only if that refused, the burst reserve's. */
function compose(fromSteady: Take, fromBurst: Take | undefined): PolicyOutcome {
  if (fromSteady.allowed) return { allowed: true, result: fromSteady.result, degraded: fromSteady.byFallback, granted: grantedBy('steady', fromSteady) };
  if (!fromBurst) return { allowed: false, result: fromSteady.result, degraded: fromSteady.byFallback };
  // What BurstyRateLimiter reports: the steady allowance's remaining points (none) and the sooner of the two resets.
  const result = new RateLimiterRes(
    fromSteady.result.remainingPoints,
    Math.min(fromSteady.result.msBeforeNext, fromBurst.result.msBeforeNext),
    fromSteady.result.consumedPoints,
    fromSteady.result.isFirstInDuration,
  );
  const degraded = fromSteady.byFallback || fromBurst.byFallback;
  return fromBurst.allowed ? { allowed: true, result, degraded, granted: grantedBy('burst', fromBurst) } : { allowed: false, result, degraded };
}

/** What a lease needs of Redis's answer: the steady counter's points taken, its count after them, its window's rest. */
function steadyAnswer(taken: RedisTake): SteadyAnswer {
  return { points: taken.steadyPoints, consumed: taken.steady.consumedPoints, msBeforeNext: taken.steady.msBeforeNext };
}

function grantedBy(counter: GrantedPoint['counter'], taken: Take): GrantedPoint {
  return { counter, byFallback: taken.byFallback, windowEndsAt: taken.takenAt + taken.result.msBeforeNext };
}
