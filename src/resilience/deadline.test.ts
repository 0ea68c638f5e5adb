import { ProblemError } from '../errors/index.js';
import { CallerGone, Deadline, parseRequestTimeout, requestDeadline } from './deadline.js';

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

describe('CallerGone', () => {
  it('tells its listeners once, with an AbortError, and a removed listener not at all', () => {
    const gone = new CallerGone();
    const heard: unknown[] = [];
    gone.subscribe((reason) => heard.push(reason));
    const removed = gone.subscribe(() => heard.push('removed'));
    removed();
    expect(gone.aborted).toBe(false);
    gone.abort();
    gone.abort();
    expect(heard).toHaveLength(1);
    expect((heard[0] as DOMException).name).toBe('AbortError');
    expect(gone.aborted).toBe(true);
  });

  it('makes its AbortSignal only when asked, aborted already if the caller left before', () => {
    const early = new CallerGone();
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.abort();
    expect(signal.aborted).toBe(true);
    const late = new CallerGone();
    late.abort();
    expect(late.signal.aborted).toBe(true);
    expect((late.signal.reason as DOMException).name).toBe('AbortError');
  });

  it('is what a deadline follows: exhausted, isCancelled and onCancel without an AbortSignal', () => {
    const gone = new CallerGone();
    const deadline = new Deadline(performance.now() + 60_000, gone);
    let told = 0;
    deadline.onCancel(() => (told += 1));
    expect(deadline.exhausted).toBe(false);
    expect((gone as unknown as { controller?: AbortController }).controller).toBeUndefined();
    gone.abort();
    expect(told).toBe(1);
    expect(deadline.isCancelled).toBe(true);
    expect(deadline.exhausted).toBe(true);
    expect(deadline.cancelled?.aborted).toBe(true);
  });

  it('leaves a deadline on an AbortSignal working as before', () => {
    const owner = new AbortController();
    const deadline = new Deadline(performance.now() + 60_000, owner.signal);
    const reasons: unknown[] = [];
    const stop = deadline.onCancel((reason) => reasons.push(reason));
    stop();
    deadline.onCancel((reason) => reasons.push(reason));
    owner.abort('stopping');
    expect(reasons).toEqual(['stopping']);
    expect(deadline.cancelled).toBe(owner.signal);
    expect(deadline.isCancelled).toBe(true);
  });
});
