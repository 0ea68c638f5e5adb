import type { Labels, SignalSample, SignalSeries } from '../types.js';
import { signalCatalog } from './signal-catalog.js';

/** Canonical id of a series: signal, window and labels in name order (what the store keys a replica's row by). */
export function seriesKey(sample: Pick<SignalSample, 'signal' | 'labels' | 'windowSeconds'>): string {
  return `${sample.signal}|${sample.windowSeconds}|${canonicalLabels(sample.labels)}`;
}

export function canonicalLabels(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((name) => [name, labels[name]]));
}

/**
 * Several replicas' samples of one series combined as the table in types.ts
 * says: a probe down on one replica is down (min), a breaker open on one is
 * open (max), counts add up, a ratio is the sum of errors over the sum of
 * requests (not an average of ratios), a p95 is taken from the summed
 * histogram. A ratio or p95 with no request behind it is no series at all.
 */
export function mergeSamples(samples: readonly SignalSample[]): SignalSeries[] {
  const groups = new Map<string, SignalSample[]>();
  for (const sample of samples) {
    const key = seriesKey(sample);
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  const series: SignalSeries[] = [];
  for (const group of groups.values()) {
    const merged = mergeGroup(group);
    if (merged) series.push(merged);
  }
  return series;
}

function mergeGroup(group: readonly SignalSample[]): SignalSeries | undefined {
  const { signal, labels, windowSeconds } = group[0]!;
  const base = { signal, labels, windowSeconds };
  const values = group.map((sample) => sample.value).filter((value): value is number => typeof value === 'number' && !Number.isNaN(value));
  switch (signalCatalog[signal].merge) {
    case 'min':
      return values.length ? { ...base, value: Math.min(...values) } : undefined;
    case 'max':
      return values.length ? { ...base, value: Math.max(...values) } : undefined;
    case 'sum':
      return values.length ? { ...base, value: values.reduce((sum, value) => sum + value, 0) } : undefined;
    case 'ratio': {
      const num = group.reduce((sum, sample) => sum + (sample.num ?? 0), 0);
      const den = group.reduce((sum, sample) => sum + (sample.den ?? 0), 0);
      return den > 0 ? { ...base, value: num / den, observations: den } : undefined;
    }
    case 'p95': {
      const buckets = sumBuckets(group.map((sample) => sample.buckets ?? []));
      const count = buckets.at(-1)?.[1] ?? 0;
      if (count <= 0) return undefined;
      return { ...base, value: histogramQuantile(0.95, buckets), observations: count };
    }
  }
}

type Buckets = ReadonlyArray<readonly [upperBound: number, cumulativeCount: number]>;

/**
 * Adds cumulative histograms bound by bound. Replicas share one bucket
 * layout in practice; should they not, a replica's count at a bound it
 * lacks is its count at the nearest lower bound (cumulative counts allow it).
 */
export function sumBuckets(histograms: readonly Buckets[]): Array<[number, number]> {
  const bounds = [...new Set(histograms.flatMap((buckets) => buckets.map(([bound]) => bound)))].sort((a, b) => a - b);
  return bounds.map((bound) => [
    bound,
    histograms.reduce((sum, buckets) => {
      let count = 0;
      for (const [upper, cumulative] of buckets) if (upper <= bound) count = Math.max(count, cumulative);
      return sum + count;
    }, 0),
  ]);
}

/**
 * Prometheus's histogram_quantile over cumulative buckets sorted by bound:
 * the bucket holding the rank, linear interpolation inside it (from 0 for
 * the first bucket); a rank in the +Inf bucket answers the largest finite
 * bound. NaN without observations or with fewer than two buckets.
 */
export function histogramQuantile(quantile: number, buckets: Buckets): number {
  if (buckets.length < 2) return NaN;
  const total = buckets.at(-1)![1];
  if (total <= 0) return NaN;
  const rank = quantile * total;
  let index = buckets.findIndex(([, cumulative], position) => position < buckets.length - 1 && cumulative >= rank);
  if (index === -1) index = buckets.length - 1;
  if (index === buckets.length - 1 && buckets[index]![0] === Infinity) return buckets[index - 1]![0];
  const [end, cumulative] = buckets[index]!;
  if (index === 0 && end <= 0) return end;
  const [start, before] = index === 0 ? [0, 0] : buckets[index - 1]!;
  const inBucket = cumulative - before;
  return inBucket > 0 ? start + (end - start) * ((rank - before) / inBucket) : end;
}
