import type { Registry } from 'prom-client';
import type { Labels, SignalName, SignalSample } from '../types.js';
import { errorOutcomes, signalCatalog, unauthenticIpnVerdictSet, upstreamReachedOutcomes } from './signal-catalog.js';
import { seriesKey } from './merge-samples.js';

export { windowedSignals } from './signal-catalog.js';

export interface SignalSamplerOptions {
  /** This process's registry (the gateway's createMetrics().registry). */
  registry: Registry;
  /** Readings the registry does not hold (e.g. the audit gate): merged over the registry's, by max for values. */
  extraReadings?: Array<() => SignalSample[] | Promise<SignalSample[]>>;
  /** ms since the epoch; injected by tests. */
  now?: () => number;
}

/** A counter-like reading as it stands at one sample() call: the windowed signals are differences of two of these. */
interface Cumulative {
  signal: SignalName;
  labels: Labels;
  /** value: [increase]; ratio: [errors, requests]; histogram: cumulative counts per bound. */
  values: number[];
  /** Histograms: the upper bounds of `values` (Infinity last). */
  bounds?: number[];
}

interface Snapshot {
  at: number;
  readings: Map<string, Cumulative>;
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number | undefined>;
  metricName?: string;
}

const errorOutcomeSet = new Set<string>(errorOutcomes);
const upstreamReachedSet = new Set<string>(upstreamReachedOutcomes);
/** Internal key of the failed audit commits counter (read like a windowed signal, published as an instant 0/1). */
const auditFailuresKey = 'audit_failed_batches';

/**
 * Reads this replica's signals from its metrics registry. Counters only ever
 * grow from the process start, so an increase over a window is the reading
 * now minus the reading kept from (at least) a window ago: the sampler keeps
 * one snapshot per sample() call, enough to cover the largest window asked
 * for and no more. Called every evaluation interval; its samples are
 * published to the store and merged with the other replicas' by the leader.
 */
export class SignalSampler {
  private readonly registry: Registry;
  private readonly extraReadings: SignalSamplerOptions['extraReadings'];
  private readonly now: () => number;
  /** Oldest first. */
  private snapshots: Snapshot[] = [];

  constructor(options: SignalSamplerOptions) {
    this.registry = options.registry;
    this.extraReadings = options.extraReadings ?? [];
    this.now = options.now ?? Date.now;
  }

  /** Instant signals (windowSeconds 0) and every windowed signal once per window asked for. */
  async sample(windows: readonly number[]): Promise<SignalSample[]> {
    const now = this.now();
    const windowList = [...new Set(windows.filter((window) => Number.isFinite(window) && window > 0))].sort((a, b) => a - b);
    const samples: SignalSample[] = await this.instantSamples(now);
    const current: Snapshot = { at: now, readings: await this.cumulativeReadings() };

    for (const window of windowList) {
      const baseline = this.baselineFor(now - window * 1000);
      for (const [key, reading] of current.readings) {
        if (key === auditFailuresKey) continue;
        const values = increase(reading, baseline?.readings.get(key));
        samples.push(toWindowedSample(reading, window, values));
      }
    }

    const auditFailures = current.readings.get(auditFailuresKey);
    if (auditFailures) {
      // No windowed rule at all: the default window still bounds how long one failed commit counts.
      const window = windowList[0] ?? 300;
      const failed = increase(auditFailures, this.baselineFor(now - window * 1000)?.readings.get(auditFailuresKey))[0]!;
      samples.push({ signal: 'audit_unavailable', labels: {}, windowSeconds: 0, value: failed > 0 ? 1 : 0 });
    }

    this.snapshots.push(current);
    this.prune(now - (windowList.at(-1) ?? 300) * 1000);
    return mergeExtra(samples, await this.readExtra());
  }

  /** The newest snapshot taken at or before `time`; none when the process is younger than that (counters began at 0). */
  private baselineFor(time: number): Snapshot | undefined {
    for (let index = this.snapshots.length - 1; index >= 0; index -= 1) if (this.snapshots[index]!.at <= time) return this.snapshots[index];
    return undefined;
  }

  /** Drops what no window can ask for any more: everything older than the newest snapshot at or before the largest window's start. */
  private prune(oldestNeeded: number): void {
    let keepFrom = 0;
    for (let index = 0; index < this.snapshots.length; index += 1) if (this.snapshots[index]!.at <= oldestNeeded) keepFrom = index;
    if (keepFrom > 0) this.snapshots = this.snapshots.slice(keepFrom);
  }

  private async read(metric: string): Promise<MetricValue[] | undefined> {
    const found = this.registry.getSingleMetric(metric);
    if (!found) return undefined;
    return (await found.get()).values as MetricValue[];
  }

  private async instantSamples(now: number): Promise<SignalSample[]> {
    const samples: SignalSample[] = [];
    const gauge = async (signal: SignalName, transform: (value: number) => number = (value) => value) => {
      const definition = signalCatalog[signal];
      for (const { value, labels } of (await this.read(definition.metric)) ?? []) {
        samples.push({ signal, labels: pick(labels, definition.labels), windowSeconds: 0, value: transform(value) });
      }
    };
    await gauge('probe_up');
    await gauge('breaker_open', (state) => (state === 2 ? 1 : 0));
    await gauge('outbox_dead_messages');
    await gauge('outbox_oldest_pending_age_seconds');
    await gauge('credential_expires_in_seconds', (expiresAtSeconds) => expiresAtSeconds - now / 1000);
    return samples;
  }

