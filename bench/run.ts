import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startDevIdp } from '../simulators/dev-idp/index.js';
import { createLogger } from '../src/observability/logger.js';
import { imageEnvironment, imageNodeOptions } from '../src/node-runtime.js';
import { fromProjectRoot } from '../src/paths.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { isolatedConnectorId, openConnectorId, scaledBenchConnectors } from './bench-connectors.js';
import { gatewayConfigDocument, isolatedResilience, throwawayUpstreamCredentials, type BenchGatewayOptions } from './gateway-config.js';
import type { GatewayMemoryUsage, GatewayReady } from './gateway-process.js';
import { drive, latencyPercentiles, type LoadResult, type Target } from './load.js';
import { memoryCgroup } from './memory-limit.js';
import { findNginx, nginxVersion, startNginx } from './nginx.js';
import { drivePaced, type PacedResult } from './paced-load.js';
import { forkChild, freePort, residentBytes, sampleResident, tail, type Child } from './processes.js';
import { figureRows, printTable, type FigureDefinition } from './report.js';
import type { InsideTimings, RoundResult, ScaleGatewayName, TargetSummary } from './round-result.js';
import { insertManyConsumers, writeScaleSeed } from './scale-access.js';
import { startAdminChurn } from './admin-churn.js';
import type { UpstreamsReady } from './upstream-process.js';

/**
 * `npm run bench`: the gateway measured against nginx and a direct upstream
 * call in the same run, interleaved over several rounds (see bench/README.md).
 */

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '3', description: 'seconds per measured run' },
    connections: { type: 'string', default: '50', description: 'connections of the saturation runs' },
    rate: { type: 'string', default: '500', description: 'fixed arrival rate (req/s, paced open loop) of the latency runs' },
    'in-flight': { type: 'string', default: '2000' },
    'memory-limit': { type: 'string', default: '1024', description: "MiB: the gateway runs in a memory cgroup of this size, as in its pod (the chart's limit); 0: no limit" },
    'node-options': { type: 'string', description: "the gateway process's V8/Node flags, space-separated (default: the container image's NODE_OPTIONS, src/node-runtime.ts)" },
    upstream: { type: 'string', default: 'replay', description: 'replay (recorded sandbox answers) or sandbox (node-soap sandbox itself)' },
    'log-level': { type: 'string', default: 'info' },
    verbose: { type: 'boolean', default: false },
    hold: { type: 'boolean', default: false, description: 'start everything, print the targets, wait for Ctrl-C' },
    'no-scale': { type: 'boolean', default: false, description: 'skip the "cost as the work grows" runs (and their three gateways)' },
    'scale-rate': { type: 'string', default: '300', description: 'fixed arrival rate (req/s, paced) of the "cost as the work grows" runs' },
    'admin-change-every': { type: 'string', default: '2000', description: 'ms between admin edits of a grant on each scale gateway during its run (0: none), to measure what a policy change costs a replica holding a large policy' },
    'scale-duration': { type: 'string', default: '10', description: 'seconds per "cost as the work grows" run: its p99 is a ratio of two p99s, and 3,000 samples make it the 30th-worst instead of the 9th' },
    profile: { type: 'boolean', default: false, description: "write V8 CPU and allocation-sampling profiles of the gateway's round-1 saturation and fixed-rate runs to bench/results/profiles" },
    'database-url': { type: 'string', default: process.env.LGSP_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'redis-url': { type: 'string', default: process.env.LGSP_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});

const rounds = positiveInteger('rounds', args.rounds);
const durationSeconds = positiveInteger('duration', args.duration);
const connections = positiveInteger('connections', args.connections);
const fixedRate = positiveInteger('rate', args.rate);
const inFlight = positiveInteger('in-flight', args['in-flight']);
const memoryLimitMiB = args['memory-limit'] === '0' ? 0 : positiveInteger('memory-limit', args['memory-limit']);
// As the image starts it (Dockerfile NODE_OPTIONS, from src/node-runtime.ts), unless told otherwise.
const gatewayNodeOptions = args['node-options'] !== undefined ? args['node-options'].split(/\s+/).filter(Boolean) : [...imageNodeOptions];
// The image's environment too (Dockerfile ENV, from src/node-runtime.ts), unless this shell sets a variable itself (to try another value).
const gatewayEnvironment: Record<string, string> = Object.fromEntries(Object.entries(imageEnvironment).map(([name, value]) => [name, process.env[name] ?? value]));
const scaleRate = positiveInteger('scale-rate', args['scale-rate']);
const scaleDurationSeconds = positiveInteger('scale-duration', args['scale-duration']);
const adminChangeEveryMs = args['admin-change-every'] === '0' ? 0 : positiveInteger('admin-change-every', args['admin-change-every']);
if (args.upstream !== 'replay' && args.upstream !== 'sandbox') fail(`--upstream must be replay or sandbox, got ${args.upstream}`);

const personalId = '001090012345';
const personalHeaders = { 'x-end-user': 'officer01', 'x-purpose': '000.00.01.H22-261123-0001' };
/** The realm export's machine client (development secret; the dev IdP is the bench's own). */
const oneStopClient = { id: 'one-stop', secret: 'one-stop-dev-secret' };
const isolatedRate = 200;
const failFastRate = 500;
/**
 * "Cost as the work grows" (issue 18): a baseline gateway and two variants, each one variable away from it,
 * every one started like the main gateway (production mode, upstream A, a schema of its own).
 */
const scaleSpecs: ReadonlyArray<{ name: ScaleGatewayName; connectors: number; consumers: number; grantsPerConsumer?: number; title: string }> = [
  { name: 'baseline', connectors: 6, consumers: 1, title: 'baseline: 6 connectors, 1 consumer' },
  { name: 'consumers', connectors: 6, consumers: 10_000, grantsPerConsumer: 20, title: '10,000 consumers × 20 grants, 6 connectors' },
  { name: 'connectors', connectors: 60, consumers: 1, title: '60 connectors, 1 consumer' },
];
/** A paced run whose requests left this late (p99) says more about the bench process than about the target. */
const generatorLagWarnMs = 5;

