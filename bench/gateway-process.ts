import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapStatistics } from 'node:v8';
import { startGateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { benchConnectors, scaledBenchConnectors } from './bench-connectors.js';
import { loadBenchGatewayConfig } from './gateway-config.js';

/**
 * The gateway under test, in a process of its own (so the load generator does
 * not share its event loop, and its RSS is its own):
 *
 *   node dist/bench/gateway-process.js     (forked by bench/run.ts)
 *
 * The configuration document arrives in LGSP_BENCH_CONFIG (JSON) and goes
 * through the same schema, loader and production guard as `npm start`
 * (bench/gateway-config.ts). LGSP_BENCH_CONNECTORS, when set, is how many
 * connectors to mount (the bench's three plus copies of population, for the
 * scale runs); otherwise the bench's three.
 * Logs go to stdout at the configured level, as in production.
 */
export interface GatewayReady {
  type: 'ready';
  url: string;
  /** The ops listener (metrics, readiness detail). */
  opsUrl: string;
  /** V8's heap limit as Node sized it (from the memory limit, when the process runs under one). */
  heapLimitMb: number;
}

async function main(): Promise<void> {
  const document = JSON.parse(process.env.LGSP_BENCH_CONFIG ?? '{}') as Record<string, unknown>;
  const connectors = process.env.LGSP_BENCH_CONNECTORS ? scaledBenchConnectors(Number(process.env.LGSP_BENCH_CONNECTORS)) : benchConnectors;
  const config = loadBenchGatewayConfig(document, connectors);
  const logger = createLogger({ level: config.log.level });
  const gateway = await startGateway({ config, connectors, logger });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // A clean exit, so that --cpu-prof writes its profile.
    gateway.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  // Profiling on demand (bench --profile): only the runs that matter, not start-up and fault phases.
  let profiler: Session | undefined;
  process.on('message', (message: { type?: string; file?: string }) => {
    if (message?.type === 'stop') stop();
    // CPU time per request is the figure least disturbed by a busy machine.
    if (message?.type === 'cpu-usage') process.send?.({ type: 'cpu-usage', ...process.cpuUsage() });
    // Where the resident memory is (V8 heap, buffers outside it), asked while the in-flight run is at its peak.
    if (message?.type === 'memory-usage') {
      const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      process.send?.({ type: 'memory-usage', heapUsed, heapTotal, external, arrayBuffers } satisfies GatewayMemoryUsage);
    }
    if (message?.type === 'profile-start' && !profiler) {
      profiler = new Session();
      profiler.connect();
      // Starting the profiler stalls this process for a few hundred ms: the bench waits for this answer before it sends load.
      void profiler
        .post('Profiler.enable')
        .then(() => profiler!.post('Profiler.start'))
        // Allocations too, collected or not: bytes allocated per lookup drive both GC time and the heap's high-water mark.
        .then(() => profiler!.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }))
        .then(() => process.send?.({ type: 'profile-started' }));
    }
    if (message?.type === 'profile-stop' && profiler && message.file) {
      const session = profiler;
      profiler = undefined;
      const file = message.file;
      void session.post('Profiler.stop').then(async ({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        const { profile: allocations } = await session.post('HeapProfiler.stopSampling');
        writeFileSync(file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(allocations));
        session.disconnect();
        process.send?.({ type: 'profile-written', file });
      });
    }
  });
  process.send?.({ type: 'ready', url: gateway.url, opsUrl: gateway.opsUrl, heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) } satisfies GatewayReady);
}

/** What the gateway reports of its memory (process.memoryUsage(), bytes). */
export interface GatewayMemoryUsage {
  type: 'memory-usage';
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
