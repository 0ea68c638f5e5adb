/**
 * What one request's quota checks cost: enforceQuotas with the consumer's
 * limit (with a burst reserve) and the grant's quota, as bench/access-seed.yaml
 * sets them, against a real Redis (`npm run bench:quotas -- [options]`).
 *
 *   --calls 20000 --repeat 3     requests per timed run, runs per concurrency
 *   --concurrency 1,50           requests in flight; each starts in a macrotask of its own, as HTTP requests do
 *   --redis-url redis://127.0.0.1:6379
 *   --in-process                 the embedded-mode limiter instead (the gateway's own code, no Redis)
 *   --profile file.cpuprofile    a V8 CPU profile of the last run
 *   --skip-round-trips
 *
 * Prints, per concurrency and run: CPU time per request (process.cpuUsage,
 * user + system) and wall time per request; then, on a private redis-server
 * it starts (no other client's traffic), the socket writes and reads per
 * request on the gateway's side, the server's (INFO stats) and the commands
 * Redis ran per request (INFO commandstats). The machine's other load shows
 * in every figure: compare interleaved runs, not single ones.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Consumer, Grant } from '../contracts/types.generated.js';
import { enforceQuotas } from '../src/pipeline/enforce-quotas.js';
import { rateLimitMetricNames } from '../src/rate-limit/rate-limit-metrics.js';
import { createRateLimiter, type RateLimiter } from '../src/rate-limit/rate-limiter.js';
import { startThrowawayRedis } from '../src/rate-limit/test-support/throwaway-redis.js';
import { createLogger } from '../src/observability/logger.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '1,50' },
    repeat: { type: 'string', default: '3' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    profile: { type: 'string' },
    'skip-round-trips': { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);
const concurrencies = values.concurrency.split(',').map(Number);
const repeat = Number(values.repeat);

const consumer: Consumer = {
  id: 'one-stop',
  clientId: 'one-stop',
  name: 'One-stop shop',
  agency: 'District 7',
  status: 'active',
  rateLimit: { limit: 10_000_000, windowSeconds: 60, burst: 1_000_000 },
};
const grant: Grant = { consumerId: 'one-stop', operation: 'population.citizen.get', purposes: ['P'], fields: ['*'], quota: { limit: 10_000_000, windowSeconds: 60 } };
const authorization = { consumer, grant };
const res = { setHeader: () => res } as unknown as Response;
const logger = createLogger({ level: 'warn' });

async function run(limiter: RateLimiter, n: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      // Each call starts in a macrotask of its own, as each HTTP request does in the gateway: otherwise
      // every worker woken by one Redis reply would issue its next checks in the same tick.
      await new Promise(setImmediate);
      await enforceQuotas(limiter, authorization, res);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function timing(url: string): Promise<void> {
  const prefix = `lgsp-bench:quotas:${randomBytes(4).toString('hex')}`;
  const registry = new Registry();
  // A generous command timeout: on a loaded machine a 250 ms timeout would let the local fallback decide some checks.
  const limiter = createRateLimiter({ ...(!values['in-process'] && { redis: { url, keyPrefix: prefix, commandTimeoutMs: 5000 } }), logger, metrics: registry });
  if (!(await limiter.ready(5000))) throw new Error(`Redis at ${url} not reachable`);
  // Warm-up: JIT, the Lua scripts loaded on the connection.
  await run(limiter, 2000, 1);
  for (const concurrency of concurrencies) {
    const rows: string[] = [];
    for (let round = 0; round < repeat; round += 1) {
      const profiling = values.profile !== undefined && concurrency === concurrencies.at(-1) && round === repeat - 1 ? await startProfile() : undefined;
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      await run(limiter, calls, concurrency);
      const wallUs = Number(process.hrtime.bigint() - started) / 1000;
      const { user, system } = process.cpuUsage(cpu);
      if (profiling) await profiling.stop(values.profile!);
      rows.push(`cpu ${((user + system) / calls).toFixed(1)} µs/request (user ${(user / calls).toFixed(1)}), wall ${(wallUs / calls).toFixed(1)} µs/request`);
    }
    console.log(`concurrency ${concurrency}, ${calls} requests:\n  ${rows.join('\n  ')}`);
  }
  const fallbacks = (await registry.getSingleMetric(rateLimitMetricNames.fallbacks)!.get()).values[0]?.value ?? 0;
  if (fallbacks > 0) console.log(`!! ${fallbacks} decisions by the local fallback (Redis commands failed or timed out): figures not comparable`);
  await limiter.close();
  if (values['in-process']) return;
  const admin = new Redis(url);
  for (let cursor = '0'; ; ) {
    const [nextCursor, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await admin.del(...keys);
    if (nextCursor === '0') break;
    cursor = nextCursor;
  }
  admin.disconnect();
}

async function startProfile(): Promise<{ stop(path: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(path) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Socket writes (syscalls: one per `_write`, one per corked `_writev`) and reads (`push` of a chunk) of every socket but `ignored`. */
function countSocketIo(ignored: () => unknown): { writes: number; reads: number } {
  const counts = { writes: 0, reads: 0 };
  const proto = Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [method, counter] of [['_write', 'writes'], ['_writev', 'writes'], ['push', 'reads']] as const) {
    const original = proto[method]!;
    proto[method] = function (this: Socket, ...args: unknown[]) {
      if (this !== ignored() && (method !== 'push' || args[0] !== null)) counts[counter] += 1;
      return original.apply(this, args);
    };
  }
  return counts;
}

async function roundTrips(): Promise<void> {
  const server = await startThrowawayRedis();
  const admin = new Redis(server.url);
  const socketIo = countSocketIo(() => admin.stream);
  const stats = async () => {
    const info = await admin.info('all');
    const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    const commands = [...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map(([, name, count]) => [name!, Number(count)] as const);
    return { reads: field('total_reads_processed'), writes: field('total_writes_processed'), commands: new Map(commands) };
  };
  try {
    const limiter = createRateLimiter({ redis: { url: server.url }, logger });
    if (!(await limiter.ready(5000))) throw new Error('private redis-server not reachable');
    await run(limiter, 100, 1);
    const n = 1000;
    for (const concurrency of concurrencies) {
      const before = await stats();
      const ioBefore = { ...socketIo };
      await run(limiter, n, concurrency);
      const ioAfter = { ...socketIo };
      const after = await stats();
      // The admin's own INFO is one read and one write (and one `info` call).
      const perCall = (a: number, b: number) => ((b - a - 1) / n).toFixed(2);
      const commands = [...after.commands]
        .map(([name, count]) => [name, count - (before.commands.get(name) ?? 0) - (name === 'info' ? 1 : 0)] as const)
        .filter(([, count]) => count > 0)
        .map(([name, count]) => `${name} ${(count / n).toFixed(2)}`);
      console.log(
        `concurrency ${concurrency}: per request, gateway socket writes ${((ioAfter.writes - ioBefore.writes) / n).toFixed(2)}, reads ${((ioAfter.reads - ioBefore.reads) / n).toFixed(2)}; Redis read ${perCall(before.reads, after.reads)}, write ${perCall(before.writes, after.writes)} (server socket events), commands: ${commands.join(', ')}`,
      );
    }
    await limiter.close();
  } finally {
    admin.disconnect();
    await server.kill();
  }
}

await timing(values['redis-url']);
if (!values['skip-round-trips'] && !values['in-process']) await roundTrips();
