import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { sendDossierLoad } from '../../bench/dossier-sync-driver.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * Issue 12 acceptance, on real PostgreSQL: 1,000 messages over 100 dossiers
 * (each: its creation, then 9 steps), sent through the API concurrently
 * across dossiers, while the portal sandbox fails 30% of its calls at random
 * (seeded) and is fully down for 2 s in the middle. Every message ends
 * delivered, the portal's record holds each dossier once and its steps
 * exactly once, in the order sent.
 *
 * Short backoff and a short breaker reset keep it to seconds: deliveries are
 * deferred while the portal's breaker is open, and must resume.
 */

const dossiers = 100;
const stepsPerDossier = 9;

let harness: Harness;
let portal: PublicServicePortalSandbox;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pg',
    overrides: {
      outbox: { pollIntervalMs: 50, leaseMs: 5_000, baseDelayMs: 20, maxDelayMs: 400, deferDelayMs: 100, maxConcurrent: 16, maxAttempts: 1_000, deliveryTimeoutMs: 5_000 },
      connectors: { 'public-service-portal': { resilience: { timeoutMs: 2_000, breaker: { resetTimeoutMs: 200, rollingWindowMs: 2_000 } } } },
    },
  });
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
}, 60_000);

afterAll(async () => {
  portal?.chaos.clear();
  portal?.faults.clear();
  await harness?.close();
});

const outboxStates = async () => {
  const { rows } = await harness.stack.gateway.store.query<{ state: string; count: string }>(`SELECT state, count(*) AS count FROM outbox_messages GROUP BY state`);
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
};

describe('dossier sync under load, random portal failures and an outage (real PostgreSQL)', () => {
  it('delivers all 1,000 messages, none duplicated on the portal, each dossier in order', async () => {
    const token = await harness.token();
    portal.chaos.randomFailures({ rate: 0.3, seed: 20250801 });
    // The outage: the portal answers every call (login included) with HTTP 500 for 2 s, while requests keep coming.
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      portal.faults.set({ kind: 'http-500' });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      portal.faults.clear();
    })();

    const { load, accepted } = await sendDossierLoad({ url: harness.url, token, dossiers, stepsPerDossier, concurrency: 25 });
    await outage;
    expect(accepted).toHaveLength(dossiers * (1 + stepsPerDossier));

    const states = await eventually(outboxStates, (counts) => counts.delivered === dossiers * (1 + stepsPerDossier), 40_000, 250);
    expect(states).toEqual({ delivered: 1_000 });
    portal.chaos.clear();
    // The portal did fail, at random and during the outage, and retries got through.
    expect(portal.chaos.counts().failedAtRandom).toBeGreaterThan(100);
    // The outage opened the portal's breaker: deliveries were deferred (not sent, not counted) and resumed.
    const metrics = await (await fetch(`${harness.opsUrl}/metrics`)).text();
    const deferred = /lgsp_outbox_deliveries_total\{[^}]*outcome="deferred"[^}]*\} (\d+)/.exec(metrics);
    expect(Number(deferred?.[1] ?? 0)).toBeGreaterThan(0);

    // The portal's record: each dossier created exactly once, never updated (no lost answer here), each step once, in order.
    const byDossier = new Map<string, string[]>();
    for (const entry of portal.journal) byDossier.set(entry.dossierCode, [...(byDossier.get(entry.dossierCode) ?? []), entry.kind]);
    expect(byDossier.size).toBe(dossiers);
    for (const code of load.codes) {
      expect({ code, kinds: byDossier.get(code) }).toEqual({ code, kinds: ['created', ...Array<string>(stepsPerDossier).fill('progress')] });
      expect({ code, steps: portal.dossiers.get(code)!.progress.map((step) => step.NoiDungXuLy) }).toEqual({ code, steps: load.steps.get(code) });
    }

    // The sync status the one-stop system reads says the same, message by message, in sequence order.
    for (const code of load.codes.slice(0, 10)) {
      const response = await fetch(`${harness.url}/api/v1/public-service-portal/dossiers/${code}/sync`, { headers: { authorization: `Bearer ${token}` } });
      const status = (await response.json()) as { messages: Array<{ sequence: number; state: string }> };
      expect(status.messages.map((message) => [message.sequence, message.state])).toEqual(Array.from({ length: 1 + stepsPerDossier }, (_, index) => [index + 1, 'delivered']));
    }
  }, 90_000);
});
