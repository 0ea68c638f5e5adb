import { Writable } from 'node:stream';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { BreakerOpenError, BreakerRegistry } from './breaker-registry.js';
import { CallerGone, Deadline, DeadlineExceededError } from './deadline.js';

const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const policy = { timeoutMs: 200, breaker: { errorThresholdPercentage: 50, volumeThreshold: 3, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 } };

function registry() {
  const breakers = new BreakerRegistry({ metrics: createMetrics(), logger: silent });
  breakers.register('upstream', policy);
  return breakers;
}

const fail = (kind: ConstructorParameters<typeof UpstreamError>[0]) => async () => {
  throw new UpstreamError(kind, kind);
};

describe('BreakerRegistry', () => {
  it('opens after failures that count against the upstream and then refuses without calling it', async () => {
    const breakers = registry();
    for (let i = 0; i < 3; i += 1) await expect(breakers.call('upstream', fail('http'))).rejects.toBeInstanceOf(UpstreamError);
    let called = false;
    const refused = breakers.call('upstream', async () => {
      called = true;
    });
    await expect(refused).rejects.toBeInstanceOf(BreakerOpenError);
    await expect(refused).rejects.toMatchObject({ connectorId: 'upstream', retryAfterMs: expect.any(Number) });
    expect(called).toBe(false);
    expect(breakers.state('upstream')).toBe('open');
    breakers.shutdown();
  });

  it('does not open on requests the upstream rejected as the caller\'s mistake', async () => {
    const breakers = registry();
    for (let i = 0; i < 10; i += 1) await expect(breakers.call('upstream', fail('rejected'))).rejects.toMatchObject({ kind: 'rejected' });
    expect(breakers.state('upstream')).toBe('closed');
    await expect(breakers.call('upstream', async () => 'ok')).resolves.toBe('ok');
    breakers.shutdown();
  });

  it('gives each call its own deadline signal that aborts at the policy timeout', async () => {
    const breakers = registry();
    const seen: AbortSignal[] = [];
    const slow = breakers.call('upstream', (signal) => {
      seen.push(signal);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new UpstreamError('timeout', 'aborted'))));
    });
    const fast = breakers.call('upstream', async (signal) => {
      seen.push(signal);
      return 'fast';
    });
    await expect(fast).resolves.toBe('fast');
    // Each call has its own signal: nothing is aborted yet while the slow call still waits.
    expect(seen[1]).not.toBe(seen[0]);
    expect(seen.map((signal) => signal.aborted)).toEqual([false, false]);
    await expect(slow).rejects.toMatchObject({ kind: 'timeout' });
    expect(seen[0]!.aborted).toBe(true);
    breakers.shutdown();
  });
});

describe('BreakerRegistry and a caller that goes away', () => {
  it.each([
    ['a request (CallerGone)', () => new CallerGone()],
    ['a background owner (AbortController)', () => new AbortController()],
  ])('aborts the attempt under way when %s leaves, and forgets the attempt once it ended', async (_what, makeSource) => {
    const breakers = registry();
    const source = makeSource();
    const deadline = new Deadline(performance.now() + 60_000, source instanceof CallerGone ? source : source.signal);
    let reason: unknown;
    const hanging = breakers.call(
      'upstream',
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(new UpstreamError('timeout', 'aborted'));
          }),
        ),
      { deadline },
    );
    source.abort();
    await expect(hanging).rejects.toBeInstanceOf(DeadlineExceededError);
    expect((reason as DOMException).name).toBe('AbortError');
    // A finished attempt is no longer listening: a later abort reaches nobody.
    const later = new CallerGone();
    await breakers.call('upstream', async () => 'done', { deadline: new Deadline(performance.now() + 60_000, later) });
    expect((later as unknown as { listeners?: unknown[] }).listeners ?? []).toHaveLength(0);
    breakers.shutdown();
  });

  it('does not start an attempt for a caller already gone', async () => {
    const breakers = registry();
    const gone = new CallerGone();
    gone.abort();
    let asked = false;
    await expect(
      breakers.call('upstream', async () => {
        asked = true;
      }, { deadline: new Deadline(performance.now() + 60_000, gone) }),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(asked).toBe(false);
    breakers.shutdown();
  });
});

