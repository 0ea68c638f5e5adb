import { Writable } from 'node:stream';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { BreakerOpenError, BreakerRegistry } from './breaker-registry.js';
import { BulkheadFullError } from './bulkhead.js';
import { Deadline, DeadlineExceededError } from './deadline.js';
import { resolvePolicies, type ResiliencePolicyOverride } from './policy.js';
import { UpstreamCaller } from './upstream-caller.js';

const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

function setUp(override: ResiliencePolicyOverride = {}, logger = silent) {
  const metrics = createMetrics();
  const breakers = new BreakerRegistry({ metrics, logger: silent });
  const caller = new UpstreamCaller({ breakers, metrics, logger });
  const policy: ResiliencePolicyOverride = {
    timeoutMs: 1000,
    breaker: { volumeThreshold: 1000, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    bulkhead: { maxConcurrent: 10, maxQueue: 10 },
    ...override,
  };
  caller.configure('upstream', resolvePolicies(['upstream.thing.get'], [policy]));
  const call = (options: { idempotent?: boolean; deadlineMs?: number } = {}) => ({
    connectorId: 'upstream',
    operationId: 'upstream.thing.get',
    idempotent: options.idempotent ?? true,
    requestId: 'unit-test',
    deadline: new Deadline(performance.now() + (options.deadlineMs ?? 30_000)),
  });
  const retries = async () => (await metrics.upstreamRetries.get()).values.reduce((sum, value) => sum + value.value, 0);
  const rejections = async (reason: string) => (await metrics.upstreamRejections.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
  return { caller, breakers, call, retries, rejections };
}

/** An attempt that fails with `error` the first `failures` times, then answers 'ok'. */
function flaky(failures: number, error: () => Error) {
  const attempt = Object.assign(
    async () => {
      attempt.calls += 1;
      if (attempt.calls <= failures) throw error();
      return 'ok';
    },
    { calls: 0 },
  );
  return attempt;
}

describe('UpstreamCaller retries', () => {
  it('retries an idempotent call on transient failures, up to maxAttempts in all', async () => {
    const { caller, breakers, call, retries } = setUp();
    const twice = flaky(2, () => new UpstreamError('connection', 'reset'));
    await expect(caller.call(call(), twice)).resolves.toBe('ok');
    expect(twice.calls).toBe(3);
    expect(await retries()).toBe(2);

    const always = flaky(99, () => new UpstreamError('http', 'HTTP 503', { upstreamCode: '503' }));
    await expect(caller.call(call(), always)).rejects.toMatchObject({ kind: 'http', upstreamCode: '503' });
    expect(always.calls).toBe(3);
    breakers.shutdown();
  });

  it('never repeats a non-idempotent call', async () => {
    const { caller, breakers, call, retries } = setUp();
    const attempt = flaky(1, () => new UpstreamError('connection', 'reset'));
    await expect(caller.call(call({ idempotent: false }), attempt)).rejects.toMatchObject({ kind: 'connection' });
    expect(attempt.calls).toBe(1);
    expect(await retries()).toBe(0);
    breakers.shutdown();
  });

  it.each([
    ['rejected', undefined],
    ['contract', undefined],
    ['auth', undefined],
    ['garbage', undefined],
    ['http', '404'],
  ] as const)('does not retry a %s failure (%s)', async (kind, upstreamCode) => {
    const { caller, breakers, call } = setUp();
    const attempt = flaky(1, () => new UpstreamError(kind, kind, { upstreamCode }));
    await expect(caller.call(call(), attempt)).rejects.toMatchObject({ kind });
    expect(attempt.calls).toBe(1);
    breakers.shutdown();
  });

  it("waits at least the upstream's Retry-After", async () => {
    const { caller, breakers, call } = setUp();
    const attempt = flaky(1, () => new UpstreamError('http', 'HTTP 503', { upstreamCode: '503', retryAfterMs: 300 }));
    const started = performance.now();
    await expect(caller.call(call(), attempt)).resolves.toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    breakers.shutdown();
  });

  it('gives up at once when Retry-After does not fit in the deadline', async () => {
    const { caller, breakers, call } = setUp();
    const attempt = flaky(1, () => new UpstreamError('http', 'HTTP 503', { upstreamCode: '503', retryAfterMs: 60_000 }));
    const started = performance.now();
    await expect(caller.call(call({ deadlineMs: 5000 }), attempt)).rejects.toMatchObject({ retryAfterMs: 60_000 });
    expect(attempt.calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(4000);
    breakers.shutdown();
  });

  it('retries a timeout only when the deadline leaves a full attempt timeout', async () => {
    const { caller, breakers, call } = setUp({ timeoutMs: 300 });
    /** Hangs until its attempt timeout the first time, then answers. */
    const slowOnce = () => {
      const attempt = Object.assign(
        (signal: AbortSignal): Promise<string> => {
          attempt.calls += 1;
          if (attempt.calls > 1) return Promise.resolve('ok');
          return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new UpstreamError('timeout', 'aborted'))));
        },
        { calls: 0 },
      );
      return attempt;
    };
    const tight = slowOnce();
    await expect(caller.call(call({ deadlineMs: 500 }), tight)).rejects.toMatchObject({ kind: 'timeout' });
    expect(tight.calls).toBe(1);
    const roomy = slowOnce();
    await expect(caller.call(call({ deadlineMs: 5000 }), roomy)).resolves.toBe('ok');
    expect(roomy.calls).toBe(2);
    breakers.shutdown();
  });

  it("ends the retries when the breaker opens, answering with the upstream's own failure", async () => {
    const { caller, breakers, call, rejections } = setUp({ breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 } });
    const attempt = flaky(99, () => new UpstreamError('fault', 'server fault'));
    await expect(caller.call(call(), attempt)).rejects.toMatchObject({ kind: 'fault' });
    expect(attempt.calls).toBe(2);
    expect(breakers.state('upstream')).toBe('open');
    await expect(caller.call(call(), attempt)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(attempt.calls).toBe(2);
    expect(await rejections('open')).toBe(2);
    breakers.shutdown();
  });
});

