import type { ApiResponse } from './api-request.js';
import type { RatePolicy } from '../../contracts/types.generated.js';
import { ProblemError } from '../errors/index.js';
import { rateLimitHeaders, type RateLimitHeaders } from '../rate-limit/rate-limit-headers.js';
import type { RateDecision, RateLimiter } from '../rate-limit/rate-limiter.js';
import type { Authorization } from './authorize.js';

/**
 * Quotas of the consumer as a whole and of its grant for this operation,
 * counted globally (Redis) across replicas. The tighter decision's
 * RateLimit-* headers go on the response either way; a refusal is a 429
 * with Retry-After. Both are checked at once (one round trip), so when one
 * refuses, the point the other granted is given back: a request that is not
 * served must not count, or a consumer hammering one exhausted grant would
 * also drain its consumer-wide allowance (and the other way round).
 */
export async function enforceQuotas(limiter: Pick<RateLimiter, 'consume' | 'refund'>, authorization: Authorization, res: Pick<ApiResponse, 'setHeader'>): Promise<void> {
  const { consumer, grant } = authorization;
  const checks: Array<[string, RatePolicy]> = [];
  if (consumer.rateLimit) checks.push([`consumer:${consumer.id}`, consumer.rateLimit]);
  if (grant.quota) checks.push([`grant:${consumer.id}:${grant.operation}`, grant.quota]);
  if (checks.length === 0) return;

  // Asked for in the same tick, the checks reach the limiter's Redis in one script call.
  const pending = checks.map(([key, policy]) => limiter.consume(key, policy));
  let decisions: RateDecision[];
  try {
    decisions = await Promise.all(pending);
  } catch {
    // Not a refusal but a fault: once every check has settled, give back what the others took, then report the first fault.
    const settled = await Promise.allSettled(pending);
    await refundAllowed(
      limiter,
      checks,
      settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined)),
    );
    throw (settled.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason;
  }
  // The refusal to report is the one with the longest wait (the first of equals), since only that wait lets the
  // next try through; with none, the tightest allowance (the first of equals) goes on the response.
  let refused: RateDecision | undefined;
  let tightest = decisions[0]!;
  for (const decision of decisions) {
    if (!decision.allowed && (!refused || waitOf(decision) > waitOf(refused))) refused = decision;
    if (decision.remaining < tightest.remaining) tightest = decision;
  }
  const shown = refused ?? tightest;
  const headers = rateLimitHeaders(shown);
  for (const name in headers) res.setHeader(name, headers[name as keyof RateLimitHeaders]!);
  if (refused) {
    await refundAllowed(limiter, checks, decisions);
    throw new ProblemError('LGSP_RATE_LIMITED', {
      detail: `quota of ${refused.limit} requests exceeded; retry in ${refused.retryAfterSeconds ?? refused.resetSeconds} s`,
      headers: { ...headers },
    });
  }
}

async function refundAllowed(limiter: Pick<RateLimiter, 'refund'>, checks: Array<[string, RatePolicy]>, decisions: Array<RateDecision | undefined>): Promise<void> {
  await Promise.all(decisions.map((decision, index) => decision && limiter.refund(checks[index]![0], checks[index]![1], decision)));
}

function waitOf(decision: RateDecision): number {
  return decision.retryAfterSeconds ?? decision.resetSeconds;
}
