import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { landOperations, startLandSandbox, type LandSandbox } from '../../connectors/land/sandbox/server.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ProbeReport } from '../../src/resilience/health-prober.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * Issue 17, item 3, on real PostgreSQL with three gateway replicas sharing
 * one store: an upstream is probed about once per interval by the cluster,
 * not once per replica; every replica reports the result of the replica that
 * probed (admin health, /readyz detail, lgsp_upstream_probe_up); a failure
 * reaches all of them with the probe that saw it; and a settings change made
 * on one replica leads to a fresh probe of the new configuration whose
 * result all adopt, never the old configuration's.
 */

const probeIntervalMs = 500;
// The land probe reads parcels; nothing else in this file calls the land upstream.
const probeCall = landOperations.parcels;

let harness: Harness;
let others: RunningGateway[] = [];
let land: LandSandbox;
let movedLand: LandSandbox;
let admin: string;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pg',
    overrides: {
      access: { refreshIntervalMs: 200 },
      health: { probeIntervalMs, probeTimeoutMs: 2_000 },
    },
  });
  land = harness.stack.sandboxes.land as unknown as LandSandbox;
  movedLand = await startLandSandbox({ host: '127.0.0.1', port: 0 });
  const base = harness.stack.config;
  const config: GatewayConfig = { ...base, server: { ...base.server, port: 0, opsPort: 0 }, access: { ...base.access, seedFile: undefined } };
  others = await Promise.all([1, 2].map(() => startGateway({ config, connectors: connectorDescriptors, logger: createLogger({ level: 'silent' }), env: {} })));
  ({ admin } = await harness.staffTokens());
}, 90_000);

afterAll(async () => {
  await Promise.all(others.map((gateway) => gateway.close()));
  await movedLand?.close();
  await harness?.close();
});

afterEach(() => {
  land.faults.clear();
  movedLand.faults.clear();
});

const gateways = () => [harness.stack.gateway, ...others];
const replicaIds = () => gateways().map((gateway) => gateway.outbox.dispatcher.id);

async function landProbeReports(): Promise<ProbeReport[]> {
  return Promise.all(
    gateways().map(async (gateway) => {
      const response = await request(gateway.url).get('/admin/v1/connectors/land/health').set('authorization', `Bearer ${admin}`);
      expect(response.status).toBe(200);
      return response.body.probe as ProbeReport;
    }),
  );
}

/** All three replicas show one and the same probe result (the same probe: same replica, same time). */
const agreeOn = (status: ProbeReport['status']) => (reports: ProbeReport[]) =>
  reports.every((report) => report.status === status && report.checkedAt === reports[0]!.checkedAt && report.probedBy === reports[0]!.probedBy);

const metricValue = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);

describe('health probes shared by three replicas (real PostgreSQL)', () => {
  it('probes the upstream about once per interval for the cluster, and every replica reports that one result', async () => {
    const agreed = await eventually(landProbeReports, agreeOn('ok'), 20_000);
    expect(agreed[0]).toEqual({ status: 'ok', latencyMs: expect.any(Number), checkedAt: expect.any(String), consecutiveFailures: 0, probedBy: expect.any(String) });
    expect(replicaIds()).toContain(agreed[0]!.probedBy);

    land.faults.resetCalls();
    const since = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 8 * probeIntervalMs));
    const calls = land.faults.calls(probeCall);
    const intervals = (performance.now() - since) / probeIntervalMs;
    // One probe starts at least an interval after the previous one ended; three replicas probing alone would make about three times as many.
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(Math.floor(intervals) + 2);

    // The same result everywhere: admin health, /readyz detail and probe_up; only the replicas that probed timed a probe.
    const reports = await eventually(landProbeReports, agreeOn('ok'), 5_000);
    let adopted = 0;
    for (const gateway of gateways()) {
      const ready = await request(gateway.opsUrl).get('/readyz');
      expect(ready.body.detail.upstreams.land.probe).toMatchObject({ status: 'ok', probedBy: expect.any(String), checkedAt: expect.any(String) });
      const metrics = await (await fetch(`${gateway.opsUrl}/metrics`)).text();
      expect(metrics).toContain('lgsp_upstream_probe_up{connector="land"} 1');
      adopted += metricValue(metrics, /^lgsp_upstream_probe_results_adopted_total (\d+)$/m);
    }
    expect(adopted).toBeGreaterThan(0);
    expect(reports.map((report) => report.probedBy).every((id) => replicaIds().includes(id!))).toBe(true);
  });

  it('an upstream failure reaches every replica with the probe that saw it, not one probe per replica', async () => {
    await eventually(landProbeReports, agreeOn('ok'), 5_000);
    land.faults.set({ kind: 'http-500' }, { operation: probeCall });
    land.faults.resetCalls();
    const failing = await eventually(landProbeReports, agreeOn('failed'), 10_000);
    // The first failing probe, perhaps the next one: replicas each waiting for a failure of their own would need three.
    expect(land.faults.calls(probeCall)).toBeLessThanOrEqual(2);
    for (const report of failing) expect(report).toMatchObject({ status: 'failed', errorKind: 'http', error: 'HTTP 500 from the upstream', consecutiveFailures: failing[0]!.consecutiveFailures });
    for (const gateway of gateways()) {
      const metrics = await (await fetch(`${gateway.opsUrl}/metrics`)).text();
      // Metrics move with the store's result a little after the admin view was read: a later failure is still 0.
      expect(metrics).toContain('lgsp_upstream_probe_up{connector="land"} 0');
    }

    land.faults.clear();
    await eventually(landProbeReports, agreeOn('ok'), 10_000);
  });

  it("a settings change made on one replica leads to one fresh probe of the new configuration, whose result every replica adopts (never the old configuration's)", async () => {
    land.faults.set({ kind: 'http-500' }, { operation: probeCall });
    await eventually(landProbeReports, agreeOn('failed'), 10_000);
    const databaseNow = (await harness.stack.gateway.store.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now.getTime();
    movedLand.faults.resetCalls();

    const patched = await request(others[0]!.url).patch('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`).send({ baseUrl: movedLand.baseUrl });
    expect(patched.status).toBe(200);
    // Every replica's reports from now on: once it has left the old configuration's failure, it never shows it again.
    const seen: ProbeReport[][] = [[], [], []];
    const adoptedEverywhere = await eventually(
      async () => {
        const reports = await landProbeReports();
        reports.forEach((report, index) => seen[index]!.push(report));
        return reports;
      },
      agreeOn('ok'),
      10_000,
    );
    // The first result of the new configuration is the one all adopt: replicas probing it on their own would each ask the new upstream.
    expect(movedLand.faults.calls(probeCall)).toBeGreaterThanOrEqual(1);
    expect(movedLand.faults.calls(probeCall)).toBeLessThanOrEqual(2);
    expect(Date.parse(adoptedEverywhere[0]!.checkedAt!)).toBeGreaterThanOrEqual(databaseNow);
    expect(adoptedEverywhere[0]).toMatchObject({ consecutiveFailures: 0 });
    for (const statuses of seen.map((reports) => reports.map((report) => report.status).join(' '))) expect(statuses).toMatch(/^(failed )*(pending )*(ok ?)+$/);

    await request(harness.url).patch('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`).send({ baseUrl: null });
  });
});
