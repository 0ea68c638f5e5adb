import { ProblemError } from '../errors/index.js';
import { parseRequestTimeout, requestDeadline } from './deadline.js';

describe('Request-Timeout', () => {
  it.each([
    ['2', 2000],
    ['0.75', 750],
    [' 12.5 ', 12_500],
    ['0.001', 1],
  ])('reads %j as %i ms', (header, ms) => {
    expect(parseRequestTimeout(header)).toBe(ms);
  });

  it('is optional', () => {
    expect(parseRequestTimeout(undefined)).toBeUndefined();
  });

  it.each(['', '0', '0.000', '-1', '1e3', '2s', '1.2345', 'abc', '1,5', '99999999'])('refuses %j with a 400 naming the header', (header) => {
    let caught: unknown;
    try {
      parseRequestTimeout(header);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProblemError);
    expect(caught).toMatchObject({ status: 400, code: 'LGSP_VALIDATION_FAILED', options: { errors: [{ field: 'header:Request-Timeout' }] } });
  });
});

describe('requestDeadline', () => {
  it('counts from the arrival and is clamped to the gateway maximum, which also applies without the header', () => {
    expect(requestDeadline(1000, '2', 30_000).at).toBe(3000);
    expect(requestDeadline(1000, '600', 30_000).at).toBe(31_000);
    expect(requestDeadline(1000, undefined, 30_000).at).toBe(31_000);
  });

  it('reports the time left and exhaustion, also when the caller went away', () => {
    const now = performance.now();
    expect(requestDeadline(now, '10', 30_000).remaining(now)).toBeCloseTo(10_000, 6); // float arithmetic on performance.now(): exact only for whole-number clocks
    expect(requestDeadline(now - 5000, '1', 30_000).exhausted).toBe(true);
    const gone = new AbortController();
    const deadline = requestDeadline(now, '10', 30_000, gone.signal);
    expect(deadline.exhausted).toBe(false);
    gone.abort();
    expect(deadline.exhausted).toBe(true);
  });
});
