import autocannon from 'autocannon';
import { percentile } from './stats.js';

/** One HTTP request shape a load run repeats. */
export interface Target {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /** Seconds before the load generator itself gives up on a request. */
  timeoutSeconds?: number;
}

export interface LoadResult {
  durationSeconds: number;
  /** 2xx answers per second. */
  okPerSecond: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Socket errors and load-generator timeouts. */
  errors: number;
  /** Latency in ms of every answer, by status (full precision: autocannon's own histogram keeps whole milliseconds). */
  latencies: Map<number, number[]>;
}

/**
 * Drives one target with autocannon, closed loop: every connection sends its
 * next request as soon as the previous answer is in. That is what the
 * saturation and in-flight runs want. It has no fixed-rate mode on purpose:
 * autocannon's `overallRate` is not pacing (each connection still sends back
 * to back until its quota for the second is used, then waits for the next
 * second), so the fixed-rate runs use `drivePaced` (bench/paced-load.ts).
 *
 * Latencies come from autocannon's
 * per-response event (sub-millisecond hrtime), not from its histogram, which
 * rounds to whole milliseconds: the figures here are differences of about a
 * millisecond.
 */
export function drive(target: Target, options: LoadOptions): Promise<LoadResult> {
  const latencies = new Map<number, number[]>();
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const tracker = autocannon(
      {
        url: target.url,
        method: target.method ?? 'GET',
        headers: target.headers ?? {},
        ...(target.body !== undefined && { body: target.body }),
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: options.timeoutSeconds ?? 10,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const ok = Object.entries(statuses)
          .filter(([status]) => status.startsWith('2'))
          .reduce((sum, [, count]) => sum + count, 0);
        resolve({ durationSeconds: result.duration, okPerSecond: ok / result.duration, statuses, errors: result.errors + result.timeouts, latencies });
      },
    );
    tracker.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      let bucket = latencies.get(statusCode);
      if (!bucket) latencies.set(statusCode, (bucket = []));
      bucket.push(responseTime);
    });
  });
}

/** Latencies of the answers whose status passes the filter (default: 2xx). */
export function latenciesOf(result: LoadResult, accept: (status: number) => boolean = (status) => status >= 200 && status < 300): number[] {
  const all: number[] = [];
  for (const [status, values] of result.latencies) {
    if (!accept(status)) continue;
    for (const value of values) all.push(value);
  }
  return all;
}

export function latencyPercentiles(result: LoadResult, accept?: (status: number) => boolean): { p50: number; p99: number; count: number } {
  const values = latenciesOf(result, accept);
  return { p50: percentile(values, 50), p99: percentile(values, 99), count: values.length };
}

/** Statuses other than the expected one(s), for the report ("12× 504"). */
export function unexpectedStatuses(result: LoadResult, expected: (status: number) => boolean): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statuses).filter(([status]) => !expected(Number(status))));
}
