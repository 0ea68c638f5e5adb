import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadResult, Target } from './load.js';
import { percentile } from './stats.js';

/**
 * An open-loop, evenly paced load generator for the fixed-rate runs.
 *
 * Why it earns its place next to autocannon: autocannon's `overallRate` is
 * not pacing. Each connection sends back to back (closed loop) until it has
 * used its share of the second, then waits for the next second. "500 req/s
 * over 20 connections" is a burst of 20 concurrent closed loops at the start
 * of every second; what it measures is how fast a target drains the burst,
 * which punishes a target 20× costlier per request (the gateway) far beyond
 * its latency at 500 req/s. Its latency starts when a request is actually
 * written, so a stall that delays sending is never seen (coordinated
 * omission). npm's `loadtest --rps` is open loop, but times each request from
 * its actual send too, and is not installed here.
 *
 * Here: request i is due at start + i/rate, whatever happened to the ones
 * before it; its latency runs from that due time to the last byte of the
 * answer, so a late send (a busy generator, no free socket) counts against
 * the latency instead of hiding it. Evenly spaced rather than Poisson: "p50
 * at 500 req/s" then means exactly that load, with no extra random bursts, and
 * rounds differ only by the system's own noise (Poisson arrivals would add
 * M/D/1-style queueing of their own on top, most visibly in p99). Sockets
 * come from an undici Pool (keep-alive, one request per socket at a time)
 * allowed far more connections than the run ever needs; the generator
 * reports how late it sent, how many requests were in flight at most, and its
 * own CPU per request, so a run where the generator was the bottleneck shows.
 */

export interface PacedOptions {
  /** Arrivals per second, evenly spaced. */
  rate: number;
  durationSeconds: number;
  /** Seconds before the generator gives up on an answer (counted as an error). */
  timeoutSeconds?: number;
  /** Upper bound on sockets; generous, so that requests never wait for one. */
  connections?: number;
}

/** How well the generator kept its schedule; see `drivePaced`. */
export interface GeneratorStats {
  /** Requests scheduled (= sent) in the run. */
  sent: number;
  /** How late requests were handed to the HTTP client after their due time, ms. */
  sendLagP50: number;
  sendLagP99: number;
  sendLagMax: number;
  /** Most requests outstanding at once. */
  maxInFlight: number;
  /** Requests that found every allowed socket busy (should be 0: they would queue in the client). */
  waitedForSocket: number;
  /** Sockets the pool ended up opening. */
  connections: number;
  /** CPU time of the whole bench process during the run, per request sent, ms (user + system). */
  cpuMsPerRequest: number;
}

export type PacedResult = LoadResult & { generator: GeneratorStats };

const defaultConnections = 1024;

/**
 * Sends `rate × durationSeconds` requests to `target` on a fixed schedule and
 * waits for every answer (or its timeout): leaving the stragglers out would
 * drop exactly the slowest answers.
 */
export async function drivePaced(target: Target, options: PacedOptions): Promise<PacedResult> {
  const url = new URL(target.url);
  const timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
  const connections = options.connections ?? defaultConnections;
  const pool = new Pool(url.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const path = `${url.pathname}${url.search}`;
  const method = target.method ?? 'GET';
  const headers = target.headers ?? {};
  const body = target.body;

  const intervalMs = 1000 / options.rate;
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const statuses: Record<string, number> = {};
  const latencies = new Map<number, number[]>();
  const sendLags = new Float64Array(total);
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let waitedForSocket = 0;
  const pending: Array<Promise<void>> = [];

  const send = (dueAt: number, index: number) => {
    sendLags[index] = performance.now() - dueAt;
    if (inFlight >= connections) waitedForSocket += 1;
    inFlight += 1;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    pending.push(
      pool
        .request({ path, method, headers, ...(body !== undefined && { body }) })
        .then(async (response) => {
          // The answer counts once its last byte is in, as autocannon counts it.
          await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
          const latency = performance.now() - dueAt;
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
          let bucket = latencies.get(response.statusCode);
          if (!bucket) latencies.set(response.statusCode, (bucket = []));
          bucket.push(latency);
        })
        .catch(() => {
          errors += 1;
        })
        .finally(() => {
          inFlight -= 1;
        }),
    );
  };

  const cpuBefore = process.cpuUsage();
  // A few ms of lead so that request 0 is not already late when the loop starts.
  const startAt = performance.now() + 5;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Everything due by now goes out at once: a late wake-up (timer granularity, a busy
    // loop) is caught up here, and its lateness is in those requests' latencies.
    while (next < total && startAt + next * intervalMs <= now) {
      send(startAt + next * intervalMs, next);
      next += 1;
    }
    if (next < total) await delay(Math.max(0, startAt + next * intervalMs - performance.now()));
  }
  await Promise.all(pending);
  const cpu = process.cpuUsage(cpuBefore);
  const opened = pool.stats.connected;
  await pool.close();

  const ok = Object.entries(statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    durationSeconds: options.durationSeconds,
    okPerSecond: ok / options.durationSeconds,
    statuses,
    errors,
    latencies,
    generator: {
      sent: total,
      sendLagP50: percentile(sendLags, 50),
      sendLagP99: percentile(sendLags, 99),
      sendLagMax: percentile(sendLags, 100),
      maxInFlight,
      waitedForSocket,
      connections: opened,
      cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / total,
    },
  };
}
