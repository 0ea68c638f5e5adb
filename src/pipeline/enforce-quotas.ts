import type { ApiResponse } from './api-request.js';
import type { RatePolicy } from '../../contracts/types.generated.js';
import { ProblemError } from '../errors/index.js';
import { rateLimitHeaders } from '../rate-limit/rate-limit-headers.js';
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

  const settled = await Promise.allSettled(checks.map(([key, policy]) => limiter.consume(key, policy)));
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    // Not a refusal but a fault: give back what the other check took before reporting it.
    await refundAllowed(limiter, checks, settled);
    throw failed.reason;
  }
  const decisions = settled.map((outcome) => (outcome as PromiseFulfilledResult<RateDecision>).value);
  // When both refuse, the longer wait is the one that lets the next try through.
  const refused = decisions.filter((decision) => !decision.allowed).sort((a, b) => waitOf(b) - waitOf(a))[0];
  const shown = refused ?? tightest(decisions);
  for (const [name, value] of Object.entries(rateLimitHeaders(shown))) res.setHeader(name, value);
  if (refused) {
    await refundAllowed(limiter, checks, settled);
    throw new ProblemError('LGSP_RATE_LIMITED', {
      detail: `quota of ${refused.limit} requests exceeded; retry in ${refused.retryAfterSeconds ?? refused.resetSeconds} s`,
      headers: { ...rateLimitHeaders(refused) },
    });
  }
}

async function refundAllowed(limiter: Pick<RateLimiter, 'refund'>, checks: Array<[string, RatePolicy]>, settled: Array<PromiseSettledResult<RateDecision>>): Promise<void> {
  await Promise.all(
    settled.map((outcome, index) => {
      const [key, policy] = checks[index]!;
      return outcome.status === 'fulfilled' ? limiter.refund(key, policy, outcome.value) : undefined;
    }),
  );
}

function waitOf(decision: RateDecision): number {
  return decision.retryAfterSeconds ?? decision.resetSeconds;
}

function tightest(decisions: RateDecision[]): RateDecision {
  return decisions.reduce((least, decision) => (decision.remaining < least.remaining ? decision : least));
}
