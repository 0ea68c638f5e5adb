import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget, testDatabaseUrl } from '../store/test-support/store-targets.js';
import { fromProjectRoot } from '../paths.js';
import { getMessage } from './admin.js';
import { enqueue } from './enqueue.js';
import { openOutbox, states, waitFor, type OutboxFixture } from './test-support/outbox-harness.js';
import { spawnNode, transpileClosure } from './test-support/spawn-crash-child.js';

// The acceptance case "a gateway process killed with SIGKILL mid-delivery loses nothing when another
// process takes over": the real dispatcher in a real child process, killed while its handler runs.
describe('pg outbox: a process killed mid-delivery', () => {
  const target = pgStoreTarget(captureLogger().logger);
  const child = transpileClosure(fromProjectRoot('src/outbox/test-support/crash-child.ts'));
  const fixtures: OutboxFixture[] = [];
  afterAll(async () => {
    await Promise.all(fixtures.flatMap((fixture) => fixture.dispatchers.map((dispatcher) => dispatcher.stop(0))));
    child.dispose();
    await target.dispose();
  });

  it('keeps its claims until the lease expires; a dispatcher in another process then delivers each message exactly once, in order', async () => {
    const fixture = await openOutbox(target);
    fixtures.push(fixture);
    const k1 = await enqueue(fixture.store, { target: 't', key: 'K', payload: { n: 1 } });
    const k2 = await enqueue(fixture.store, { target: 't', key: 'K', payload: { n: 2 } });
    const l1 = await enqueue(fixture.store, { target: 't', key: 'L', payload: { n: 1 } });
    const leaseMs = 1_500;

    const victim = spawnNode(child.entry, [testDatabaseUrl, fixture.isolated.schema, 't', String(leaseMs)]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => victim.process.once('exit', (_code, signal) => resolve(signal)));
    try {
      expect(await victim.nextLine()).toBe('ready');
      // One message per key is in flight: K's first and L's.
      const claims = [JSON.parse(await victim.nextLine()), JSON.parse(await victim.nextLine())] as Array<{ claimed: string; attempt: number; pid: number }>;
      expect(claims.map((claim) => claim.claimed).sort()).toEqual([k1.id, l1.id].sort());
      expect(claims.every((claim) => claim.attempt === 1 && claim.pid === victim.process.pid)).toBe(true);
    } finally {
      victim.process.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');

    // What the dead process leaves: its claims, leased to it, nothing delivered, nothing lost.
    for (const id of [k1.id, l1.id]) expect(await getMessage(fixture.store, id)).toMatchObject({ state: 'delivering', attempts: 1, leaseOwner: expect.stringMatching(/^child#/) });
    expect(await getMessage(fixture.store, k2.id)).toMatchObject({ state: 'pending', attempts: 0 });
    const leasedUntil = new Map([k1.id, l1.id].map((id) => [id, 0]));
    for (const id of leasedUntil.keys()) leasedUntil.set(id, (await getMessage(fixture.store, id))!.leaseExpiresAt!.getTime());

    const deliveries: Array<{ id: string; key: string; sequence: number; attempt: number }> = [];
    fixture
      .dispatcher({ leaseMs, id: 'survivor' })
      .register('t', { handler: async (message) => (deliveries.push({ id: message.id, key: message.key, sequence: message.sequence, attempt: message.attempt }), { answer: 'ok' }) })
      .start();
    await waitFor(async () => (await states(fixture.store)).delivered === 3, 15_000, 'takeover');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(deliveries.map((delivery) => delivery.id).sort()).toEqual([k1.id, k2.id, l1.id].sort());
    expect(deliveries.filter((delivery) => delivery.key === 'K').map((delivery) => delivery.sequence)).toEqual([1, 2]);
    // The taken-over claims count as second attempts; the message the child never claimed is a first.
    expect(deliveries.find((delivery) => delivery.id === k1.id)?.attempt).toBe(2);
    expect(deliveries.find((delivery) => delivery.id === l1.id)?.attempt).toBe(2);
    expect(deliveries.find((delivery) => delivery.id === k2.id)?.attempt).toBe(1);
    for (const id of [k1.id, k2.id, l1.id]) expect(await getMessage(fixture.store, id)).toMatchObject({ state: 'delivered', leaseOwner: null, deliveryAnswer: 'ok' });
    // Taken over only once the dead process's lease had run out (database clock on both sides).
    for (const [id, until] of leasedUntil) expect((await getMessage(fixture.store, id))!.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(until);
  }, 60_000);
});
