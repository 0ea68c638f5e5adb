import { Writable } from 'node:stream';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { HealthProber, type ProbeTarget } from './health-prober.js';
import { eventually } from '../../test/support/eventually.js';

const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });


function prober(targets: ProbeTarget[], timing: { intervalMs?: number; timeoutMs?: number } = {}) {
  const metrics = createMetrics();
  const health = new HealthProber({ targets, intervalMs: timing.intervalMs ?? 20, timeoutMs: timing.timeoutMs ?? 1000, metrics, logger: silent, firstProbeDelayMs: 0 });
  return { health, metrics };
}

describe('HealthProber', () => {
  it('reports pending before the first probe, then ok with latency and time', async () => {
    const { health, metrics } = prober([{ connectorId: 'up', probe: async () => undefined }]);
    expect(health.report('up')).toEqual({ status: 'pending', consecutiveFailures: 0 });
    health.start();
    await eventually(() => health.report('up')?.status === 'ok');
    expect(health.report('up')).toEqual({ status: 'ok', latencyMs: expect.any(Number), checkedAt: expect.any(String), consecutiveFailures: 0 });
    expect(await metrics.registry.getSingleMetricAsString('lgsp_upstream_probe_up')).toContain('lgsp_upstream_probe_up{connector="up"} 1');
    expect(health.report('nothing')).toBeUndefined();
    health.stop();
  });

  it('keeps the failure kind, never the message, and counts consecutive failures', async () => {
    const { health, metrics } = prober([
      {
        connectorId: 'down',
        probe: async () => {
          throw new UpstreamError('http', 'upstream said: Nguyễn Văn An 001090012345');
        },
      },
      {
        connectorId: 'odd',
        probe: async () => {
          throw new Error('something unclassified');
        },
      },
    ]);
    health.start();
    await eventually(() => (health.report('down')?.consecutiveFailures ?? 0) >= 3 && health.report('odd')?.status === 'failed');
    health.stop();
    const report = health.report('down');
    expect(report).toMatchObject({ status: 'failed', errorKind: 'http' });
    expect(JSON.stringify(report)).not.toContain('001090012345');
    expect(health.report('odd')).toMatchObject({ status: 'failed', errorKind: 'unknown' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('lgsp_upstream_probe_up{connector="down"} 0');
    expect(text).toMatch(/lgsp_upstream_probe_failures_total\{connector="down"\} [3-9]/);
    expect(text).toMatch(/lgsp_upstream_probe_duration_seconds_count\{connector="down"\} [3-9]/);
  });

  it('gives each probe its own deadline and records a timeout at it, even when the probe ignores its signal', async () => {
    const signals: AbortSignal[] = [];
    let release: () => void = () => undefined;
    const { health } = prober(
      [
        {
          connectorId: 'stuck',
          probe: (signal) => {
            signals.push(signal);
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          },
        },
      ],
      { intervalMs: 10, timeoutMs: 50 },
    );
    health.start();
    await eventually(() => health.report('stuck')?.status === 'failed');
    expect(health.report('stuck')).toMatchObject({ errorKind: 'timeout', consecutiveFailures: 1 });
    expect(signals[0]!.aborted).toBe(true);
    // Still running past several intervals: no second probe of the same connector.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(signals).toHaveLength(1);
    release();
    await eventually(() => signals.length >= 2);
    health.stop();
  });

  it('never runs two probes of one connector at once, and stop() aborts the one in flight and ends the schedule', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let calls = 0;
    const aborted: boolean[] = [];
    const { health } = prober(
      [
        {
          connectorId: 'slow',
          probe: (signal) => {
            calls += 1;
            running += 1;
            mostAtOnce = Math.max(mostAtOnce, running);
            return new Promise<void>((resolve, reject) => {
              const done = setTimeout(() => {
                running -= 1;
                resolve();
              }, 30);
              signal.addEventListener('abort', () => {
                if (!running) return; // already answered
                clearTimeout(done);
                running -= 1;
                aborted.push(true);
                reject(new UpstreamError('timeout', 'aborted'));
              });
            });
          },
        },
      ],
      { intervalMs: 1, timeoutMs: 1000 },
    );
    health.start();
    await eventually(() => calls >= 5);
    expect(mostAtOnce).toBe(1);
    health.stop();
    await eventually(() => running === 0);
    const callsAtStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(callsAtStop);
    // A probe cut by shutdown says nothing about the upstream.
    expect(health.report('slow')?.status).toBe('ok');
  });
});
