import { problemCodes } from '../errors/problem-codes.js';
import { rateLimitHeaders } from './rate-limit-headers.js';

describe('rateLimitHeaders', () => {
  it('advertises limit, remaining and reset (delta seconds) on an allowed request, without Retry-After', () => {
    expect(rateLimitHeaders({ allowed: true, limit: 100, remaining: 41, resetSeconds: 17, degraded: false })).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '41',
      'RateLimit-Reset': '17',
    });
  });

  it('adds Retry-After on a refusal', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 100, remaining: 0, resetSeconds: 9, retryAfterSeconds: 9, degraded: true })).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '9',
      'Retry-After': '9',
    });
  });

  it('never tells a refused caller to retry in 0 seconds', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetSeconds: 0, degraded: false })['Retry-After']).toBe('1');
  });

  it('has its problem code: 429', () => {
    expect(problemCodes.LGSP_RATE_LIMITED.status).toBe(429);
  });
});
