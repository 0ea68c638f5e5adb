import type { RateDecision } from './rate-limiter.js';

/** A type alias, not an interface, so that it is assignable to `Record<string, string>` (e.g. `res.set(headers)`). */
export type RateLimitHeaders = {
  'RateLimit-Limit': string;
  'RateLimit-Remaining': string;
  'RateLimit-Reset': string;
  'Retry-After'?: string;
};

/**
 * The response headers for a rate-limit decision: the `RateLimit-Limit`,
 * `-Remaining`, `-Reset` trio of the IETF httpapi rate-limit headers draft
 * (reset as delta seconds, not a timestamp, so client clocks do not matter),
 * and on a refusal `Retry-After` (RFC 9110, delta seconds) for the 429.
 * Set them on every limited response, allowed or not, so well-behaved
 * callers can slow down before they are refused.
 */
export function rateLimitHeaders(decision: RateDecision): RateLimitHeaders {
  const headers: RateLimitHeaders = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(Math.max(0, decision.remaining)),
    'RateLimit-Reset': String(Math.max(0, decision.resetSeconds)),
  };
  if (!decision.allowed) headers['Retry-After'] = String(Math.max(1, decision.retryAfterSeconds ?? decision.resetSeconds));
  return headers;
}
