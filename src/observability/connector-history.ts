import { histogramQuantile } from '../alerting/signals/merge-samples.js';
import { errorOutcomes, upstreamReachedOutcomes } from '../alerting/signals/signal-catalog.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { RingBuffer } from './ring-buffer.js';

/** One connector's traffic over one sampling window, as this replica saw it. */
export interface TrafficPoint {
  /** End of the window (ISO 8601); the window is the time since the previous point (sampleIntervalMs, give or take the timer's drift). */
  at: string;
  /** Operation calls answered in the window, whatever their outcome. */
  requests: number;
  /** Of those, the ones the gateway or the upstream failed (5xx outcomes: the alert rules' error outcomes). */
  errors: number;
  requestsPerMinute: number;
  /** errors / requests; null without calls. */
  errorRate: number | null;
  /**
   * 95th percentile of the window's call durations in ms, interpolated inside the
   * latency histogram's buckets (as Prometheus's histogram_quantile does). Only calls
   * answered or failed by the connector count, as in the latency alert: the gateway's
   * own refusals (token, grant, quota, open breaker) would pull it towards zero. Null
   * when no such call was made.
   */
  p95Ms: number | null;
}

export interface ConnectorHistory {
  connector: string;
  /** Oldest first. */
  points: TrafficPoint[];
}

/** What the admin routes read (the overview's tiles and charts). */
export type ConnectorTrafficSource = Pick<ConnectorTrafficHistory, 'replica' | 'sampleIntervalMs' | 'latest' | 'history'>;

export interface ConnectorTrafficHistoryOptions {
  /** The two metrics every operation call already records (src/pipeline/operation-handler.ts): nothing is added on the hot path. */
  metrics: Pick<Metrics, 'requests' | 'requestDuration'>;
  /** The mounted connectors: each gets a point every window, with or without calls. */
  connectorIds: readonly string[];
  sampleIntervalMs: number;
  /** This replica's name in answers (the id its outbox dispatcher and alerting publish under). */
  replica: string;
  logger: Logger;
  /** ms since the epoch; injected by tests. */
  now?: () => number;
}

/** The overview charts the last hour. */
export const historySpanMs = 60 * 60_000;
/** Bounds memory whatever the interval: below 1 s the ring covers less than the hour. */
export const maxPointsPerConnector = 3600;

/** Cumulative totals of one connector as the registry holds them at one reading. */
interface ConnectorTotals {
  requests: number;
  errors: number;
  /** Cumulative count per upper bound (Infinity for +Inf), over the outcomes that count for latency. */
  latencyBuckets: Map<number, number>;
}

interface Reading {
  at: number;
  totals: Map<string, ConnectorTotals>;
}

interface Tick {
  at: number;
  points: Map<string, TrafficPoint>;
}

const errorOutcomeSet: ReadonlySet<string> = new Set(errorOutcomes);
const latencyOutcomeSet: ReadonlySet<string> = new Set(upstreamReachedOutcomes);

/**
 * Per-connector traffic of the last hour, for the console's overview. Every
 * sampleIntervalMs it reads the cumulative request counter and latency
 * histogram from this process's metrics registry and keeps the difference to
 * the previous reading as one point per connector, in a ring bounded to the
 * hour. The request path does nothing more than it did for /metrics.
 *
 * Each replica samples its own registry: behind a load balancer each one sees
 * its share of the traffic, and answers with that share (named by `replica`).
 */
export class ConnectorTrafficHistory {
  readonly sampleIntervalMs: number;
  readonly replica: string;
  readonly capacity: number;
  private readonly metrics: ConnectorTrafficHistoryOptions['metrics'];
  private readonly connectorIds: readonly string[];
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly ticks: RingBuffer<Tick>;
  private previous: Reading | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(options: ConnectorTrafficHistoryOptions) {
    this.metrics = options.metrics;
    this.connectorIds = [...options.connectorIds];
    this.sampleIntervalMs = options.sampleIntervalMs;
    this.replica = options.replica;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.capacity = Math.min(maxPointsPerConnector, Math.ceil(historySpanMs / options.sampleIntervalMs));
    this.ticks = new RingBuffer(this.capacity);
  }

