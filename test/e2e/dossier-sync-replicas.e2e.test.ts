import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { connectorDescriptors } from '../../connectors/registry.js';
import { sendDossierLoad, type DossierLoad } from '../../bench/dossier-sync-driver.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { eventually } from '../support/eventually.js';
import { expectDeliveredOnceInOrder } from '../support/portal-journal.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { prepareGatewayChild } from '../support/gateway-child-process.js';

/**
 * Issue 12 acceptance, on real PostgreSQL: several gateway processes share
 * one outbox. A gateway killed with SIGKILL in the middle of deliveries loses
 * nothing: another takes its messages over once their lease runs out. Two
 * replicas accept and deliver together, never the same message twice. The
 * portal sandbox's record proves it: each dossier created once, its steps
 * exactly once, in the order sent.
 */

const leaseMs = 1_500;
let harness: Harness;
let portal: PublicServicePortalSandbox;
let config: GatewayConfig;
const gatewayChild = prepareGatewayChild();

beforeAll(async () => {
  harness = await startHarness({
    store: 'pg',
    overrides: {
      outbox: { pollIntervalMs: 50, leaseMs, baseDelayMs: 20, maxDelayMs: 300, deferDelayMs: 100, deliveryTimeoutMs: 30_000 },
      connectors: { 'public-service-portal': { resilience: { timeoutMs: 20_000, breaker: { resetTimeoutMs: 200 } } } },
    },
  });
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
  // Another replica: same store (schema), same sandboxes and IdP, its own ports, the access seed already applied.
  const base = harness.stack.config;
  config = { ...base, server: { ...base.server, port: 0, opsPort: 0 }, access: { ...base.access, seedFile: undefined } };
}, 60_000);

afterAll(async () => {
  portal?.faults.clear();
  await harness?.close();
  gatewayChild.dispose();
});

const rows = async () =>
  (
    await harness.stack.gateway.store.query<{ key: string; sequence: number; state: string; attempts: number; lease_owner: string | null }>(
      `SELECT ordering_key AS key, sequence::int AS sequence, state, attempts, lease_owner FROM outbox_messages ORDER BY ordering_key, sequence`,
    )
  ).rows;

const deliveredBy = async (opsUrl: string) => {
  const metrics = await (await fetch(`${opsUrl}/metrics`)).text();
  return Number(/lgsp_outbox_deliveries_total\{[^}]*outcome="delivered"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
};

describe('dossier sync across gateway processes (real PostgreSQL)', () => {
  it('a gateway killed with SIGKILL mid-delivery loses nothing: another process takes over, each step reaches the portal once, in order', async () => {
    const survivor = harness.stack.gateway.outbox.dispatcher;
    // Only the victim delivers until it dies.
    await survivor.stop(0);
    // The portal holds every progress call unanswered (before storing it): the victim dies while waiting.
    portal.faults.set({ kind: 'hang' }, { operation: 'CapNhatTienDoHoSoMC' });
    const victim = await gatewayChild.start(config);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => victim.child.process.once('exit', (_code, signal) => resolve(signal)));
    let load: DossierLoad;
    try {
      ({ load } = await sendDossierLoad({ url: victim.url, token: await harness.token(), dossiers: 3, stepsPerDossier: 4, concurrency: 3, day: '250901' }));
      // Each dossier created on the portal, and its first step claimed by the victim and sent.
      await eventually(rows, (all) => all.filter((row) => row.state === 'delivering' && row.sequence === 2).length === 3, 15_000);
      await eventually(() => portal.calls('CapNhatTienDoHoSoMC'), (calls) => calls >= 3, 5_000);
    } finally {
      victim.child.process.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    const left = await rows();
    expect(left.filter((row) => row.state === 'delivered').map((row) => row.sequence)).toEqual([1, 1, 1]);
    expect(left.filter((row) => row.state === 'delivering').every((row) => row.lease_owner !== null)).toBe(true);

    portal.faults.clear();
    survivor.start();
    await eventually(rows, (all) => all.every((row) => row.state === 'delivered'), 20_000, 100);
    expectDeliveredOnceInOrder(portal, load!);
    // The steps the victim held were taken over after its lease ran out: a second attempt each.
    expect((await rows()).filter((row) => row.sequence === 2).map((row) => row.attempts)).toEqual([2, 2, 2]);
  }, 60_000);

  it('two replicas accept and deliver together: every message delivered exactly once, in order', async () => {
    const replicaB: RunningGateway = await startGateway({ config, connectors: connectorDescriptors, logger: createLogger({ level: 'silent' }) });
    try {
      const before = { a: await deliveredBy(harness.opsUrl), b: await deliveredBy(replicaB.opsUrl) };
      const journalBefore = portal.journal.length;
      const urls = [harness.url, replicaB.url];
      // Each dossier's requests alternate between the replicas: accepted on either, delivered by either.
      const { load, accepted } = await sendDossierLoad({ url: harness.url, token: await harness.token(), dossiers: 40, stepsPerDossier: 5, concurrency: 20, day: '250902', pickUrl: (dossier, request) => urls[(dossier + request) % 2]! });
      expect(accepted).toHaveLength(240);
      await eventually(rows, (all) => all.every((row) => row.state === 'delivered'), 30_000, 100);
      expectDeliveredOnceInOrder(portal, load);
      expect(portal.journal.length - journalBefore).toBe(240);
      // Both delivered, and together exactly one delivery per message: no message was delivered by both.
      const delivered = { a: (await deliveredBy(harness.opsUrl)) - before.a, b: (await deliveredBy(replicaB.opsUrl)) - before.b };
      expect(delivered.a).toBeGreaterThan(0);
      expect(delivered.b).toBeGreaterThan(0);
      expect(delivered.a + delivered.b).toBe(240);
      expect((await rows()).filter((row) => row.key.includes('-250902-')).every((row) => row.attempts === 1)).toBe(true);
    } finally {
      await replicaB.close();
    }
  }, 60_000);
});