describe('UpstreamCaller.refuseIfOpen (the pipeline asks before counting quotas)', () => {
  const opening = { breaker: { volumeThreshold: 1, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } };

  it('does nothing while the breaker is closed', () => {
    const { caller, breakers } = setUp();
    expect(() => caller.refuseIfOpen('upstream')).not.toThrow();
    breakers.shutdown();
  });

  it('throws the open error, with its retry-after, and counts an open rejection once the breaker is open', async () => {
    const { caller, breakers, call, rejections } = setUp(opening);
    await expect(caller.call(call(), flaky(99, () => new UpstreamError('fault', 'server fault')))).rejects.toMatchObject({ kind: 'fault' });
    expect(breakers.state('upstream')).toBe('open');
    let thrown: unknown;
    try {
      caller.refuseIfOpen('upstream');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BreakerOpenError);
    expect((thrown as BreakerOpenError).retryAfterMs).toBeGreaterThan(50_000);
    expect(await rejections('open')).toBe(1);
    breakers.shutdown();
  });

  it('lets the half-open trial through, and refuses the calls behind it until the trial ends', async () => {
    const { caller, breakers, call } = setUp({ ...opening, breaker: { ...opening.breaker, resetTimeoutMs: 50 } });
    await expect(caller.call(call(), flaky(99, () => new UpstreamError('fault', 'server fault')))).rejects.toMatchObject({ kind: 'fault' });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(breakers.state('upstream')).toBe('half-open');
    expect(() => caller.refuseIfOpen('upstream')).not.toThrow();
    let release!: () => void;
    const trial = caller.call(call(), () => new Promise<string>((resolve) => (release = () => resolve('ok'))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => caller.refuseIfOpen('upstream')).toThrow(BreakerOpenError);
    release();
    await expect(trial).resolves.toBe('ok');
    expect(() => caller.refuseIfOpen('upstream')).not.toThrow();
    breakers.shutdown();
  });
});

describe('UpstreamCaller bulkhead and deadline', () => {
  it('refuses at once beyond maxConcurrent + maxQueue, and ends a queued wait at the deadline', async () => {
    const { caller, breakers, call, rejections } = setUp({ bulkhead: { maxConcurrent: 1, maxQueue: 1 } });
    let release!: () => void;
    const held = caller.call(call(), () => new Promise<string>((resolve) => (release = () => resolve('held'))));
    const queued = caller.call(call({ deadlineMs: 100 }), async () => 'queued');
    await expect(caller.call(call(), async () => 'third')).rejects.toBeInstanceOf(BulkheadFullError);
    await expect(queued).rejects.toMatchObject({ name: 'DeadlineExceededError', stage: 'queue' });
    release();
    await expect(held).resolves.toBe('held');
    expect(await rejections('bulkhead_full')).toBe(1);
    expect(await rejections('deadline')).toBe(1);
    breakers.shutdown();
  });

  it("cuts an attempt at the caller's deadline without counting it against the upstream", async () => {
    const { caller, breakers, call } = setUp({ timeoutMs: 5000 });
    let seen: AbortSignal | undefined;
    const hung = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(new UpstreamError('timeout', 'aborted'))));
    };
    await expect(caller.call(call({ deadlineMs: 100 }), hung)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(seen?.aborted).toBe(true);
    expect(breakers.recentOutcomes('upstream')).toMatchObject({ calls: 1, failures: 0 });
    breakers.shutdown();
  });

  it('refuses a call whose deadline has already passed without asking the upstream', async () => {
    const { caller, breakers, call } = setUp();
    const attempt = flaky(0, () => new Error('unused'));
    await expect(caller.call(call({ deadlineMs: -1 }), attempt)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(attempt.calls).toBe(0);
    breakers.shutdown();
  });
});

