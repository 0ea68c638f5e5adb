import type { CallOutcome } from '../pipeline/upstream-problem.js';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { ConnectorTrafficHistory, intervalQuantile, maxPointsPerConnector } from './connector-history.js';
import { createMetrics } from './metrics.js';

const start = Date.UTC(2026, 0, 1, 8, 0, 0);

function setup(options: { sampleIntervalMs?: number } = {}) {
  let clock = start;
  const metrics = createMetrics();
  const log = captureLogger();
  const history = new ConnectorTrafficHistory({
    metrics,
    connectorIds: ['population', 'tax'],
    sampleIntervalMs: options.sampleIntervalMs ?? 10_000,
    replica: 'replica-a',
    logger: log.logger,
    now: () => clock,
  });
  /** Records a call exactly as the operation handler does (src/pipeline/operation-handler.ts). */
  const call = (connector: string, outcome: CallOutcome, seconds: number, times = 1) => {
    for (let index = 0; index < times; index += 1) {
      const labels = { connector, operation: `${connector}.op`, outcome };
      metrics.requests.inc(labels);
      metrics.requestDuration.observe(labels, seconds);
    }
  };
  const advance = (ms: number) => (clock += ms);
  /** Closes one window of `ms` (default: the interval) and returns its points by connector. */
  const windowOf = async (ms = 10_000) => {
    advance(ms);
    await history.sample();
    return { population: history.latest('population')!, tax: history.latest('tax')! };
  };
  return { metrics, history, call, advance, windowOf, log };
}