const startedAt = Date.now();
const workDir = mkdtempSync(join(os.tmpdir(), 'lgsp-bench-'));
const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
/** The gateway's memory limit and heap limit, for the report (set once it started). */
let memoryLimit = 'not started';
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { name, run } of cleanups.reverse()) {
      await run().catch((error: unknown) => process.stderr.write(`bench: stopping ${name} failed: ${(error as Error).message}\n`));
    }
    rmSync(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping everything it started…\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

main().then(
  async (broken) => {
    await cleanup();
    process.exit(broken ? 1 : 0);
  },
  async (error: unknown) => {
    process.stderr.write(`bench: broken run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanup();
    process.exit(1);
  },
);

async function main(): Promise<boolean> {
  const log = (message: string) => process.stdout.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
  const cores = os.cpus().length;
  log(`machine: ${cores} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; work dir ${workDir}`);

  // --- store: a throwaway schema on the real PostgreSQL
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await withPg(args['database-url'], (client) => client.query(`CREATE SCHEMA ${schema}`));
  cleanups.push({ name: `schema ${schema}`, run: () => withPg(args['database-url'], (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)) });

  // --- issuer: production mode has no embedded IdP, so the bench brings one
  const idp = await startDevIdp({
    realmExportPath: fromProjectRoot('config/keycloak/lgsp-realm.json'),
    port: 0,
    accessTokenTtlSeconds: 3600,
    logger: createLogger({ level: 'warn' }),
  });
  cleanups.push({ name: 'dev IdP', run: () => idp.close() });
  const token = await clientCredentialsToken(idp.tokenUrl, oneStopClient.id, oneStopClient.secret);

  // --- upstreams A (population, population-open) and B (population-b), in their own process
  const credentials = throwawayUpstreamCredentials();
  const upstreams = await forkChild<UpstreamsReady>({
    modulePath: fromProjectRoot('dist/bench/upstream-process.js'),
    env: { LGSP_BENCH_UPSTREAMS: JSON.stringify({ count: 2, mode: args.upstream, credentials }) },
    logFile: join(workDir, 'upstreams.log'),
  });
  cleanups.push({ name: 'upstreams', run: () => upstreams.stop() });
  const [upstreamA, upstreamB] = upstreams.ready.baseUrls as [string, string];
  log(`upstreams (${args.upstream}): A ${upstreamA}, B ${upstreamB}`);

  // --- the gateway, production mode, in its own process
  const gatewayOptions: Omit<BenchGatewayOptions, 'schema' | 'upstreamB'> = {
    issuer: idp.issuer,
    jwksUri: idp.jwksUri,
    credentials,
    upstreamA,
    logLevel: args['log-level'],
    databaseUrl: args['database-url'],
    redisUrl: args['redis-url'],
    inFlight,
  };
  const configDocument = gatewayConfigDocument({ ...gatewayOptions, schema, upstreamB });
  const profileDir = fromProjectRoot('bench/results/profiles');
  if (args.profile) mkdirSync(profileDir, { recursive: true });
  // Under the memory limit of its pod: V8 sizes its heap from it (bench/memory-limit.ts).
  const cgroup = memoryLimitMiB > 0 ? memoryCgroup(memoryLimitMiB, `lgsp-bench-${process.pid}`) : undefined;
  const gateway = await forkChild<GatewayReady>({
    modulePath: fromProjectRoot('dist/bench/gateway-process.js'),
    env: { ...gatewayEnvironment, LGSP_BENCH_CONFIG: JSON.stringify(configDocument) },
    ...(cgroup?.forkOptions && { launcher: cgroup.forkOptions }),
    execArgv: gatewayNodeOptions,
    logFile: join(workDir, 'gateway.log'),
  });
  cleanups.push({ name: 'gateway', run: async () => (await gateway.stop(), cgroup?.remove()) });
  const gatewayPid = gateway.process.pid!;
  memoryLimit = `${cgroup?.description ?? 'none (--memory-limit 0)'}; V8 heap limit ${gateway.ready.heapLimitMb} MB; node options: ${gatewayNodeOptions.join(' ') || 'none'}; environment: ${Object.entries(gatewayEnvironment).map(([name, value]) => `${name}=${value}`).join(' ') || 'none'}`;
  log(`gateway (production mode, pid ${gatewayPid}): ${gateway.ready.url}; memory limit ${memoryLimit}`);

  // --- nginx, if installed
  const nginxBinary = findNginx();
  let nginxUrl: string | undefined;
  let nginxInfo = 'not installed: apt-get install nginx (Debian/Ubuntu), then run again';
  if (nginxBinary) {
    const nginx = await startNginx({ binary: nginxBinary, dir: join(workDir, 'nginx'), port: await freePort(), upstreamHostPort: new URL(upstreamA).host });
    cleanups.push({ name: 'nginx', run: () => nginx.stop() });
    nginxUrl = nginx.url;
    nginxInfo = `${nginxVersion(nginxBinary)}, 1 worker, keep-alive upstream`;
    log(`nginx: ${nginx.url} → upstream A`);
  } else {
    process.stdout.write('\nnginx is not installed, so the throughput ratio is skipped.\nInstall it with:  apt-get install nginx    (the benchmark runs it itself, as a child with its own temp config)\n\n');
  }

  // --- targets
  const gatewayHeaders = { authorization: `Bearer ${token}`, ...personalHeaders };
  const gatewayTarget = (connector: string): Target => ({ url: `${gateway.ready.url}/api/v1/${connector}/citizens/${personalId}`, headers: gatewayHeaders });
  const lookupA = gatewayTarget('population');
  const lookupB = gatewayTarget(isolatedConnectorId);
  const lookupOpen = gatewayTarget(openConnectorId);

  // The direct call is the gateway's own upstream request, byte for byte, with a token of the bench's own.
  for (const target of [lookupA, lookupB, lookupOpen]) await expectStatus(target, 200);
  const captured = (await (await fetch(`${upstreamA}/__bench/last-lookup`)).json()) as { body: string; contentType: string; soapAction: string };
  const upstreamToken = await upstreamLogin(upstreamA, credentials);
  const directRequest = (base: string): Target => ({
    url: `${base}/dancuquocgia/1.0/DanCuQuocGiaService`,
    method: 'POST',
    headers: {
      'content-type': captured.contentType,
      ...(captured.soapAction && { soapaction: captured.soapAction }),
      authorization: `Bearer ${upstreamToken}`,
      lgspaccesstoken: lgspAccessToken(credentials),
    },
    body: captured.body,
  });
  const direct = directRequest(upstreamA);
  const viaNginx = nginxUrl ? directRequest(nginxUrl) : undefined;
  await expectStatus(direct, 200);
  if (viaNginx) await expectStatus(viaNginx, 200);

  // --- the "cost as the work grows" gateways
  const scaleGateways: ScaleGateway[] = [];
  if (!args['no-scale']) {
    // Started together, to keep the run short: nothing is measured yet. Each logs its own CPU time to ready,
    // which the others running beside it disturb less than its wall time.
    const started = await Promise.allSettled(scaleSpecs.map((spec) => startScaleGateway(spec, gatewayOptions, gatewayHeaders, log)));
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    scaleGateways.push(...started.map((outcome) => (outcome as PromiseFulfilledResult<ScaleGateway>).value));
  }

  if (args.hold) {
    // For poking at the running stack by hand (curl, a profiler); Ctrl-C stops everything.
    log(`holding: gateway ${lookupA.url}\n  curl -s -H 'authorization: Bearer ${token}' -H 'x-end-user: officer01' -H 'x-purpose: ${personalHeaders['x-purpose']}' ${lookupA.url}`);
    for (const scale of scaleGateways) log(`holding: scale gateway ${scale.name} ${scale.target.url} (log: ${join(workDir, `gateway-${scale.name}.log`)})`);
    await new Promise(() => undefined);
  }

  log('warming up (JIT, connection pools, recorded answers)');
  for (const target of [direct, ...(viaNginx ? [viaNginx] : []), lookupA, lookupOpen, lookupB, ...scaleGateways.map((scale) => scale.target)]) {
    await drive(target, { connections, durationSeconds: 1 });
  }
  // The paced generator's own code paths (undici, its timers) warm up against the cheapest target.
  await drivePaced(direct, { rate: fixedRate, durationSeconds: 1 });

  const perRound: RoundResult[] = [];
  let broken = false;
  const problems: string[] = [];
  const slowness: string[] = [];
  const expectOk = (label: string, result: LoadResult) => {
    const total = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
    const ok = Object.entries(result.statuses).filter(([status]) => status.startsWith('2')).reduce((sum, [, count]) => sum + count, 0);
    if (total === 0 && result.errors === 0) {
      // Nothing came back within the run: slow (a busy machine, a stalled store), not broken.
      slowness.push(`${label}: no answer within the run`);
      return;
    }
    if (ok / total < 0.99 || result.errors > total * 0.01) {
      broken = true;
      problems.push(`${label}: ${ok}/${total} answers 2xx, ${result.errors} socket errors/timeouts, statuses ${JSON.stringify(result.statuses)}`);
    }
  };
  /** A paced run whose generator could not keep its schedule measured the bench process too: say so. */
  const expectOnSchedule = (label: string, result: PacedResult) => {
    const { sendLagP99, waitedForSocket } = result.generator;
    if (sendLagP99 > generatorLagWarnMs || waitedForSocket > 0) {
      slowness.push(`${label}: the load generator fell behind (send lag p99 ${sendLagP99.toFixed(1)} ms, ${waitedForSocket} requests waited for a socket)`);
    }
  };

  for (let round = 1; round <= rounds; round += 1) {
    log(`round ${round}/${rounds}`);
    const result = { round } as RoundResult;
    // What the scale gateways cost the machine while the others are measured: their CPU outside their own runs.
    const scaleIdle = { cpuMicros: 0, ms: 0, from: scaleGateways.length > 0 ? { cpu: await scaleCpuUsage(scaleGateways), at: performance.now() } : undefined };
    const scaleIdleUntilNow = async () => {
      if (!scaleIdle.from) return;
      scaleIdle.cpuMicros += (await scaleCpuUsage(scaleGateways)) - scaleIdle.from.cpu;
      scaleIdle.ms += performance.now() - scaleIdle.from.at;
    };

    // 1 + 6. saturation throughput, in an order that rotates every round
    const saturation: Array<[keyof RoundResult['saturation'] & string, Target]> = [
      ['direct', direct],
      ...(viaNginx ? [['nginx', viaNginx] as [string, Target]] : []),
      ['gateway', lookupA],
      ['gatewayOpen', lookupOpen],
    ] as Array<[keyof RoundResult['saturation'] & string, Target]>;
    result.saturation = {};
    for (let index = 0; index < saturation.length; index += 1) {
      const [name, target] = saturation[(index + round - 1) % saturation.length]!;
      const throughGateway = name === 'gateway' || name === 'gatewayOpen';
      const profiled = args.profile && round === 1 && throughGateway;
      if (profiled) await profileStarted(gateway.process);
      const cpuBefore = throughGateway ? await cpuUsage(gateway.process) : 0;
      const load = await drive(target, { connections, durationSeconds });
      const cpuMs = throughGateway ? ((await cpuUsage(gateway.process)) - cpuBefore) / 1000 : Number.NaN;
      if (profiled) await profileWritten(gateway.process, join(profileDir, `gateway-${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`));
      expectOk(`round ${round} saturation ${name}`, load);
      const answers = Object.values(load.statuses).reduce((sum, count) => sum + count, 0);
      result.saturation[name] = { ...summarize(load), cpuMsPerRequest: cpuMs / answers };
    }

    // 2. fixed moderate rate, paced open loop: direct, nginx and gateway, in an order that rotates every round
    result.fixedRate = {};
    const fixed: Array<[keyof RoundResult['fixedRate'] & string, Target]> = [
      ['direct', direct],
      ...(viaNginx ? [['nginx', viaNginx] as ['nginx', Target]] : []),
      ['gateway', lookupA],
    ];
    for (let index = 0; index < fixed.length; index += 1) {
      const [name, target] = fixed[(index + round - 1) % fixed.length]!;
      const profiled = args.profile && round === 1 && name === 'gateway';
      if (profiled) await profileStarted(gateway.process);
      const cpuBefore = await cpuUsage(gateway.process);
      const metricsBefore = name === 'gateway' ? await gatewayTimings(gateway.ready.opsUrl) : undefined;
      const load = await drivePaced(target, { rate: fixedRate, durationSeconds });
      const cpuMs = ((await cpuUsage(gateway.process)) - cpuBefore) / 1000;
      const inside = metricsBefore ? timingsBetween(metricsBefore, await gatewayTimings(gateway.ready.opsUrl)) : undefined;
      if (profiled) await profileWritten(gateway.process, join(profileDir, `gateway-fixedRate-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`));
      expectOk(`round ${round} ${fixedRate} req/s ${name}`, load);
      expectOnSchedule(`round ${round} ${fixedRate} req/s ${name}`, load);
      const answers = Object.values(load.statuses).reduce((sum, count) => sum + count, 0);
      result.fixedRate[name] = { ...summarize(load), ...(name === 'gateway' && { cpuMsPerRequest: cpuMs / answers, inside }) };
    }

    // 7. cost as the work grows: the same paced lookup on the baseline and on each variant, in an order that rotates
    // every round; placed after the fixed-rate runs (every answer in), not after the in-flight run, which ends
    // with 2,000 connections to wind down.
    if (scaleIdle.from) {
      await scaleIdleUntilNow();
      result.scale = { runs: {}, idleCpuShare: Number.NaN };
      for (let index = 0; index < scaleGateways.length; index += 1) {
        const scale = scaleGateways[(index + round - 1) % scaleGateways.length]!;
        const cpuBefore = await cpuUsage(scale.child.process);
        const churn = adminChangeEveryMs > 0 ? startAdminChurn(scale.store, adminChangeEveryMs) : undefined;
        const load = await drivePaced(scale.target, { rate: scaleRate, durationSeconds: scaleDurationSeconds });
        const adminChanges = (await churn?.stop()) ?? 0;
        const cpuMs = ((await cpuUsage(scale.child.process)) - cpuBefore) / 1000;
        expectOk(`round ${round} scale ${scale.name}`, load);
        expectOnSchedule(`round ${round} scale ${scale.name}`, load);
        const answers = Object.values(load.statuses).reduce((sum, count) => sum + count, 0);
        result.scale.runs[scale.name] = { ...summarize(load), cpuMsPerRequest: cpuMs / answers, adminChanges };
      }
      scaleIdle.from = { cpu: await scaleCpuUsage(scaleGateways), at: performance.now() };
    }

    // 4. isolation: A at the fixed rate while B is healthy, then while B hangs
    const isolationRun = async () => {
      const [a, b] = await Promise.all([
        drivePaced(lookupA, { rate: fixedRate, durationSeconds }),
        drivePaced(lookupB, { rate: isolatedRate, durationSeconds, timeoutSeconds: 10 }),
      ]);
      return { a, b };
    };
    const healthy = await isolationRun();
    expectOk(`round ${round} isolation (all healthy) A`, healthy.a);
    expectOnSchedule(`round ${round} isolation (all healthy) A`, healthy.a);
    await setFault(upstreamB, { kind: 'hang' });
    const hanging = await isolationRun();
    expectOk(`round ${round} isolation (B hangs) A`, hanging.a);
    expectOnSchedule(`round ${round} isolation (B hangs) A`, hanging.a);
    result.isolation = { healthy: summarize(healthy.a), hanging: summarize(hanging.a), hangingB: summarize(hanging.b), hangingB503p50: summarize(hanging.b, (status) => status === 503).p50 };
    if (args.verbose) log(`  isolation: A ${JSON.stringify(hanging.a.statuses)}, B ${JSON.stringify(hanging.b.statuses)} (${hanging.b.errors} errors)`);

    // 3. fail-fast: B still hangs and its breaker is open by now
    await waitForOpenBreaker(lookupB, gateway.ready.opsUrl, isolatedConnectorId, 10_000);
    const failFast = await drivePaced(lookupB, { rate: failFastRate, durationSeconds: Math.max(2, durationSeconds - 1) });
    expectOnSchedule(`round ${round} fail-fast`, failFast);
    result.failFast = summarize(failFast, (status) => status === 503);
    if (result.failFast.count === 0) {
      broken = true;
      problems.push(`round ${round} fail-fast: no 503 answers (${JSON.stringify(failFast.statuses)})`);
    }
    await clearFault(upstreamB);
    await recover(lookupB, gateway.ready.opsUrl, isolatedConnectorId);

    // 5. memory: many requests in flight to a slow upstream A
    await setFault(upstreamA, { kind: 'latency', ms: 1500 });
    const before = residentBytes(gatewayPid);
    const sampler = sampleResident(gatewayPid);
    const loading = drive(lookupA, { connections: inFlight, durationSeconds: Math.max(3, durationSeconds), timeoutSeconds: 20 });
    // Under the upstream's 1.5 s every connection's first request is still in flight 1.2 s in.
    const atPeak = await delay(1200).then(() => memoryUsage(gateway.process));
    const memoryLoad = await loading;
    const peak = sampler.stop();
    await clearFault(upstreamA);
    result.memory = { beforeBytes: before ?? Number.NaN, peakBytes: peak ?? Number.NaN, atPeak, statuses: memoryLoad.statuses, errors: memoryLoad.errors };
    await delay(1500); // let the slow exchanges finish before the next round measures anything
    if (result.scale) {
      await scaleIdleUntilNow();
      result.scale.idleCpuShare = scaleIdle.cpuMicros / 1000 / scaleIdle.ms;
    }

    perRound.push(result);
  }

  // --- figures
  const scaleSkipped = scaleGateways.length > 0 ? undefined : '--no-scale';
  const definitions: FigureDefinition[] = [
    {
      key: 'throughputRatio',
      label: 'Throughput ratio (gateway ÷ nginx)',
      unit: '×',
      target: { op: '>=', value: 0.25 },
      decimals: 3,
      value: (r) => (r.saturation.nginx ? r.saturation.gateway!.okPerSecond / r.saturation.nginx.okPerSecond : Number.NaN),
      skipped: viaNginx ? undefined : 'nginx not installed',
    },
    { key: 'addedLatencyP50AtRate', label: `Added latency p50 @ ${fixedRate} req/s (paced)`, unit: 'ms', target: { op: '<=', value: 1 }, decimals: 2, value: (r) => r.fixedRate.gateway!.p50 - r.fixedRate.direct!.p50 },
    { key: 'addedLatencyP99AtRate', label: `Added latency p99 @ ${fixedRate} req/s (paced)`, unit: 'ms', target: { op: '<=', value: 5 }, decimals: 2, value: (r) => r.fixedRate.gateway!.p99 - r.fixedRate.direct!.p99 },
    {
      key: 'gatewayCpuMsPerLookupAtRate',
      label: `Gateway CPU per audited lookup @ ${fixedRate} req/s (paced)`,
      unit: 'ms',
      target: { op: '<=', value: 0.6 },
      decimals: 3,
      value: (r) => r.fixedRate.gateway!.cpuMsPerRequest ?? Number.NaN,
    },
    { key: 'addedLatencyP50AtSaturation', label: `Added latency p50 @ saturation (${connections} conn.)`, unit: 'ms', decimals: 2, value: (r) => r.saturation.gateway!.p50 - r.saturation.direct!.p50 },
    { key: 'addedLatencyP99AtSaturation', label: `Added latency p99 @ saturation (${connections} conn.)`, unit: 'ms', decimals: 2, value: (r) => r.saturation.gateway!.p99 - r.saturation.direct!.p99 },
    { key: 'failFastP99', label: `Fail-fast p99 (hanging upstream, breaker open, ${failFastRate} req/s paced)`, unit: 'ms', target: { op: '<=', value: 2 }, decimals: 2, value: (r) => r.failFast.p99 },
    { key: 'isolationRatio', label: 'Isolation (healthy p99 while another hangs ÷ all healthy)', unit: '×', target: { op: '<=', value: 1.2 }, decimals: 2, value: (r) => r.isolation.hanging.p99 / r.isolation.healthy.p99 },
    { key: 'peakRssMb', label: `Peak RSS, ${inFlight} in flight to a slow upstream`, unit: 'MB', target: { op: '<=', value: 200 }, decimals: 0, value: (r) => r.memory.peakBytes / 2 ** 20 },
    { key: 'auditCostRatio', label: 'Audit cost (audited ÷ same operation unaudited)', unit: '×', target: { op: '>=', value: 0.9 }, decimals: 3, value: (r) => r.saturation.gateway!.okPerSecond / r.saturation.gatewayOpen!.okPerSecond },
    ...(
      [
        ['scaleConsumersLatencyRatio', 'consumers', 'with 10k consumers × 20 grants ÷ baseline'],
        ['scaleConnectorsLatencyRatio', 'connectors', 'with 60 connectors ÷ 6'],
      ] as const
    ).map(([key, variant, against]) => ({
      key,
      label: `Latency p50 / p99 @ ${scaleRate} req/s ${against}`,
      unit: '×',
      target: { op: 'within', min: 0.9, max: 1.1 } as const,
      decimals: 2,
      value: (r: RoundResult) => scaleRatio(r, variant, 'p50'),
      second: (r: RoundResult) => scaleRatio(r, variant, 'p99'),
      skipped: scaleSkipped,
    })),
  ];
  const references: FigureDefinition[] = [
    { key: 'nginxRps', label: 'nginx pass-through (reference)', unit: 'req/s', decimals: 0, value: (r) => r.saturation.nginx?.okPerSecond ?? Number.NaN, skipped: viaNginx ? undefined : 'nginx not installed' },
    { key: 'directRps', label: 'direct upstream call (reference)', unit: 'req/s', decimals: 0, value: (r) => r.saturation.direct!.okPerSecond },
    { key: 'gatewayRps', label: 'gateway full pipeline lookups', unit: 'req/s', decimals: 0, value: (r) => r.saturation.gateway!.okPerSecond },
    { key: 'gatewayOpenRps', label: 'gateway, same operation without audit', unit: 'req/s', decimals: 0, value: (r) => r.saturation.gatewayOpen!.okPerSecond },
    {
      key: 'gatewayCpuMsPerLookup',
      label: 'gateway CPU per lookup: audited / unaudited',
      unit: 'ms',
      decimals: 3,
      value: (r) => r.saturation.gateway!.cpuMsPerRequest ?? Number.NaN,
      second: (r) => r.saturation.gatewayOpen!.cpuMsPerRequest ?? Number.NaN,
    },
    { key: 'directP50AtRate', label: `direct p50 / p99 @ ${fixedRate} req/s`, unit: 'ms', decimals: 2, value: (r) => r.fixedRate.direct!.p50, second: (r) => r.fixedRate.direct!.p99 },
    {
      key: 'nginxP50AtRate',
      label: `nginx p50 / p99 @ ${fixedRate} req/s`,
      unit: 'ms',
      decimals: 2,
      value: (r) => r.fixedRate.nginx?.p50 ?? Number.NaN,
      second: (r) => r.fixedRate.nginx?.p99 ?? Number.NaN,
      skipped: viaNginx ? undefined : 'nginx not installed',
    },
    { key: 'gatewayP50AtRate', label: `gateway p50 / p99 @ ${fixedRate} req/s`, unit: 'ms', decimals: 2, value: (r) => r.fixedRate.gateway!.p50, second: (r) => r.fixedRate.gateway!.p99 },
    {
      key: 'gatewayInsideAtRate',
      label: `gateway @ ${fixedRate} req/s, its own metrics: request mean / audit-commit wait mean`,
      unit: 'ms',
      decimals: 2,
      value: (r) => r.fixedRate.gateway!.inside?.requestMeanMs ?? Number.NaN,
      second: (r) => r.fixedRate.gateway!.inside?.auditWriteMeanMs ?? Number.NaN,
    },
    {
      key: 'recordsPerAuditCommitAtRate',
      label: `gateway @ ${fixedRate} req/s: audit records per commit`,
      unit: '',
      decimals: 2,
      value: (r) => r.fixedRate.gateway!.inside?.recordsPerCommit ?? Number.NaN,
    },
    {
      key: 'generatorSendLag',
      label: `load generator: send lag p50 / p99 (gateway @ ${fixedRate} req/s)`,
      unit: 'ms',
      decimals: 2,
      value: (r) => r.fixedRate.gateway!.generator?.sendLagP50 ?? Number.NaN,
      second: (r) => r.fixedRate.gateway!.generator?.sendLagP99 ?? Number.NaN,
    },
    {
      key: 'generatorCpuMsPerRequest',
      label: `load generator: its CPU per request, direct / gateway @ ${fixedRate} req/s`,
      unit: 'ms',
      decimals: 3,
      value: (r) => r.fixedRate.direct!.generator?.cpuMsPerRequest ?? Number.NaN,
      second: (r) => r.fixedRate.gateway!.generator?.cpuMsPerRequest ?? Number.NaN,
    },
    { key: 'isolationHealthyP99', label: 'isolation: A p99 all healthy / B hanging', unit: 'ms', decimals: 2, value: (r) => r.isolation.healthy.p99, second: (r) => r.isolation.hanging.p99 },
    {
      key: 'isolationHungBFastShare',
      label: 'isolation: B while it hangs: share of answers 503 (busy/open) / their p50 ms',
      unit: '',
      decimals: 2,
      value: (r) => share503(r.isolation.hangingB),
      second: (r) => r.isolation.hangingB503p50,
    },
    { key: 'rssBeforeMb', label: 'gateway RSS before the in-flight run', unit: 'MB', decimals: 0, value: (r) => r.memory.beforeBytes / 2 ** 20 },
    {
      key: 'heapAtPeakMb',
      label: 'in flight: V8 heap used / reserved (MB), 1.2 s in',
      unit: '',
      decimals: 0,
      value: (r) => (r.memory.atPeak?.heapUsed ?? Number.NaN) / 2 ** 20,
      second: (r) => (r.memory.atPeak?.heapTotal ?? Number.NaN) / 2 ** 20,
    },
    { key: 'externalAtPeakMb', label: 'in flight: buffers outside the V8 heap, 1.2 s in', unit: 'MB', decimals: 0, value: (r) => (r.memory.atPeak?.external ?? Number.NaN) / 2 ** 20 },
    ...scaleSpecs.map(
      (spec): FigureDefinition => ({
        key: `scale${spec.name[0]!.toUpperCase()}${spec.name.slice(1)}P50`,
        label: `scale, ${spec.title}: p50 / p99 @ ${scaleRate} req/s`,
        unit: 'ms',
        decimals: 2,
        value: (r) => r.scale?.runs[spec.name]?.p50 ?? Number.NaN,
        second: (r) => r.scale?.runs[spec.name]?.p99 ?? Number.NaN,
        skipped: scaleSkipped,
      }),
    ),
    {
      key: 'scaleAdminChanges',
      label: 'scale: admin grant edits during each run, baseline / consumers',
      unit: '',
      decimals: 0,
      value: (r) => r.scale?.runs.baseline?.adminChanges ?? Number.NaN,
      second: (r) => r.scale?.runs.consumers?.adminChanges ?? Number.NaN,
      skipped: scaleSkipped,
    },
    {
      key: 'scaleBaselineCpuMsPerLookup',
      label: `scale, baseline: gateway CPU per lookup @ ${scaleRate} req/s`,
      unit: 'ms',
      decimals: 3,
      value: (r) => r.scale?.runs.baseline?.cpuMsPerRequest ?? Number.NaN,
      skipped: scaleSkipped,
    },
    {
      key: 'scaleCpuRatios',
      label: 'scale: CPU per lookup ÷ baseline, 10k consumers / 60 connectors',
      unit: '×',
      decimals: 2,
      value: (r) => scaleRatio(r, 'consumers', 'cpuMsPerRequest'),
      second: (r) => scaleRatio(r, 'connectors', 'cpuMsPerRequest'),
      skipped: scaleSkipped,
    },
    {
      key: 'scaleIdleCpu',
      label: "scale: the three scale gateways' CPU during the round's other runs",
      unit: '% of a core',
      decimals: 1,
      value: (r) => (r.scale?.idleCpuShare ?? Number.NaN) * 100,
      skipped: scaleSkipped,
    },
  ];
  const figures = figureRows(definitions, perRound);
  // With --no-scale the two figure rows say so; their reference rows would only repeat it.
  const referenceRows = figureRows(scaleSkipped ? references.filter((definition) => definition.skipped !== scaleSkipped) : references, perRound);
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}`, nginx: nginxInfo };
  const settings = {
    rounds,
    durationSeconds,
    connections,
    fixedRate,
    inFlight,
    memoryLimit,
    upstream: args.upstream,
    logLevel: args['log-level'],
    isolatedRate,
    failFastRate,
    isolatedResilience,
    scale: scaleGateways.length > 0 ? { rate: scaleRate, durationSeconds: scaleDurationSeconds, adminChangeEveryMs, gateways: scaleGateways.map((scale) => scale.info) } : 'skipped (--no-scale)',
    loadGenerators: {
      saturationAndInFlight: 'autocannon, closed loop',
      fixedRate: 'bench/paced-load.ts: open loop, evenly spaced arrivals, latency from the scheduled send time',
    },
  };

  printTable({ machine, settings, figures, references: referenceRows });
  const resultsDir = fromProjectRoot('bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const report = { finishedAt: new Date().toISOString(), elapsedSeconds: Math.round((Date.now() - startedAt) / 1000), machine, settings, figures, references: referenceRows, rounds: perRound, problems, slowness };
  if (slowness.length > 0) process.stdout.write(`Slow runs (one with no answer at all is left out of that round; a late load generator is only reported):\n${slowness.map((line) => `  - ${line}`).join('\n')}\n`);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, jsonNumbers, 2)}\n`);
  log(`written ${join(resultsDir, 'latest.json')}`);
  if (args.profile) log(`CPU and allocation profiles of the gateway's saturation and fixed-rate runs (round 1): ${profileDir}`);
  if (problems.length > 0) {
    process.stderr.write(`bench: broken run:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n--- gateway log (tail) ---\n${tail(join(workDir, 'gateway.log'))}\n`);
  }
  return broken;
}

/** Share of a run's answers that were 503 (the bulkhead or the breaker answering for a hung upstream). */
function share503(summary: TargetSummary): number {
  const total = Object.values(summary.statuses).reduce((sum, count) => sum + count, 0);
  return total === 0 ? Number.NaN : (summary.statuses['503'] ?? 0) / total;
}

/** A variant's figure over the baseline's in the same round. */
function scaleRatio(result: RoundResult, variant: ScaleGatewayName, figure: 'p50' | 'p99' | 'cpuMsPerRequest'): number {
  const runs = result.scale?.runs;
  return (runs?.[variant]?.[figure] ?? Number.NaN) / (runs?.baseline?.[figure] ?? Number.NaN);
}

interface ScaleGateway {
  name: ScaleGatewayName;
  child: Child<GatewayReady>;
  /** Its schema, for the admin edits made during its runs. */
  store: Store;
  /** The lookup on the last connector mounted. */
  target: Target;
  /** How it was prepared and how long its start took: latest.json. */
  info: {
    name: ScaleGatewayName;
    title: string;
    connectors: number;
    consumers: number;
    grantsWritten: number;
    target: string;
    /** Migrations and, for the many-consumers variant, the inserts (wall time). */
    prepareSeconds: number;
    /** Fork to ready, wall time (the three start together). */
    startSeconds: number;
    /** The gateway process's own CPU time from its start to ready (user + system). */
    startCpuSeconds: number;
    rssAfterStartMb: number;
  };
}

/**
 * One scale gateway: a schema of its own, migrated here (so that the start
 * times compare the gateways' own start-up, not the migrations), for the
 * many-consumers variant filled with consumers and grants, then the gateway
 * started on it like the main one, every connector on upstream A.
 */
async function startScaleGateway(
  spec: (typeof scaleSpecs)[number],
  gatewayOptions: Omit<BenchGatewayOptions, 'schema' | 'upstreamB'>,
  headers: Record<string, string>,
  log: (message: string) => void,
): Promise<ScaleGateway> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await withPg(args['database-url'], (client) => client.query(`CREATE SCHEMA ${schema}`));
  cleanups.push({ name: `schema ${schema}`, run: () => withPg(args['database-url'], (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)) });
  const connectors = scaledBenchConnectors(spec.connectors);
  const seedFile = join(workDir, `access-seed-${spec.name}.yaml`);
  writeScaleSeed(seedFile, connectors);

  const prepareStarted = performance.now();
  const store = await openStore({ driver: 'pg', url: args['database-url'], schema }, createLogger({ level: 'warn' }));
  // Kept open for the admin edits of its runs; closed before its schema is dropped (cleanups run last first).
  cleanups.push({ name: `store ${schema}`, run: () => store.close() });
  let grants = 0;
  if (spec.consumers > 1) ({ grants } = await insertManyConsumers(store, { consumers: spec.consumers, grantsPerConsumer: spec.grantsPerConsumer ?? 1, connectors }));
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;

  const started = performance.now();
  const child = await forkChild<GatewayReady>({
    modulePath: fromProjectRoot('dist/bench/gateway-process.js'),
    env: {
      LGSP_BENCH_CONFIG: JSON.stringify(gatewayConfigDocument({ ...gatewayOptions, schema, upstreamB: gatewayOptions.upstreamA, connectors, seedFile })),
      LGSP_BENCH_CONNECTORS: String(spec.connectors),
    },
    logFile: join(workDir, `gateway-${spec.name}.log`),
    startTimeoutMs: 120_000,
  });
  cleanups.push({ name: `gateway ${spec.name}`, run: () => child.stop() });
  const startSeconds = (performance.now() - started) / 1000;
  const startCpuSeconds = (await cpuUsage(child.process)) / 1e6;
  const connectorId = connectors.at(-1)!.id;
  const target: Target = { url: `${child.ready.url}/api/v1/${connectorId}/citizens/${personalId}`, headers };
  await expectStatus(target, 200);
  const rssAfterStartMb = Math.round((residentBytes(child.process.pid!) ?? Number.NaN) / 2 ** 20);
  log(
    `scale gateway ${spec.name} (${spec.title}; pid ${child.process.pid}): ${child.ready.url}, lookups on ${connectorId}; ` +
      `schema migrated${grants > 0 ? ` and ${grants.toLocaleString('en')} grants written` : ''} in ${prepareSeconds.toFixed(1)} s, ` +
      `ready after ${startSeconds.toFixed(1)} s (${startCpuSeconds.toFixed(1)} s of its own CPU), RSS ${rssAfterStartMb} MB`,
  );
  return {
    name: spec.name,
    child,
    store,
    target,
    info: { name: spec.name, title: spec.title, connectors: spec.connectors, consumers: spec.consumers, grantsWritten: grants, target: connectorId, prepareSeconds, startSeconds, startCpuSeconds, rssAfterStartMb },
  };
}

/** CPU time (user + system) of the scale gateways together, in microseconds. */
async function scaleCpuUsage(gateways: ScaleGateway[]): Promise<number> {
  let total = 0;
  for (const gateway of gateways) total += await cpuUsage(gateway.child.process);
  return total;
}

function summarize(load: LoadResult | PacedResult, accept?: (status: number) => boolean): TargetSummary {
  const { p50, p99, count } = latencyPercentiles(load, accept);
  const answered = Object.keys(load.statuses).length > 0 || load.errors > 0;
  // A run with no answer at all has no rate (NaN), so it drops out of the spread instead of reading 0.
  return {
    okPerSecond: answered ? load.okPerSecond : Number.NaN,
    p50,
    p99,
    count,
    statuses: load.statuses,
    errors: load.errors,
    ...('generator' in load && { generator: load.generator }),
  };
}

async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function clientCredentialsToken(tokenUrl: string, clientId: string, secret: string): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`dev IdP refused a token (HTTP ${response.status})`);
  return body.access_token;
}