describe('UpstreamCaller failure log', () => {
  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk, _e, cb) => (lines.push(JSON.parse(chunk.toString())), cb()) }) });
    return { logger, lines };
  };

  it('writes one warn line per failed attempt: kind, upstream code, attempt, latency, whether it is retried', async () => {
    const { logger, lines } = capture();
    const { caller, breakers, call } = setUp({}, logger);
    const attempt = flaky(99, () => new UpstreamError('http', 'upstream answered HTTP 503', { upstreamCode: '503' }));
    await expect(caller.call(call(), attempt)).rejects.toMatchObject({ kind: 'http' });
    expect(lines.map(({ time: _t, pid: _p, hostname: _h, latencyMs, ...rest }) => ({ ...rest, latencyMs: typeof latencyMs }))).toEqual(
      [1, 2, 3].map((attemptNumber) => ({
        level: 'warn',
        name: 'lgsp-gateway',
        msg: 'upstream attempt failed',
        connector: 'upstream',
        operation: 'upstream.thing.get',
        requestId: 'unit-test',
        kind: 'http',
        upstreamCode: '503',
        reason: 'upstream answered HTTP 503',
        attempt: attemptNumber,
        maxAttempts: 3,
        latencyMs: 'number',
        retrying: attemptNumber < 3,
      })),
    );
    breakers.shutdown();
  });

  it('writes nothing for a call refused before it reached the upstream, nor for a bug (the responder logs that)', async () => {
    const { logger, lines } = capture();
    const { caller, breakers, call } = setUp({}, logger);
    await expect(caller.call(call({ deadlineMs: -1 }), flaky(0, () => new Error('unused')))).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(caller.call(call(), flaky(1, () => new TypeError('bug')))).rejects.toBeInstanceOf(TypeError);
    expect(lines).toEqual([]);
    breakers.shutdown();
  });
});
