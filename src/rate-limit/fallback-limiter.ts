import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Passed as the `options` argument of each consume(). rate-limiter-flexible
 * hands that very object on to the insurance limiter when the store fails
 * (and BurstyRateLimiter hands it to both of its limiters), so the fallback
 * can mark the one call it decided — concurrent calls each carry their own.
 */
export interface DecisionTrace {
  decidedByFallback: boolean;
}

export function newDecisionTrace(): DecisionTrace {
  return { decidedByFallback: false };
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
}
