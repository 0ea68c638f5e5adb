import { enqueue } from './enqueue.js';
import { claimDue, markDelivered } from './delivery-store.js';
import { OutboxDispatcher } from './dispatcher.js';
import { getMessage } from './admin.js';
import { TransientDeliveryError } from './errors.js';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeOutboxContract } from './test-support/outbox-contract.js';
import { fast, openOutbox, states, waitFor } from './test-support/outbox-harness.js';
import type { OutboxMessage } from './types.js';

describeOutboxContract(pgStoreTarget(captureLogger().logger), { messages: 200, keys: 20 });

describe('pg outbox: several replicas', () => {
  const target = pgStoreTarget(captureLogger().logger);
  const dispatchers: OutboxDispatcher[] = [];
  afterEach(async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop(0)));
    dispatchers.length = 0;
  });
  afterAll(() => target.dispose());

  it('two dispatchers on two connections never deliver one message, or one key, at the same time, and both make progress', async () => {
    const fixture = await openOutbox(target);
    const replica = await fixture.isolated.openAnother();
    const inFlight = new Set<string>();
    const inFlightKeys = new Set<string>();
    const violations: string[] = [];
    const deliveredBy = new Map<string, number>();
    const order = new Map<string, number[]>();
    const handler = (name: string) => async (message: OutboxMessage) => {
      if (inFlight.has(message.id)) violations.push(`message ${message.id} twice at once`);
      if (inFlightKeys.has(message.key)) violations.push(`key ${message.key} twice at once`);
      inFlight.add(message.id);
      inFlightKeys.add(message.key);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 4));
        if (Math.random() < 0.3) throw new TransientDeliveryError('fault', 'injected');
        deliveredBy.set(name, (deliveredBy.get(name) ?? 0) + 1);
        order.set(message.key, [...(order.get(message.key) ?? []), message.sequence]);
        return { answer: name };
      } finally {
        inFlight.delete(message.id);
        inFlightKeys.delete(message.key);
      }
    };
    for (const [name, store] of [['a', fixture.store], ['b', replica]] as const) {
      // Leases a loaded machine cannot outrun: this test is about claims and order; lease takeover is the next one's.
      const dispatcher = new OutboxDispatcher({ store, logger: fixture.log.logger, ...fast, leaseMs: 15_000, maxConcurrent: 4, maxAttempts: 100, id: name });
      dispatcher.register('t', { handler: handler(name) }).start();
      dispatchers.push(dispatcher);
    }
    // Enqueuers on both connections at once, interleaving on the same keys.
    await Promise.all(
      [fixture.store, replica].flatMap((store) =>
        Array.from({ length: 10 }, async (_, k) => {
          for (let n = 0; n < 8; n += 1) await enqueue(store, { target: 't', key: `k${k}`, payload: { n, from: store === replica } });
        }),
      ),
    );
    await waitFor(async () => (await states(fixture.store)).delivered === 160, 30_000, 'all delivered');
    expect(violations).toEqual([]);
    expect(deliveredBy.get('a')).toBeGreaterThan(0);
    expect(deliveredBy.get('b')).toBeGreaterThan(0);
    for (const sequences of order.values()) expect(sequences).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  }, 60_000);

  it('takes over a delivery whose dispatcher died (lease expired), loses nothing, and fences the dead one out', async () => {
    const fixture = await openOutbox(target);
    const message = await enqueue(fixture.store, { target: 't', key: 'K', payload: { n: 1 } });
    const next = await enqueue(fixture.store, { target: 't', key: 'K', payload: { n: 2 } });
    // A dispatcher claimed it, then was SIGKILLed: the claim is all that remains of it.
    const crashedLease = 'crashed-replica#1';
    expect((await claimDue(fixture.store, ['t'], 10, crashedLease, 400)).map((row) => row.id)).toEqual([message.id]);

    const seen: Array<{ sequence: number; attempt: number }> = [];
    const replica = await fixture.isolated.openAnother();
    const survivor = new OutboxDispatcher({ store: replica, logger: fixture.log.logger, ...fast, id: 'survivor' });
    dispatchers.push(survivor);
    survivor.register('t', { handler: async (m) => (seen.push({ sequence: m.sequence, attempt: m.attempt }), { answer: 'ok' }) }).start();

    await new Promise((resolve) => setTimeout(resolve, 200));
    // Still leased: neither it nor (by order) the next message was touched.
    expect(seen).toEqual([]);
    expect(await getMessage(fixture.store, message.id)).toMatchObject({ state: 'delivering', leaseOwner: crashedLease });

    await waitFor(async () => (await states(fixture.store)).delivered === 2, 5_000, 'taken over');
    expect(seen).toEqual([
      { sequence: 1, attempt: 2 },
      { sequence: 2, attempt: 1 },
    ]);
    // The crashed dispatcher's late bookkeeping, had it come back, changes nothing.
    expect(await markDelivered(fixture.store, message.id, crashedLease, 'late')).toBe(false);
    expect(await getMessage(fixture.store, next.id)).toMatchObject({ state: 'delivered' });
  });

  it('aborts a delivery whose lease was lost and keeps the new owner alone', async () => {
    const fixture = await openOutbox(target);
    const message = await enqueue(fixture.store, { target: 't', key: 'K', payload: {} });
    let aborted = false;
    const slow = new OutboxDispatcher({ store: fixture.store, logger: fixture.log.logger, ...fast, leaseMs: 300, id: 'slow' });
    dispatchers.push(slow);
    slow.register('t', {
      handler: (_m, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason)))),
    }).start();
    await waitFor(async () => (await getMessage(fixture.store, message.id))?.state === 'delivering', 5_000, 'claimed');
    // An operator's view of a replica that lost its lease: it was taken by another.
    await fixture.store.query("UPDATE outbox_messages SET lease_owner = 'other#1' WHERE id = $1", [message.id]);
    await waitFor(() => aborted, 2_000, 'abort on lost lease');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await getMessage(fixture.store, message.id)).toMatchObject({ state: 'delivering', leaseOwner: 'other#1', attempts: 1 });
  });
});
