import { Counter, Gauge, Registry } from 'prom-client';

/**
 * What the rate limiter reports. No label carries the limited key: keys name
 * consumers and operations, and a label per key would grow without bound.
 */
export interface RateLimitMetrics {
  /** Decisions by outcome (`allowed` / `refused`) and whether the local fallback made them. */
  decisions: Counter<'outcome' | 'degraded'>;
  /** Decisions the local fallback made because Redis could not be asked. */
  fallbacks: Counter;
  /** 1 while the shared Redis connection is ready, 0 otherwise (absent in embedded mode). */
  redisConnected: Gauge;
}

export const rateLimitMetricNames = {
  decisions: 'lgsp_rate_limit_decisions_total',
  fallbacks: 'lgsp_rate_limit_fallback_total',
  redisConnected: 'lgsp_rate_limit_redis_connected',
} as const;

/**
 * Registers the rate-limit metrics in a gateway's registry. Reuses metrics
 * already registered there, so two limiters built on one registry (a restart
 * of the limiter, tests) share them instead of failing on a duplicate name.
 */
export function createRateLimitMetrics(registry: Registry = new Registry()): RateLimitMetrics {
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  return {
    decisions:
      existing<Counter<'outcome' | 'degraded'>>(rateLimitMetricNames.decisions) ??
      new Counter({
        name: rateLimitMetricNames.decisions,
        help: 'Rate-limit decisions by outcome; degraded="true" when the local fallback decided because Redis was unreachable',
        labelNames: ['outcome', 'degraded'],
        registers: [registry],
      }),
    fallbacks:
      existing<Counter>(rateLimitMetricNames.fallbacks) ??
      new Counter({
        name: rateLimitMetricNames.fallbacks,
        help: 'Rate-limit decisions made by the per-replica fallback limiter because Redis was unreachable (the limit is then no longer global)',
        registers: [registry],
      }),
    redisConnected:
      existing<Gauge>(rateLimitMetricNames.redisConnected) ??
      new Gauge({
        name: rateLimitMetricNames.redisConnected,
        help: 'Whether the rate limiter is connected to its shared Redis (1) or deciding locally (0)',
        registers: [registry],
      }),
  };
}
