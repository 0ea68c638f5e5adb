import { retryAfterMs, UpstreamError } from './upstream-errors.js';

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(['0'], now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('99999999', now)).toBe(86_400_000);
  });
});

describe('UpstreamError.countsAgainstUpstream', () => {
  it('counts an oversized answer against the upstream (the breaker sees it), a rejected request not', () => {
    expect(new UpstreamError('too_large', 'x').countsAgainstUpstream).toBe(true);
    expect(new UpstreamError('rejected', 'x').countsAgainstUpstream).toBe(false);
  });
});

describe('UpstreamError.transient', () => {
  it.each([
    ['timeout', undefined, true],
    ['connection', undefined, true],
    ['fault', undefined, true],
    ['http', '503', true],
    ['http', '429', true],
    ['http', '500', true],
    ['http', '404', false],
    ['garbage', undefined, false],
    ['contract', undefined, false],
    ['too_large', undefined, false],
    ['auth', '401', false],
    ['rejected', 'DC-01', false],
  ] as const)('%s %s → %s', (kind, code, transient) => {
    expect(new UpstreamError(kind, 'x', { upstreamCode: code }).transient).toBe(transient);
  });
});