  /** The counters and histograms behind the windowed signals, as they stand now, summed to each signal's labels. */
  private async cumulativeReadings(): Promise<Map<string, Cumulative>> {
    const readings = new Map<string, Cumulative>();
    const add = (signal: SignalName, labels: Labels, values: number[], bounds?: number[], key = seriesKey({ signal, labels, windowSeconds: 0 })) => {
      const existing = readings.get(key);
      if (!existing) readings.set(key, { signal, labels, values: [...values], ...(bounds && { bounds }) });
      else values.forEach((value, index) => (existing.values[index] = (existing.values[index] ?? 0) + value));
    };

    const requests = await this.read(signalCatalog.error_ratio.metric);
    for (const { value, labels } of requests ?? []) {
      add('error_ratio', pick(labels, signalCatalog.error_ratio.labels), [errorOutcomeSet.has(String(labels.outcome)) ? value : 0, value]);
    }

    const durations = await this.read(signalCatalog.latency_p95_seconds.metric);
    if (durations) {
      // Bucket rows come per label set in bound order; gather each (connector, operation)'s buckets over the outcomes that reached the upstream.
      const perSeries = new Map<string, { labels: Labels; counts: Map<number, number> }>();
      for (const { value, labels, metricName } of durations) {
        if (!metricName?.endsWith('_bucket') || !upstreamReachedSet.has(String(labels.outcome))) continue;
        const seriesLabels = pick(labels, signalCatalog.latency_p95_seconds.labels);
        const key = seriesKey({ signal: 'latency_p95_seconds', labels: seriesLabels, windowSeconds: 0 });
        const entry = perSeries.get(key) ?? { labels: seriesLabels, counts: new Map<number, number>() };
        perSeries.set(key, entry);
        const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
        entry.counts.set(bound, (entry.counts.get(bound) ?? 0) + value);
      }
      for (const [key, { labels, counts }] of perSeries) {
        const bounds = [...counts.keys()].sort((a, b) => a - b);
        add('latency_p95_seconds', labels, bounds.map((bound) => counts.get(bound)!), bounds, key);
      }
    }

    for (const signal of ['contract_violations', 'upstream_rejections', 'rate_limit_fallback', 'cache_stale_serves', 'payment_anomalies'] as const) {
      const definition = signalCatalog[signal];
      for (const { value, labels } of (await this.read(definition.metric)) ?? []) add(signal, pick(labels, definition.labels), [value]);
    }

    const ipns = signalCatalog.payment_ipn_unauthentic;
    for (const { value, labels } of (await this.read(ipns.metric)) ?? []) {
      if (unauthenticIpnVerdictSet.has(String(labels.verdict))) add('payment_ipn_unauthentic', pick(labels, ipns.labels), [value]);
    }

    const auditBatches = await this.read(signalCatalog.audit_unavailable.metric);
    if (auditBatches) {
      const failed = auditBatches.filter((row) => row.metricName?.endsWith('_count') && row.labels.result === 'failed').reduce((sum, row) => sum + row.value, 0);
      add('audit_unavailable', {}, [failed], undefined, auditFailuresKey);
    }
    return readings;
  }

  private async readExtra(): Promise<SignalSample[]> {
    const batches = await Promise.all((this.extraReadings ?? []).map(async (read) => read()));
    return batches.flat();
  }
}

/** Growth since the baseline; a counter that went down restarted (a registry reset), so its whole value is the growth. */
function increase(reading: Cumulative, baseline: Cumulative | undefined): number[] {
  if (!baseline || !sameBounds(reading.bounds, baseline.bounds)) return reading.values;
  const deltas = reading.values.map((value, index) => value - (baseline.values[index] ?? 0));
  return deltas.some((delta) => delta < 0) ? reading.values : deltas;
}

function sameBounds(a: number[] | undefined, b: number[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((bound, index) => bound === b[index]);
}

function toWindowedSample(reading: Cumulative, windowSeconds: number, values: number[]): SignalSample {
  const { signal, labels } = reading;
  switch (signalCatalog[signal].reading) {
    case 'ratio':
      return { signal, labels, windowSeconds, num: values[0]!, den: values[1]! };
    case 'histogram':
      return { signal, labels, windowSeconds, buckets: reading.bounds!.map((bound, index) => [bound, values[index]!] as const) };
    default:
      return { signal, labels, windowSeconds, value: values[0]! };
  }
}

function pick(labels: MetricValue['labels'], names: readonly string[]): Labels {
  const picked: Record<string, string> = {};
  for (const name of names) if (labels[name] !== undefined) picked[name] = String(labels[name]);
  return picked;
}

/** Extra readings of a series the registry also gave: the larger value wins (a closed audit gate is 1 whatever the counter says). */
function mergeExtra(samples: SignalSample[], extra: SignalSample[]): SignalSample[] {
  const byKey = new Map(samples.map((sample) => [seriesKey(sample), sample]));
  for (const sample of extra) {
    const key = seriesKey(sample);
    const existing = byKey.get(key);
    if (existing?.value !== undefined && sample.value !== undefined) byKey.set(key, { ...existing, value: Math.max(existing.value, sample.value) });
    else byKey.set(key, sample);
  }
  return [...byKey.values()];
}
