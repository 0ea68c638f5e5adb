import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { FallbackLimiter, newDecisionTrace, refundOfRedisPoint } from './fallback-limiter.js';

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
  store: RateLimiterMemory | RateLimiterRedis;
  /** The insurance limiter of a Redis store. */
  fallback?: FallbackLimiter;
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
 */
export function buildPolicyLimiter(policy: NormalizedPolicy, deps: { client: Redis | undefined; keyPrefix: string; replicas: number }): PolicyLimiter {
  const counter = (points: number, duration: number, keyPrefix: string): Counter => {
    if (!deps.client) return { store: new RateLimiterMemory({ points, duration, keyPrefix }) };
    const fallback = new FallbackLimiter({ points: Math.ceil(points / deps.replicas), duration, keyPrefix });
    const store = new RateLimiterRedis({
      storeClient: deps.client,
      points,
      duration,
      keyPrefix,
      // Fail over to the insurance limiter at once while disconnected instead of sending a doomed command.
      rejectIfRedisNotReady: true,
      insuranceLimiter: fallback,
    });
    return { store, fallback };
  };
  const steady = counter(policy.limit, policy.windowSeconds, `${deps.keyPrefix}:${policy.limit}/${policy.windowSeconds}s`);
  const burst =
    policy.burst > 0 ? counter(policy.burst, policy.burstWindowSeconds, `${deps.keyPrefix}:burst:${policy.burst}/${policy.burstWindowSeconds}s`) : undefined;

  return {
    async consume(key) {
      const fromSteady = await take(steady, key);
      if (fromSteady.allowed || !burst) {
        return {
          allowed: fromSteady.allowed,
          result: fromSteady.result,
          degraded: fromSteady.byFallback,
          ...(fromSteady.allowed && { granted: grantedBy('steady', fromSteady) }),
        };
      }
      const fromBurst = await take(burst, key);
      return {
        allowed: fromBurst.allowed,
        // What BurstyRateLimiter reports: the steady allowance's remaining points (none) and the sooner of the two resets.
        result: new RateLimiterRes(
          fromSteady.result.remainingPoints,
          Math.min(fromSteady.result.msBeforeNext, fromBurst.result.msBeforeNext),
          fromSteady.result.consumedPoints,
          fromSteady.result.isFirstInDuration,
        ),
        degraded: fromSteady.byFallback || fromBurst.byFallback,
        ...(fromBurst.allowed && { granted: grantedBy('burst', fromBurst) }),
      };
    },

    async refund(key, granted) {
      const owner = granted.counter === 'burst' ? burst : steady;
      // Past its window the point has expired with its counter: a reward now would open the next window one point in credit.
      if (!owner || Date.now() >= granted.windowEndsAt) return;
      if (granted.byFallback && owner.fallback) {
        await owner.fallback.reward(key, 1);
      } else {
        await owner.store.reward(key, 1, refundOfRedisPoint());
      }
    },
  };
}

async function take(counter: Counter, key: string): Promise<Take> {
  // One trace per counter, so that we know which of the two the fallback decided.
  const trace = newDecisionTrace();
  try {
    // The trace rides in the `options` argument, which the store hands on unchanged to its insurance limiter.
    const result = await counter.store.consume(key, 1, trace as unknown as Record<string, unknown>);
    return { allowed: true, result, byFallback: trace.decidedByFallback, takenAt: Date.now() };
  } catch (refusal) {
    // rate-limiter-flexible refuses by rejecting with its result; anything else is a bug, not a refusal.
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return { allowed: false, result: refusal, byFallback: trace.decidedByFallback, takenAt: Date.now() };
  }
}

function grantedBy(counter: GrantedPoint['counter'], taken: Take): GrantedPoint {
  return { counter, byFallback: taken.byFallback, windowEndsAt: taken.takenAt + taken.result.msBeforeNext };
}