async function upstreamLogin(baseUrl: string, credentials: { clientId: string; clientSecret: string }): Promise<string> {
  return clientCredentialsToken(`${baseUrl}/token`, encodeURIComponent(credentials.clientId), encodeURIComponent(credentials.clientSecret));
}

function lgspAccessToken(credentials: Record<string, string>): string {
  return Buffer.from(
    JSON.stringify({ AccessKey: credentials.accessKey, SecretKey: credentials.secretKey, AppName: credentials.appName, PartnerCode: credentials.partnerCode, PartnerCodeCus: credentials.partnerCodeCus ?? '' }),
  ).toString('base64');
}

async function expectStatus(target: Target, status: number): Promise<void> {
  const response = await fetch(target.url, { method: target.method ?? 'GET', headers: target.headers, ...(target.body !== undefined && { body: target.body }) });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${target.method ?? 'GET'} ${target.url} answered ${response.status} instead of ${status}: ${text.slice(0, 300)}`);
}

async function setFault(upstream: string, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${upstream}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (!response.ok) throw new Error(`could not set fault ${JSON.stringify(fault)} on ${upstream}: HTTP ${response.status}`);
}

async function clearFault(upstream: string): Promise<void> {
  await fetch(`${upstream}/__sandbox/faults`, { method: 'DELETE' });
}

async function breakerState(opsUrl: string, connectorId: string): Promise<string | undefined> {
  const body = (await (await fetch(`${opsUrl}/readyz`)).json()) as { detail?: { upstreams?: Record<string, { breaker?: string }> } };
  return body.detail?.upstreams?.[connectorId]?.breaker;
}

/** Waits for the breaker to open, calling through it meanwhile: a breaker only trips on calls that fail. */
async function waitForOpenBreaker(target: Target, opsUrl: string, connectorId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let current: string | undefined;
  while ((current = await breakerState(opsUrl, connectorId)) !== 'open') {
    if (Date.now() > deadline) throw new Error(`breaker of ${connectorId} is ${current ?? 'not reported'}, not open, after ${timeoutMs} ms`);
    for (let i = 0; i < 5; i += 1) void fetch(target.url, { headers: target.headers }).then((response) => response.arrayBuffer()).catch(() => undefined);
    await delay(100);
  }
}

/** After the fault is cleared: wait for the half-open trial and let it succeed. */
async function recover(target: Target, opsUrl: string, connectorId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if ((await breakerState(opsUrl, connectorId)) === 'closed') return;
    if ((await breakerState(opsUrl, connectorId)) === 'half-open') await fetch(target.url, { headers: target.headers }).then((response) => response.arrayBuffer());
    await delay(100);
  }
  throw new Error(`breaker of ${connectorId} did not close again`);
}

type HistogramTotals = Record<'request' | 'audit' | 'batch', { sum: number; count: number }>;

/** Sums and counts of the gateway's latency histograms (all label sets added up). */
async function gatewayTimings(opsUrl: string): Promise<HistogramTotals> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const total = (metric: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const histogram = (name: string) => ({ sum: total(`${name}_sum`), count: total(`${name}_count`) });
  return { request: histogram('lgsp_request_duration_seconds'), audit: histogram('lgsp_audit_write_duration_seconds'), batch: histogram('lgsp_audit_commit_batch_records') };
}

function timingsBetween(before: HistogramTotals, after: HistogramTotals): InsideTimings {
  const mean = (key: keyof HistogramTotals, scale: number) => (scale * (after[key].sum - before[key].sum)) / (after[key].count - before[key].count);
  return { requestMeanMs: mean('request', 1000), auditWriteMeanMs: mean('audit', 1000), recordsPerCommit: mean('batch', 1) };
}

/**
 * Sends the gateway process one request (bench/gateway-process.ts) and waits
 * for its answer: the first message `answers` accepts.
 */
function askChild<Answer>(child: ChildProcess, request: Record<string, unknown>, answers: (message: Record<string, unknown>) => Answer | undefined): Promise<Answer> {
  return new Promise((resolve) => {
    const onMessage = (message: Record<string, unknown>) => {
      const answer = message && answers(message);
      if (answer === undefined) return;
      child.off('message', onMessage);
      resolve(answer);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

/** The gateway's CPU time so far (user + system), in microseconds. */
function cpuUsage(child: ChildProcess): Promise<number> {
  return askChild(child, { type: 'cpu-usage' }, (message) => (message.type === 'cpu-usage' ? Number(message.user ?? 0) + Number(message.system ?? 0) : undefined));
}

/** The gateway's memory as it sees it. */
function memoryUsage(child: ChildProcess): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  return askChild(child, { type: 'memory-usage' }, (message) => {
    if (message.type !== 'memory-usage') return undefined;
    const { heapUsed, heapTotal, external } = message as Partial<GatewayMemoryUsage>;
    return { heapUsed: heapUsed ?? Number.NaN, heapTotal: heapTotal ?? Number.NaN, external: external ?? Number.NaN };
  });
}

function profileStarted(child: ChildProcess): Promise<void> {
  return askChild(child, { type: 'profile-start' }, (message) => (message.type === 'profile-started' ? true : undefined)).then(() => undefined);
}

function profileWritten(child: ChildProcess, file: string): Promise<void> {
  return askChild(child, { type: 'profile-stop', file }, (message) => (message.type === 'profile-written' && message.file === file ? true : undefined)).then(() => undefined);
}

function positiveInteger(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) fail(`--${name} must be a positive integer, got ${value}`);
  return number;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** NaN and Infinity are not JSON: write null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
