import { Registry } from 'prom-client';
import type { RatePolicy as ContractRatePolicy } from '../../contracts/types.generated.js';
import type { Logger } from '../observability/logger.js';
import { buildPolicyLimiter, type GrantedPoint, type NormalizedPolicy, type PolicyLimiter, type PolicyOutcome } from './policy-limiter.js';
import { createRateLimitMetrics, type RateLimitMetrics } from './rate-limit-metrics.js';
import { createRateLimitRedisClient, defaultRedisTimeouts, type RateLimitRedisOptions } from './rate-limit-redis.js';
import { createRedisChecks } from './redis-checks.js';

/**
 * How much one key (a consumer, a consumer × operation) may call.
 *
 * The steady allowance is `limit` requests per `windowSeconds`, counted in a
 * window that opens at the key's first request (rate-limiter-flexible's fixed
 * window; no clock-aligned rush at the top of each minute). `burst` adds a
 * reserve for spikes: once the window's `limit` is spent, up to `burst` more
 * requests are allowed, and that reserve refills only every
 * `burstWindowSeconds`. So a short spike may reach `limit + burst`, while the
 * long-run rate stays close to `limit` per window (at most `burst` more per
 * burst window) — a token bucket's behaviour, built from two counters.
 * The shape is the admin contract's (contracts/admin/v1/definitions.json):
 * one definition for the API, the store and the limiter.
 */
export type RatePolicy = ContractRatePolicy;

export interface RateDecision {
  allowed: boolean;
  /** The policy's steady `limit`. */
  limit: number;
  /** Requests left in the steady allowance of the current window (a request taken from the burst reserve leaves 0). */
  remaining: number;
  /** Seconds until the allowance is replenished. */
  resetSeconds: number;
  /** Only on a refusal: seconds to wait before trying again (at least 1). */
  retryAfterSeconds?: number;
  /** True when the local fallback decided because Redis could not be asked (the limit was per replica, not global). */
  degraded: boolean;
  /** Only when allowed: the point the request took, for `RateLimiter.refund`. */
  granted?: GrantedPoint;
}

export type { GrantedPoint };

export interface RateLimiter {
  /**
   * Counts one request against `key` under `policy` and says whether it may proceed. Never waits for an unreachable Redis.
   * With Redis, the checks asked for in the same tick (a request's consumer and grant quotas) go in one script call.
   */
  consume(key: string, policy: RatePolicy): Promise<RateDecision>;
  /**
   * Gives back the point an allowed `decision` took from `key` under `policy`
   * — to the very counter that granted it (steady allowance or burst reserve,
   * Redis or the local fallback) — for a request that was not served after
   * all. Does nothing for a refusal, nor once the point's window has ended.
   * Never fails: a point it cannot give back stays counted.
   */
  refund(key: string, policy: RatePolicy, decision: RateDecision): Promise<void>;
  /**
   * Resolves true once the shared Redis is connected (at once without Redis),
   * false if it is not within `timeoutMs` (default: the connect timeout).
   * Nothing has to wait for it: until then decisions are made locally (degraded).
   */
  ready(timeoutMs?: number): Promise<boolean>;
  /** `redis`: one limit shared by every replica; `memory`: this process only (embedded mode). */
  readonly mode: 'redis' | 'memory';
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Shared Redis: every replica pointing at it (with the same key prefix) enforces one global limit. Omit for in-process limits. */
  redis?: RateLimitRedisOptions;
  logger: Logger;
  /** The gateway's metrics registry (the rate-limit metrics are registered in it), or metrics made by `createRateLimitMetrics`. */
  metrics?: RateLimitMetrics | Registry;
  /**
   * How many replicas share the Redis limit. While Redis is unreachable each
   * replica allows only its share (`ceil(limit / replicas)`), so an outage
   * does not multiply the global limit by the number of replicas. Default 1.
   */
  replicas?: number;
  /** Least time between two "deciding locally" warnings in the log (default 30 s); the metric counts every one. */
  fallbackWarningIntervalMs?: number;
  /**
   * With Redis: a key this replica sees often takes this percentage of its
   * steady limit (split between the replicas, at most 64 points) from Redis
   * at once and grants it locally (quota-leases.ts): the busy path skips
   * Redis, at the price of a bounded under-admission (points held by one
   * replica are not available to the others; those left at the end of a
   * window expire). 0 or absent: every request asks Redis (exact count).
   */
  leasePercent?: number;
}