  /** Takes the baseline reading now, then a point every interval. The timer never keeps the process alive. */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.sampleIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Reads the registry and records one point per connector for the time since
   * the previous reading. The first reading is only the baseline: counters
   * began before it, and their totals are not one window's traffic.
   */
  async sample(): Promise<void> {
    const at = this.now();
    const totals = await this.readTotals();
    const previous = this.previous;
    this.previous = { at, totals };
    if (!previous || at <= previous.at) return;
    const windowMs = at - previous.at;
    const iso = new Date(at).toISOString();
    const points = new Map(this.connectorIds.map((id) => [id, pointOf(iso, windowMs, totals.get(id), previous.totals.get(id))] as const));
    this.ticks.push({ at, points });
  }

  /** The newest window's figures; undefined until the first window has closed (sampleIntervalMs after start) or for an unknown connector. */
  latest(connectorId: string): TrafficPoint | undefined {
    return this.ticks.newest()?.points.get(connectorId);
  }

  /** Every mounted connector with its points of the last `minutes`, oldest first. */
  history(minutes: number): ConnectorHistory[] {
    const since = this.now() - minutes * 60_000;
    const ticks = this.ticks.toArray().filter((tick) => tick.at > since);
    return this.connectorIds.map((connector) => ({ connector, points: ticks.flatMap((tick) => tick.points.get(connector) ?? []) }));
  }

  /** One sampling at a time: a slow registry read skips a beat rather than piling reads up. */
  private tick(): void {
    if (this.sampling) return;
    this.sampling = this.sample()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'connector traffic sampling failed'))
      .finally(() => (this.sampling = undefined));
  }

  private async readTotals(): Promise<Map<string, ConnectorTotals>> {
    const totals = new Map<string, ConnectorTotals>();
    const of = (connector: string | number | undefined) => {
      const id = String(connector);
      let entry = totals.get(id);
      if (!entry) totals.set(id, (entry = { requests: 0, errors: 0, latencyBuckets: new Map() }));
      return entry;
    };
    for (const { value, labels } of (await this.metrics.requests.get()).values) {
      const entry = of(labels.connector);
      entry.requests += value;
      if (errorOutcomeSet.has(String(labels.outcome))) entry.errors += value;
    }
    for (const { value, labels, metricName } of (await this.metrics.requestDuration.get()).values) {
      if (!metricName?.endsWith('_bucket') || !latencyOutcomeSet.has(String(labels.outcome))) continue;
      const buckets = of(labels.connector).latencyBuckets;
      const { le } = labels as { le?: string | number };
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value);
    }
    return totals;
  }
}

function pointOf(at: string, windowMs: number, now: ConnectorTotals | undefined, before: ConnectorTotals | undefined): TrafficPoint {
  // Counters only go down when their registry was reset (never within one gateway): then everything counts from zero.
  const baseline = (now?.requests ?? 0) >= (before?.requests ?? 0) ? before : undefined;
  const requests = (now?.requests ?? 0) - (baseline?.requests ?? 0);
  const errors = (now?.errors ?? 0) - (baseline?.errors ?? 0);
  const p95Seconds = intervalQuantile(0.95, now?.latencyBuckets, before?.latencyBuckets);
  return {
    at,
    requests,
    errors,
    requestsPerMinute: round((requests * 60_000) / windowMs, 2),
    errorRate: requests === 0 ? null : errors / requests,
    p95Ms: p95Seconds === null ? null : round(p95Seconds * 1000, 1),
  };
}

/**
 * A quantile of the observations made between two readings of a cumulative
 * histogram: the bucket counts' increases are themselves a cumulative
 * histogram of the window. Null without observations in the window.
 */
export function intervalQuantile(quantile: number, now: ReadonlyMap<number, number> | undefined, before: ReadonlyMap<number, number> | undefined): number | null {
  if (!now || now.size === 0) return null;
  const bounds = [...now.keys()].sort((a, b) => a - b);
  let deltas = bounds.map((bound) => (now.get(bound) ?? 0) - (before?.get(bound) ?? 0));
  if (deltas.some((delta) => delta < 0)) deltas = bounds.map((bound) => now.get(bound) ?? 0);
  if ((deltas.at(-1) ?? 0) <= 0) return null;
  const value = histogramQuantile(quantile, bounds.map((bound, index) => [bound, deltas[index]!] as const));
  return Number.isNaN(value) ? null : value;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