describe('BreakerRegistry recent outcomes', () => {
  it('counts real calls in the rolling window, a caller mistake as a success, and not refusals', async () => {
    const breakers = registry();
    expect(breakers.recentOutcomes('upstream')).toEqual({ windowMs: 10_000, calls: 0, failures: 0, errorRate: null });
    await breakers.call('upstream', async () => 'ok');
    await expect(breakers.call('upstream', fail('rejected'))).rejects.toBeInstanceOf(UpstreamError);
    await expect(breakers.call('upstream', fail('http'))).rejects.toBeInstanceOf(UpstreamError);
    await expect(breakers.call('upstream', fail('timeout'))).rejects.toBeInstanceOf(UpstreamError);
    expect(breakers.recentOutcomes('upstream')).toEqual({ windowMs: 10_000, calls: 4, failures: 2, errorRate: 0.5 });
    await expect(breakers.call('upstream', fail('http'))).rejects.toBeInstanceOf(UpstreamError);
    await expect(breakers.call('upstream', async () => 'ok')).rejects.toBeInstanceOf(BreakerOpenError);
    expect(breakers.recentOutcomes('upstream')).toMatchObject({ calls: 5, failures: 3 });
    breakers.shutdown();
  });
});

describe('BreakerRegistry half-open', () => {
  const resetTimeoutMs = 200;
  function openBreaker() {
    const breakers = new BreakerRegistry({ metrics: createMetrics(), logger: silent });
    breakers.register('upstream', { ...policy, breaker: { ...policy.breaker, volumeThreshold: 1, resetTimeoutMs } });
    return breakers;
  }

  it('lets exactly one trial through while the others are refused at once, then closes on its success', async () => {
    const breakers = openBreaker();
    await expect(breakers.call('upstream', fail('connection'))).rejects.toBeInstanceOf(UpstreamError);
    expect(breakers.state('upstream')).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, resetTimeoutMs + 50));
    expect(breakers.state('upstream')).toBe('half-open');

    let reached = 0;
    let finishTrial!: () => void;
    const trialAnswer = new Promise<void>((resolve) => (finishTrial = resolve));
    const calls = Array.from({ length: 10 }, () =>
      breakers.call('upstream', async () => {
        reached += 1;
        await trialAnswer;
        return 'ok';
      }),
    );
    const settled = Promise.allSettled(calls);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).toBe(1);
    finishTrial();
    const outcomes = await settled;
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.reason instanceof BreakerOpenError)).toHaveLength(9);
    expect(breakers.state('upstream')).toBe('closed');
    breakers.shutdown();
  });

  it('reopens when the trial fails, also when the trial is cut short because its caller went away', async () => {
    const breakers = openBreaker();
    await expect(breakers.call('upstream', fail('connection'))).rejects.toBeInstanceOf(UpstreamError);
    await new Promise((resolve) => setTimeout(resolve, resetTimeoutMs + 50));
    const gone = new AbortController();
    const deadline = new Deadline(performance.now() + 60_000, gone.signal);
    const trial = breakers.call(
      'upstream',
      (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new UpstreamError('timeout', 'aborted')))),
      { deadline },
    );
    gone.abort();
    await expect(trial).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(breakers.state('upstream')).toBe('open');
    breakers.shutdown();
  });

  it('does not give the trial to a call whose deadline is shorter than the attempt timeout', async () => {
    const breakers = openBreaker();
    await expect(breakers.call('upstream', fail('connection'))).rejects.toBeInstanceOf(UpstreamError);
    await new Promise((resolve) => setTimeout(resolve, resetTimeoutMs + 50));
    let called = false;
    const hurried = breakers.call('upstream', async () => (called = true), { deadline: new Deadline(performance.now() + policy.timeoutMs / 2) });
    await expect(hurried).rejects.toBeInstanceOf(BreakerOpenError);
    expect(called).toBe(false);
    await expect(breakers.call('upstream', async () => 'ok', { deadline: new Deadline(performance.now() + 60_000) })).resolves.toBe('ok');
    expect(breakers.state('upstream')).toBe('closed');
    breakers.shutdown();
  });
});