export const defaultRedisKeyPrefix = 'lgsp:rl';

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { logger } = options;
  const metrics = options.metrics instanceof Registry || options.metrics === undefined ? createRateLimitMetrics(options.metrics) : options.metrics;
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new RangeError('rate limiter: replicas must be a positive integer');
  const keyPrefix = options.redis?.keyPrefix ?? defaultRedisKeyPrefix;
  const client = options.redis ? createRateLimitRedisClient(options.redis) : undefined;
  // The checks a request makes at once go to Redis in one script call.
  const checks = client ? createRedisChecks(client) : undefined;
  const warnFallback = throttled(options.fallbackWarningIntervalMs ?? 30_000);
  const warnRedisError = throttled(options.fallbackWarningIntervalMs ?? 30_000);
  const warnRefundFailed = throttled(options.fallbackWarningIntervalMs ?? 30_000);
  let fallbacksSinceWarning = 0;
  let redisWasLost = false;

  if (client) {
    metrics.redisConnected.set(0);
    client.on('ready', () => {
      metrics.redisConnected.set(1);
      if (redisWasLost) logger.info('rate limiter: Redis reachable again, limits are shared across replicas again');
      redisWasLost = false;
    });
    client.on('close', () => {
      metrics.redisConnected.set(0);
      redisWasLost = true;
    });
    // Without a listener ioredis prints every failed reconnect to stderr; one warning per interval is enough.
    client.on('error', (err: Error) => {
      if (warnRedisError()) logger.warn({ err }, 'rate limiter: Redis connection error');
    });
  }

  // One limiter pair per distinct policy, built on first use: policies come
  // from configuration, so there are few of them, and each limiter is reused
  // for every key and request under that policy.
  const limiters = new Map<string, PolicyLimiter>();
  // The same policy object comes with every request (the access policy keeps
  // its consumers and grants in memory): remembered per object, with the
  // values it had, it skips the checks and the id above on later calls.
  const seen = new WeakMap<RatePolicy, { values: RatePolicy; limiter: PolicyLimiter }>();
  const limiterFor = (policy: RatePolicy): PolicyLimiter => {
    const known = seen.get(policy);
    if (known && sameValues(known.values, policy)) return known.limiter;
    const normalized = normalizePolicy(policy);
    const id = policyId(normalized);
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = buildPolicyLimiter(normalized, { client, checks, keyPrefix, replicas, leasePercent: options.leasePercent ?? 0 });
      limiters.set(id, limiter);
    }
    seen.set(policy, { values: { ...policy }, limiter });
    return limiter;
  };

  const recordFallback = () => {
    metrics.fallbacks.inc();
    fallbacksSinceWarning += 1;
    if (warnFallback()) {
      logger.warn(
        { fallbackDecisions: fallbacksSinceWarning, replicas },
        'rate limiter: Redis unreachable, deciding with the local fallback limiter (limits are per replica until it is back)',
      );
      fallbacksSinceWarning = 0;
    }
  };

  return {
    mode: client ? 'redis' : 'memory',

    async consume(key, policy) {
      const outcome = await limiterFor(policy).consume(key);
      if (outcome.degraded) recordFallback();
      metrics.decisions.inc(decisionLabels[outcome.allowed ? 'allowed' : 'refused'][outcome.degraded ? 'degraded' : 'global']);
      return toDecision(outcome, policy.limit);
    },

    async refund(key, policy, decision) {
      if (!decision.allowed || !decision.granted) return;
      try {
        await limiterFor(policy).refund(key, decision.granted);
      } catch (err) {
        // The request is being refused anyway; a point not given back only makes the quota stricter.
        if (warnRefundFailed()) logger.warn({ err }, 'rate limiter: could not give back the point of a request that was not served');
      }
    },

    ready(timeoutMs = options.redis?.connectTimeoutMs ?? defaultRedisTimeouts.connectTimeoutMs) {
      if (!client || client.status === 'ready') return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const settle = (connected: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(connected);
        };
        const onReady = () => settle(true);
        const timer = setTimeout(settle, timeoutMs, false);
        client.once('ready', onReady);
      });
    },

    async close() {
      if (!client) return;
      if (client.status === 'ready') {
        // quit() waits for replies still in flight; disconnect() is for a connection that is not there.
        await client.quit().catch(() => client.disconnect());
      } else {
        client.disconnect();
      }
    },
  };
}

/** The label sets of `lgsp_rate_limit_decisions_total`, made once rather than per decision. */
const decisionLabels = {
  allowed: { global: { outcome: 'allowed', degraded: 'false' }, degraded: { outcome: 'allowed', degraded: 'true' } },
  refused: { global: { outcome: 'refused', degraded: 'false' }, degraded: { outcome: 'refused', degraded: 'true' } },
} as const;

function sameValues(a: RatePolicy, b: RatePolicy): boolean {
  return a.limit === b.limit && a.windowSeconds === b.windowSeconds && a.burst === b.burst && a.burstWindowSeconds === b.burstWindowSeconds;
}

function normalizePolicy(policy: RatePolicy): NormalizedPolicy {
  const { limit, windowSeconds } = policy;
  const burst = policy.burst ?? 0;
  const burstWindowSeconds = policy.burstWindowSeconds ?? windowSeconds * 10;
  const problems = [
    !(Number.isInteger(limit) && limit > 0) && 'limit must be a positive integer',
    !(Number.isInteger(windowSeconds) && windowSeconds > 0) && 'windowSeconds must be a positive integer',
    !(Number.isInteger(burst) && burst >= 0) && 'burst must be a non-negative integer',
    !(Number.isInteger(burstWindowSeconds) && burstWindowSeconds >= windowSeconds) &&
      'burstWindowSeconds must be an integer no smaller than windowSeconds',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new RangeError(`invalid rate policy: ${problems.join('; ')}`);
  return { limit, windowSeconds, burst, burstWindowSeconds };
}

/**
 * Part of every Redis key, so that replicas with the same policy share
 * counters and a changed policy starts fresh instead of inheriting counters
 * kept under another window length.
 */
function policyId(policy: NormalizedPolicy): string {
  const steady = `${policy.limit}/${policy.windowSeconds}s`;
  return policy.burst > 0 ? `${steady}+${policy.burst}/${policy.burstWindowSeconds}s` : steady;
}

function toDecision({ result, allowed, degraded, granted }: PolicyOutcome, limit: number): RateDecision {
  const resetSeconds = Math.max(0, Math.ceil(result.msBeforeNext / 1000));
  if (!allowed) return { allowed, limit, remaining: 0, resetSeconds, retryAfterSeconds: Math.max(1, resetSeconds), degraded };
  const decision: RateDecision = { allowed, limit, remaining: result.remainingPoints, resetSeconds, degraded };
  if (granted) decision.granted = granted;
  return decision;
}

/** A gate that opens at most once per interval (the first call always passes). */
function throttled(intervalMs: number): () => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const now = Date.now();
    if (now - last < intervalMs) return false;
    last = now;
    return true;
  };
}
