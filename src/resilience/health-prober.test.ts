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

  it("names this replica as the one that probed when it knows its id (one replica: results are not shared)", async () => {
    const metrics = createMetrics();
    const health = new HealthProber({ targets: [{ connectorId: 'up', probe: async () => undefined, fingerprint: 'g' }], intervalMs: 20, timeoutMs: 1000, metrics, logger: silent, firstProbeDelayMs: 0, replica: 'gw-0:1:abc' });
    health.start();
    await eventually(() => health.report('up')?.status === 'ok');
    expect(health.report('up')).toMatchObject({ status: 'ok', probedBy: 'gw-0:1:abc' });
    health.stop();
    // Each result is this replica's own: nothing was adopted.
    expect(await metrics.registry.getSingleMetricAsString('lgsp_upstream_probe_results_adopted_total')).toContain('lgsp_upstream_probe_results_adopted_total 0');
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
    expect(report).toMatchObject({ status: 'failed', errorKind: 'http', error: 'unexpected HTTP status from the upstream' });
    expect(JSON.stringify(report)).not.toContain('001090012345');
    expect(JSON.stringify(report)).not.toContain('Nguyễn');
    expect(health.report('odd')).toMatchObject({ status: 'failed', errorKind: 'unknown', error: 'the probe failed with an error the connector did not classify' });
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
    expect(health.report('stuck')).toMatchObject({ errorKind: 'timeout', error: 'no answer within the probe timeout (50 ms)', consecutiveFailures: 1 });
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

describe('HealthProber.setTarget (run-time reconfiguration)', () => {
  const failing = async () => {
    throw new UpstreamError('http', 'upstream answered HTTP 503', { upstreamCode: '503' });
  };

  it('pauses a connector: report disabled, its probe_up series removed, no more calls; resumes with a new function', async () => {
    let calls = 0;
    const { health, metrics } = prober([{ connectorId: 'down', probe: async () => (calls += 1, failing()) }]);
    health.start();
    await eventually(() => health.report('down')?.status === 'failed');
    expect(await metrics.registry.getSingleMetricAsString('lgsp_upstream_probe_up')).toContain('lgsp_upstream_probe_up{connector="down"} 0');

    health.setTarget('down', undefined);
    expect(health.report('down')).toEqual({ status: 'disabled', consecutiveFailures: 0 });
    // Neither 0 (it would page) nor 1 (it would claim health): no series at all.
    expect(await metrics.registry.getSingleMetricAsString('lgsp_upstream_probe_up')).not.toContain('connector="down"');
    const callsWhenPaused = calls;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(calls).toBe(callsWhenPaused);
    expect(health.report('down')?.status).toBe('disabled');

    health.setTarget('down', async () => undefined);
    expect(health.report('down')).toEqual({ status: 'pending', consecutiveFailures: 0 });
    await eventually(() => health.report('down')?.status === 'ok');
    expect(await metrics.registry.getSingleMetricAsString('lgsp_upstream_probe_up')).toContain('lgsp_upstream_probe_up{connector="down"} 1');
    health.stop();
  });

  it('a connector set up as not probed reports disabled from the start and has no probe_up series', async () => {
    const { health, metrics } = prober([{ connectorId: 'off', probe: undefined }, { connectorId: 'on', probe: async () => undefined }]);
    expect(health.report('off')).toEqual({ status: 'disabled', consecutiveFailures: 0 });
    health.start();
    await eventually(() => health.report('on')?.status === 'ok');
    expect(health.report('off')?.status).toBe('disabled');
    expect(await metrics.registry.getSingleMetricAsString('lgsp_upstream_probe_up')).not.toContain('connector="off"');
    health.stop();
  });

  it('swaps the function: the report starts over and the next rounds use the new one; the same function again changes nothing', async () => {
    const { health } = prober([{ connectorId: 'portal', probe: failing }]);
    health.start();
    await eventually(() => (health.report('portal')?.consecutiveFailures ?? 0) >= 2);
    let newCalls = 0;
    const replacement = async () => {
      newCalls += 1;
    };
    health.setTarget('portal', replacement);
    expect(health.report('portal')).toEqual({ status: 'pending', consecutiveFailures: 0 });
    await eventually(() => newCalls >= 2 && health.report('portal')?.status === 'ok');
    const before = health.report('portal');
    health.setTarget('portal', replacement);
    expect(health.report('portal')?.status).toBe('ok');
    expect(health.report('portal')?.checkedAt).toBeDefined();
    expect(before?.status).toBe('ok');
    health.stop();
  });

  it('drops the result of the replaced function still in flight, and aborts it', async () => {
    let oldSignal: AbortSignal | undefined;
    let finishOld: () => void = () => undefined;
    const { health } = prober([
      {
        connectorId: 'slow',
        probe: (signal) => {
          oldSignal = signal;
          // Ignores its signal on purpose: settles only when the test says.
          return new Promise<void>((_, reject) => {
            finishOld = () => reject(new UpstreamError('http', 'late failure', { upstreamCode: '500' }));
          });
        },
      },
    ]);
    health.start();
    await eventually(() => oldSignal !== undefined);
    let release: () => void = () => undefined;
    health.setTarget('slow', () => new Promise<void>((resolve) => (release = resolve)));
    expect(oldSignal!.aborted).toBe(true);
    finishOld();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(health.report('slow')).toEqual({ status: 'pending', consecutiveFailures: 0 });
    release();
    await eventually(() => health.report('slow')?.status === 'ok');
    health.stop();
  });

  it('adds a connector it did not know, probed at once when running', async () => {
    const { health, metrics } = prober([]);
    health.start();
    expect(health.report('later')).toBeUndefined();
    health.setTarget('later', failing);
    expect(health.connectorIds()).toEqual(['later']);
    await eventually(() => health.report('later')?.status === 'failed');
    expect(health.report('later')).toMatchObject({ errorKind: 'http', error: 'HTTP 503 from the upstream' });
    expect(await metrics.registry.metrics()).toContain('lgsp_upstream_probe_up{connector="later"} 0');
    health.stop();
  });
});
