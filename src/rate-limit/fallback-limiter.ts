import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Passed as the `options` argument of each consume(). rate-limiter-flexible
 * hands that very object on to the insurance limiter when the store fails,
 * so the fallback can mark the one call it decided — concurrent calls each
 * carry their own.
 */
export interface DecisionTrace {
  decidedByFallback: boolean;
}

export function newDecisionTrace(): DecisionTrace {
  return { decidedByFallback: false };
}

/**
 * The `options` of a reward that gives back a point Redis counted. When Redis
 * cannot be asked, rate-limiter-flexible hands the reward to the insurance
 * limiter, which never counted that point: crediting it there would let this
 * replica allow one request more than its share.
 */
export function refundOfRedisPoint(): Record<string, unknown> {
  return { refundOfRedisPoint: true };
}

/**
 * The per-replica limiter that decides while Redis cannot be reached
 * (rate-limiter-flexible's `insuranceLimiter`). Its counters are local, so
 * during an outage each replica enforces its own share of the limit.
 */
export class FallbackLimiter extends RateLimiterMemory {
  override consume(key: string | number, pointsToConsume?: number, options: { [key: string]: any } = {}): Promise<RateLimiterRes> {
    (options as DecisionTrace).decidedByFallback = true;
    return super.consume(key, pointsToConsume, options);
  }

  override reward(key: string | number, points?: number, options: { [key: string]: any } = {}): Promise<RateLimiterRes> {
    // Not ours to give back: that point stays counted in Redis (erring towards refusing, as during any outage).
    if (options.refundOfRedisPoint === true) return Promise.resolve(new RateLimiterRes());
    return super.reward(key, points, options);
  }
}
