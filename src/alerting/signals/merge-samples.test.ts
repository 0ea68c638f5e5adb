import type { SignalSample } from '../types.js';
import { histogramQuantile, mergeSamples, seriesKey, sumBuckets } from './merge-samples.js';

const land = { connector: 'land' };
const parcel = { connector: 'land', operation: 'parcel' };

describe('mergeSamples', () => {
  it('combines replicas per the signal: min for probes, max for breakers and the outbox, sums for increases', () => {
    const samples: SignalSample[] = [
      { signal: 'probe_up', labels: land, windowSeconds: 0, value: 1 },
      { signal: 'probe_up', labels: land, windowSeconds: 0, value: 0 },
      { signal: 'breaker_open', labels: land, windowSeconds: 0, value: 0 },
      { signal: 'breaker_open', labels: land, windowSeconds: 0, value: 1 },
      { signal: 'outbox_dead_messages', labels: { target: 't' }, windowSeconds: 0, value: 2 },
      { signal: 'outbox_dead_messages', labels: { target: 't' }, windowSeconds: 0, value: 2 },
      { signal: 'credential_expires_in_seconds', labels: land, windowSeconds: 0, value: 500 },
      { signal: 'credential_expires_in_seconds', labels: land, windowSeconds: 0, value: 490 },
      { signal: 'contract_violations', labels: parcel, windowSeconds: 900, value: 1 },
      { signal: 'contract_violations', labels: parcel, windowSeconds: 900, value: 2 },
      // Another window of the same series is another series.
      { signal: 'contract_violations', labels: parcel, windowSeconds: 300, value: 1 },
    ];
    const merged = mergeSamples(samples);
    const value = (signal: string, windowSeconds = 0) => merged.find((series) => series.signal === signal && series.windowSeconds === windowSeconds)?.value;
    expect(merged).toHaveLength(6);
    expect(value('probe_up')).toBe(0);
    expect(value('breaker_open')).toBe(1);
    expect(value('outbox_dead_messages')).toBe(2);
    expect(value('credential_expires_in_seconds')).toBe(490);
    expect(value('contract_violations', 900)).toBe(3);
    expect(value('contract_violations', 300)).toBe(1);
  });

  it('treats labels in any order as one series', () => {
    const merged = mergeSamples([
      { signal: 'cache_stale_serves', labels: { connector: 'land', operation: 'x' }, windowSeconds: 300, value: 1 },
      { signal: 'cache_stale_serves', labels: { operation: 'x', connector: 'land' }, windowSeconds: 300, value: 4 },
    ]);
    expect(merged).toEqual([{ signal: 'cache_stale_serves', labels: { connector: 'land', operation: 'x' }, windowSeconds: 300, value: 5 }]);
    expect(seriesKey({ signal: 'probe_up', labels: { b: '1', a: '2' }, windowSeconds: 0 })).toBe(seriesKey({ signal: 'probe_up', labels: { a: '2', b: '1' }, windowSeconds: 0 }));
  });

  it('merges ratios as the sum of errors over the sum of requests, not an average of ratios', () => {
    const merged = mergeSamples([
      { signal: 'error_ratio', labels: parcel, windowSeconds: 300, num: 9, den: 10 },
      { signal: 'error_ratio', labels: parcel, windowSeconds: 300, num: 1, den: 90 },
      { signal: 'error_ratio', labels: { connector: 'land', operation: 'idle' }, windowSeconds: 300, num: 0, den: 0 },
    ]);
    // Average of ratios would be 0.456; the traffic-weighted truth is 10 / 100.
    expect(merged).toEqual([{ signal: 'error_ratio', labels: parcel, windowSeconds: 300, value: 0.1, observations: 100 }]);
  });

  it('merges latency as the p95 of the summed histograms, with the request count as observations', () => {
    const a: SignalSample = { signal: 'latency_p95_seconds', labels: parcel, windowSeconds: 300, buckets: [[0.5, 40], [1, 50], [2, 50], [Infinity, 50]] };
    const b: SignalSample = { signal: 'latency_p95_seconds', labels: parcel, windowSeconds: 300, buckets: [[0.5, 0], [1, 0], [2, 50], [Infinity, 50]] };
    const [merged] = mergeSamples([a, b]);
    // Summed: 40 ≤ 0.5, 50 ≤ 1, 100 ≤ 2. Rank 95 of 100 is in (1, 2]: 1 + 1 × (95 − 50) / 50.
    expect(merged).toMatchObject({ signal: 'latency_p95_seconds', labels: parcel, windowSeconds: 300, observations: 100 });
    expect(merged!.value).toBeCloseTo(1.9, 10);
    expect(mergeSamples([{ ...a, buckets: [[0.5, 0], [Infinity, 0]] }])).toEqual([]);
  });
});

describe('histogramQuantile (as Prometheus histogram_quantile)', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    // 100 observations: 10 ≤ 0.1, 60 ≤ 0.5, 100 ≤ 1. Rank 95 is in (0.5, 1]: 0.5 + 0.5 × (95 − 60) / 40.
    expect(histogramQuantile(0.95, [[0.1, 10], [0.5, 60], [1, 100], [Infinity, 100]])).toBeCloseTo(0.9375, 10);
    // The first bucket starts at 0: rank 5 of 10 in [0, 0.1].
    expect(histogramQuantile(0.5, [[0.1, 10], [Infinity, 10]])).toBeCloseTo(0.05, 10);
    // A rank in the +Inf bucket answers the largest finite bound.
    expect(histogramQuantile(0.95, [[0.1, 10], [1, 90], [Infinity, 100]])).toBe(1);
    expect(histogramQuantile(0.95, [[0.1, 0], [Infinity, 0]])).toBeNaN();
    expect(histogramQuantile(0.95, [[Infinity, 4]])).toBeNaN();
  });

  it('sums cumulative histograms with different layouts at the nearest lower bound', () => {
    expect(sumBuckets([[[1, 2], [Infinity, 3]], [[0.5, 1], [1, 4], [Infinity, 4]]])).toEqual([
      [0.5, 1],
      [1, 6],
      [Infinity, 7],
    ]);
  });
});