describe('ConnectorTrafficHistory', () => {
  it('takes the first reading as the baseline only: calls made before it are no window', async () => {
    const { history, call } = setup();
    call('population', 'success', 0.01, 5);
    await history.sample();
    expect(history.latest('population')).toBeUndefined();
    expect(history.history(60)).toEqual([
      { connector: 'population', points: [] },
      { connector: 'tax', points: [] },
    ]);
  });

  it('gives each window its requests, errors (5xx outcomes only), requests per minute and error rate', async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    call('population', 'success', 0.01, 3);
    call('population', 'not_found', 0.01);
    call('population', 'denied', 0.001); // the caller's fault: not an error
    call('population', 'rate_limited', 0.001);
    call('population', 'upstream_error', 0.2);
    call('population', 'upstream_timeout', 2);
    const { population } = await windowOf(10_000);
    expect(population).toMatchObject({ at: new Date(start + 10_000).toISOString(), requests: 8, errors: 2, requestsPerMinute: 48, errorRate: 0.25 });
  });

  it('scales requests per minute by the window actually elapsed (timer drift)', async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    call('tax', 'success', 0.01, 7);
    expect((await windowOf(12_000)).tax.requestsPerMinute).toBe(35);
  });

  it('answers a window without calls with zero requests and null error rate and p95', async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    call('population', 'success', 0.01, 4);
    const first = await windowOf();
    expect(first.tax).toEqual({ at: expect.any(String), requests: 0, errors: 0, requestsPerMinute: 0, errorRate: null, p95Ms: null });
    const second = await windowOf();
    expect(second.population).toEqual({ at: new Date(start + 20_000).toISOString(), requests: 0, errors: 0, requestsPerMinute: 0, errorRate: null, p95Ms: null });
  });

  it("takes the p95 of the window's own calls from the histogram's bucket increases, not of everything since the start", async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    call('population', 'success', 0.003, 100); // bucket (2 ms, 5 ms]
    const fast = await windowOf();
    // Rank 95 of 100 inside (2, 5]: 2 + 3 × 95/100 = 4.85, given to 0.1 ms.
    expect(Math.abs(fast.population.p95Ms! - 4.85)).toBeLessThanOrEqual(0.051);

    call('population', 'success', 0.3, 100); // bucket (250 ms, 500 ms]
    const slow = await windowOf();
    // This window alone: 250 + 250 × 95/100. The cumulative histogram would say 475.
    expect(slow.population.p95Ms).toBeCloseTo(487.5, 1);

    call('population', 'success', 0.003, 100);
    expect((await windowOf()).population.p95Ms).toBe(fast.population.p95Ms);
  });

  it('leaves the gateway’s own refusals out of the p95 (they would pull it to zero), but counts them as requests', async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    call('tax', 'denied', 0.001, 10);
    call('tax', 'unauthenticated', 0.001, 10);
    const onlyRefused = await windowOf();
    expect(onlyRefused.tax).toMatchObject({ requests: 20, errors: 0, errorRate: 0, p95Ms: null });

    call('tax', 'denied', 0.001, 50);
    call('tax', 'upstream_error', 0.7, 2); // bucket (500 ms, 1 s]
    const mixed = await windowOf();
    expect(mixed.tax.p95Ms).toBeCloseTo(500 + 500 * 0.95, 1);
    expect(mixed.tax.errorRate).toBeCloseTo(2 / 52, 6);
  });

  it('answers a p95 beyond the largest bucket with that bucket’s bound (10 s)', async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    call('population', 'upstream_timeout', 30, 3);
    expect((await windowOf()).population.p95Ms).toBe(10_000);
  });

  it('keeps every connector’s points, oldest first, and only those of the minutes asked for', async () => {
    const { history, call, windowOf } = setup();
    await history.sample();
    for (let window = 1; window <= 12; window += 1) {
      call('population', 'success', 0.01, window);
      await windowOf();
    }
    const all = history.history(60);
    expect(all.map((entry) => entry.connector)).toEqual(['population', 'tax']);
    expect(all[0]!.points.map((point) => point.requests)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(all[1]!.points).toHaveLength(12);
    expect(all[0]!.points.map((point) => Date.parse(point.at))).toEqual(Array.from({ length: 12 }, (_, index) => start + (index + 1) * 10_000));
    // The last minute: the windows that ended after now − 60 s (the newest six at 10 s).
    expect(history.history(1)[0]!.points.map((point) => point.requests)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('holds an hour of points (360 at 10 s) and forgets older ones', async () => {
    const { history, call, windowOf } = setup();
    expect(history.capacity).toBe(360);
    await history.sample();
    for (let window = 1; window <= 400; window += 1) {
      if (window === 41) call('population', 'success', 0.01);
      await windowOf();
    }
    const points = history.history(60)[0]!.points;
    expect(points).toHaveLength(360);
    // Window 41 is the oldest one kept: 400 − 360 + 1.
    expect(points[0]).toMatchObject({ requests: 1, at: new Date(start + 41 * 10_000).toISOString() });
  });

  it('bounds the ring whatever the interval: below 1 s it covers less than the hour', async () => {
    const { history, windowOf } = setup({ sampleIntervalMs: 100 });
    expect(history.capacity).toBe(maxPointsPerConnector);
    await history.sample();
    for (let window = 1; window <= maxPointsPerConnector + 5; window += 1) await windowOf(100);
    const points = history.history(60)[0]!.points;
    expect(points).toHaveLength(maxPointsPerConnector);
    expect(Date.parse(points[0]!.at)).toBe(start + 6 * 100);
  });

  it('samples on its own timer once started, and stops', async () => {
    const metrics = createMetrics();
    const history = new ConnectorTrafficHistory({ metrics, connectorIds: ['population'], sampleIntervalMs: 50, replica: 'replica-a', logger: captureLogger().logger });
    history.start();
    try {
      metrics.requests.inc({ connector: 'population', operation: 'population.op', outcome: 'success' });
      const deadline = Date.now() + 5_000;
      while (!history.history(60)[0]!.points.some((point) => point.requests === 1) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(history.history(60)[0]!.points.some((point) => point.requests === 1)).toBe(true);
    } finally {
      history.stop();
    }
    await new Promise((resolve) => setTimeout(resolve, 80)); // a sampling begun before stop() lands
    const stopped = history.history(60)[0]!.points.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(history.history(60)[0]!.points).toHaveLength(stopped);
  });

  it('has no point for a connector it does not know', async () => {
    const { history, windowOf } = setup();
    await history.sample();
    await windowOf();
    expect(history.latest('nowhere')).toBeUndefined();
  });
});

describe('intervalQuantile', () => {
  const cumulative = (entries: Array<[number, number]>) => new Map(entries);

  it('is null without observations in the window', () => {
    expect(intervalQuantile(0.95, undefined, undefined)).toBeNull();
    const same = cumulative([[0.1, 5], [1, 8], [Infinity, 8]]);
    expect(intervalQuantile(0.95, same, same)).toBeNull();
  });

  it('interpolates inside the bucket holding the rank, from 0 in the first bucket', () => {
    expect(intervalQuantile(0.5, cumulative([[0.1, 10], [1, 10], [Infinity, 10]]), undefined)).toBeCloseTo(0.05, 9);
    const before = cumulative([[0.1, 10], [1, 10], [Infinity, 10]]);
    const now = cumulative([[0.1, 10], [1, 30], [Infinity, 30]]);
    expect(intervalQuantile(0.5, now, before)).toBeCloseTo(0.1 + 0.9 * 0.5, 9);
  });

  it('takes a histogram that went down as restarted (its whole count is the window)', () => {
    const before = cumulative([[0.1, 50], [1, 60], [Infinity, 60]]);
    const now = cumulative([[0.1, 0], [1, 4], [Infinity, 4]]);
    expect(intervalQuantile(0.5, now, before)).toBeCloseTo(0.1 + 0.9 * 0.5, 9);
  });
});
