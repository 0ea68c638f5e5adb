import { Registry } from 'prom-client';
import type { Store } from '../../store/store.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { cancelMessage, getMessage, listMessagePage, listMessages, redriveMessage, type MessageFilter } from '../admin.js';
import { InvalidOutboxCursorError } from '../message-cursor.js';
import { backoffDelay } from '../dispatcher.js';
import { enqueue } from '../enqueue.js';
import { DeferredDeliveryError, PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import { createOutboxMetrics } from '../metrics.js';
import type { OutboxMessage } from '../types.js';
import { openOutbox, states, waitFor, type OutboxFixture } from './outbox-harness.js';

const target = 'test.target';

/** Behaviour every store driver must show. `scale` sizes the randomized ordering scenario. */
export function describeOutboxContract(storeTarget: StoreTarget, scale: { messages: number; keys: number }): void {
  const fixtures: OutboxFixture[] = [];
  const open = async () => {
    const fixture = await openOutbox(storeTarget);
    fixtures.push(fixture);
    return fixture;
  };
  afterEach(async () => {
    await Promise.all(fixtures.flatMap((fixture) => fixture.dispatchers.map((dispatcher) => dispatcher.stop(0))));
    fixtures.length = 0;
  });
  afterAll(() => storeTarget.dispose());

  describe(`${storeTarget.driver} outbox: enqueue`, () => {
    it('stores a message once: the same payload as the key\'s latest, or the same idempotency key, returns the existing one', async () => {
      const { store } = await open();
      const first = await enqueue(store, { target, key: 'K1', payload: { step: 'create', b: [1, 2], a: 'x' } });
      expect(first).toMatchObject({ created: true, sameContent: true, sequence: 1, state: 'pending' });
      // Same content with keys in another order is the same message (canonical JSON).
      const again = await enqueue(store, { target, key: 'K1', payload: { a: 'x', b: [1, 2], step: 'create' } });
      expect(again).toEqual({ ...first, created: false });
      const second = await enqueue(store, { target, key: 'K1', payload: { step: 'progress' } });
      expect(second).toMatchObject({ created: true, sequence: 2 });
      // A duplicate hands its sequence back: no gap.
      expect((await enqueue(store, { target, key: 'K1', payload: { step: 'later' } })).sequence).toBe(3);
      // The same content again after something else was accepted is a new message: the target must end with it.
      const back = await enqueue(store, { target, key: 'K1', payload: { step: 'progress' } });
      expect(back).toMatchObject({ created: true, sequence: 4 });

      const keyed = await enqueue(store, { target, key: 'K2', payload: { n: 1 }, idempotencyKey: 'req-1' });
      expect(await enqueue(store, { target, key: 'K2', payload: { n: 1 }, idempotencyKey: 'req-1' })).toEqual({ ...keyed, created: false });
      // The key reused for something else: reported, nothing stored.
      expect(await enqueue(store, { target, key: 'K2', payload: { n: 2 }, idempotencyKey: 'req-1' })).toMatchObject({ id: keyed.id, created: false, sameContent: false });
      // Another target or key is another message.
      expect((await enqueue(store, { target: 'other', key: 'K1', payload: { step: 'create', b: [1, 2], a: 'x' } })).created).toBe(true);
      expect(await states(store)).toEqual({ pending: 6 });
    });

    it("is part of the caller's transaction: a rollback leaves no message and no sequence used", async () => {
      const { store } = await open();
      await store.exec('CREATE TABLE caller_writes (n integer)');
      await expect(
        store.transaction(async (tx) => {
          await tx.query('INSERT INTO caller_writes VALUES (1)');
          await enqueue(tx, { target, key: 'K', payload: { n: 1 } });
          throw new Error('caller failed after enqueue');
        }),
      ).rejects.toThrow('caller failed');
      expect(await states(store)).toEqual({});
      const committed = await store.transaction(async (tx) => {
        await tx.query('INSERT INTO caller_writes VALUES (2)');
        return enqueue(tx, { target, key: 'K', payload: { n: 1 } });
      });
      expect(committed).toMatchObject({ created: true, sequence: 1 });
      expect((await store.query('SELECT n FROM caller_writes')).rows).toEqual([{ n: 2 }]);
    });

    it('given the store, takes a transaction of its own: a later sequence of a key never becomes visible before an earlier one', async () => {
      const { store } = await open();
      // A store whose autocommitted statements pause right after the key's counter moved, as a slow enqueuer would.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let paused = false;
      const slowStore: Store = {
        ...store,
        query: async (sql, params) => {
          const result = await store.query(sql, params);
          if (!paused && sql.includes('INSERT INTO outbox_keys')) {
            paused = true;
            await gate;
          }
          return result;
        },
        transaction: (fn) => store.transaction(fn),
      } as Store;
      const first = enqueue(slowStore, { target, key: 'K', payload: { n: 1 } });
      // Give the first enqueuer the time to take its sequence (and, autocommitted, to let go of the key).
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = enqueue(store, { target, key: 'K', payload: { n: 2 } });
      const secondDone = await Promise.race([second.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300))]);
      const visible = (await store.query<{ sequence: number }>('SELECT sequence FROM outbox_messages WHERE ordering_key = $1 ORDER BY sequence', ['K'])).rows.map((row) => Number(row.sequence));
      release();
      await Promise.all([first, second]);
      expect({ secondDone, visible }).toEqual({ secondDone: true, visible: [1, 2] });
    });

    it('rejects what it cannot store', async () => {
      const { store } = await open();
      await expect(enqueue(store, { target: '', key: 'K', payload: {} })).rejects.toThrow(/target/);
      await expect(enqueue(store, { target, key: 'K', payload: undefined })).rejects.toThrow(/JSON/);
    });
  });

  describe(`${storeTarget.driver} outbox: listing pages`, () => {
    const walk = async (store: Store, filter: MessageFilter) => {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await listMessagePage(store, { ...filter, ...(cursor !== undefined && { cursor }) });
        pages.push(page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined && pages.length < 50);
      return pages;
    };

    it('pages newest first by keyset: every message once, in the order of the whole list, messages of one transaction included', async () => {
      const { store } = await open();
      // Several in one transaction share created_at: the page boundary must still not split or repeat them.
      await store.transaction(async (tx) => {
        for (const key of ['A', 'B', 'A', 'C', 'B']) await enqueue(tx, { target, key, payload: { key, n: Math.random() } });
      });
      for (const key of ['A', 'D', 'E']) await enqueue(store, { target: 'other.target', key, payload: { key } });
      await enqueue(store, { target, key: 'A', payload: { last: true } });
      const whole = (await listMessages(store, { limit: 1000 })).map((item) => item.id);
      expect(whole).toHaveLength(9);

      const pages = await walk(store, { limit: 2 });
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
      expect(pages.flat()).toEqual(whole);
      // Exactly full: the last page names no next one.
      expect((await listMessagePage(store, { limit: 9 })).nextCursor).toBeUndefined();
      expect((await listMessagePage(store, { limit: 8 })).nextCursor).toEqual(expect.any(String));

      // A message arriving while someone pages is newer than every cursor: later pages neither repeat nor shift.
      const first = await listMessagePage(store, { limit: 4 });
      await enqueue(store, { target, key: 'Z', payload: { late: true } });
      const second = await listMessagePage(store, { limit: 4, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((item) => item.id)).toEqual(whole.slice(0, 8));

      // Filters apply on every page.
      const pending = await walk(store, { target, state: 'pending', limit: 3 });
      expect(pending.flat()).toEqual((await listMessages(store, { target, state: 'pending' })).map((item) => item.id));
      expect(pending.flat()).toHaveLength(7);
    });

    it("pages one key's messages in sequence order, per target; refuses a cursor it did not issue", async () => {
      const { store } = await open();
      for (let n = 1; n <= 5; n += 1) await enqueue(store, { target, key: 'K', payload: { n } });
      for (let n = 1; n <= 2; n += 1) await enqueue(store, { target: 'another.target', key: 'K', payload: { n } });
      const pages = await walk(store, { key: 'K', limit: 3 });
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      const listed = (await listMessages(store, { key: 'K', limit: 1000 })).map((item) => [item.target, item.sequence]);
      expect(listed).toEqual([['another.target', 1], ['another.target', 2], [target, 1], [target, 2], [target, 3], [target, 4], [target, 5]]);
      expect(pages.flat()).toEqual((await listMessages(store, { key: 'K', limit: 1000 })).map((item) => item.id));

      for (const cursor of ['', 'not a cursor', Buffer.from(JSON.stringify(['2025-01-01T00:00:00.000000Z', target, 0, 'x'])).toString('base64url')]) {
        await expect(listMessagePage(store, { cursor })).rejects.toBeInstanceOf(InvalidOutboxCursorError);
      }
    });
  });

  describe(`${storeTarget.driver} outbox: delivery`, () => {
    it('a running dispatcher with no target queries nothing and keeps no timer; registering one wakes it at once', async () => {
      const fixture = await open();
      const message = await enqueue(fixture.store, { target, key: 'K', payload: {} });
      let queries = 0;
      const counting = Object.assign(Object.create(fixture.store) as typeof fixture.store, {
        query: (...args: Parameters<typeof fixture.store.query>) => ((queries += 1), fixture.store.query(...args)),
      });
      // Poll timers are recognised by their unusual delay (far beyond the test: only register() can make it look).
      const pollIntervalMs = 59_999;
      let pollTimers = 0;
      const realSetTimeout = globalThis.setTimeout;
      globalThis.setTimeout = ((handler: () => void, delay?: number) => {
        if (delay === pollIntervalMs) pollTimers += 1;
        return realSetTimeout(handler, delay);
      }) as typeof setTimeout;
      try {
        const dispatcher = fixture.dispatcher({ store: counting, pollIntervalMs });
        dispatcher.start();
        await new Promise((resolve) => realSetTimeout(resolve, 100));
        expect(queries).toBe(0);
        expect(pollTimers).toBe(0);
        dispatcher.register(target, { handler: async () => ({ answer: 'ok' }) });
        await waitFor(async () => (await getMessage(fixture.store, message.id))?.state === 'delivered', 2_000, 'delivery after register');
        expect(queries).toBeGreaterThan(0);
      } finally {
        globalThis.setTimeout = realSetTimeout;
      }
    });

    it(`delivers ${scale.messages} messages over ${scale.keys} keys exactly once each, in order per key, while 30% of attempts fail`, async () => {
      const fixture = await open();
      const { store } = fixture;
      const delivered = new Map<string, number>();
      const orderByKey = new Map<string, number[]>();
      const inFlightKeys = new Set<string>();
      let overlaps = 0;
      // A lease long enough for a loaded CI machine: a lease that runs out mid-delivery means a second delivery by design (at least once), and that is another test's subject.
      fixture.dispatcher({ maxConcurrent: 6, maxAttempts: 100, leaseMs: 15_000 }).register(target, {
        handler: async (message: OutboxMessage) => {
          if (inFlightKeys.has(message.key)) overlaps += 1;
          inFlightKeys.add(message.key);
          try {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
            if (Math.random() < 0.3) throw new TransientDeliveryError('fault', 'injected failure');
            delivered.set(message.id, (delivered.get(message.id) ?? 0) + 1);
            orderByKey.set(message.key, [...(orderByKey.get(message.key) ?? []), message.sequence]);
            return { answer: 'ok' };
          } finally {
            inFlightKeys.delete(message.key);
          }
        },
      }).start();

      const perKey = scale.messages / scale.keys;
      // Enqueued concurrently, some before and some while the dispatcher runs.
      await Promise.all(
        Array.from({ length: scale.keys }, async (_, k) => {
          for (let n = 0; n < perKey; n += 1) await enqueue(store, { target, key: `dossier-${k}`, payload: { k, n } });
        }),
      );
      await waitFor(async () => (await states(store)).delivered === scale.messages, 30_000, 'every message delivered');

      expect(delivered.size).toBe(scale.messages);
      expect([...delivered.values()].every((count) => count === 1)).toBe(true);
      expect(overlaps).toBe(0);
      for (const sequences of orderByKey.values()) expect(sequences).toEqual(Array.from({ length: perKey }, (_, i) => i + 1));
      const { rows } = await store.query<{ retried: number }>("SELECT count(*) FILTER (WHERE attempts > 1)::integer AS retried FROM outbox_messages WHERE delivery_answer = 'ok'");
      expect(rows[0]!.retried).toBeGreaterThan(0);
    }, 60_000);

    it('makes a message dead after max attempts; it holds its key until re-driven or cancelled', async () => {
      const fixture = await open();
      const { store } = fixture;
      let failing = true;
      const seen: number[] = [];
      const dispatcher = fixture.dispatcher({ maxAttempts: 3 }).register(target, {
        handler: async (message) => {
          seen.push(message.sequence);
          if (failing && message.sequence === 1) throw new TransientDeliveryError('http_503', 'portal answered 503');
          return { answer: `seq ${message.sequence}` };
        },
      });
      dispatcher.start();
      const first = await enqueue(store, { target, key: 'K', payload: { n: 1 } });
      const second = await enqueue(store, { target, key: 'K', payload: { n: 2 } });
      dispatcher.wake();
      await waitFor(async () => (await getMessage(store, first.id))?.state === 'dead', 5_000, 'dead');
      const dead = (await getMessage(store, first.id))!;
      expect(dead).toMatchObject({ attempts: 3, deadReason: 'max attempts (3) reached', lastError: { kind: 'http_503', message: 'portal answered 503' } });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(seen).toEqual([1, 1, 1]);
      expect((await getMessage(store, second.id))!.state).toBe('pending');

      failing = false;
      const redriven = await redriveMessage(store, first.id);
      expect(redriven).toMatchObject({ outcome: 'done', before: { state: 'dead', attempts: 3 }, after: { state: 'pending', attempts: 0, deadReason: null, lastError: null } });
      dispatcher.wake();
      await waitFor(async () => (await states(store)).delivered === 2, 5_000, 'both delivered');
      expect(seen).toEqual([1, 1, 1, 1, 2]);
      expect(await getMessage(store, first.id)).toMatchObject({ attempts: 1, deliveryAnswer: 'seq 1' });
      expect(await redriveMessage(store, first.id)).toMatchObject({ outcome: 'wrong-state', current: { state: 'delivered' }, allowed: ['dead'] });
    });

    it('cancels a pending or dead message and lets the next of its key go', async () => {
      const fixture = await open();
      const { store } = fixture;
      const seen: number[] = [];
      const dispatcher = fixture.dispatcher().register(target, {
        handler: async (message) => {
          seen.push(message.sequence);
          if (message.sequence === 1) throw new PermanentDeliveryError('rejected', 'portal refused the dossier (code 12)');
          return {};
        },
      });
      const first = await enqueue(store, { target, key: 'K', payload: { n: 1 } });
      const second = await enqueue(store, { target, key: 'K', payload: { n: 2 } });
      const third = await enqueue(store, { target, key: 'K', payload: { n: 3 } });
      expect(await cancelMessage(store, third.id)).toMatchObject({ outcome: 'done', before: { state: 'pending' }, after: { state: 'cancelled' } });
      dispatcher.start();
      await waitFor(async () => (await getMessage(store, first.id))?.state === 'dead', 5_000, 'dead at once');
      expect(await getMessage(store, first.id)).toMatchObject({ attempts: 1, deadReason: 'rejected by target (rejected)' });
      expect(await cancelMessage(store, first.id)).toMatchObject({ outcome: 'done', before: { state: 'dead' }, after: { state: 'cancelled' } });
      dispatcher.wake();
      await waitFor(async () => (await getMessage(store, second.id))?.state === 'delivered', 5_000, 'next delivered');
      expect(seen).toEqual([1, 2]);
      expect(await cancelMessage(store, second.id)).toMatchObject({ outcome: 'wrong-state', allowed: ['pending', 'dead'] });
      expect(await cancelMessage(store, '00000000-0000-4000-8000-000000000000')).toEqual({ outcome: 'not-found' });
      expect(await cancelMessage(store, 'not-a-uuid')).toEqual({ outcome: 'not-found' });
      expect((await listMessages(store, { target, key: 'K' })).map((m) => [m.sequence, m.state])).toEqual([
        [1, 'cancelled'],
        [2, 'delivered'],
        [3, 'cancelled'],
      ]);
      expect(await listMessages(store, { state: 'delivered' })).toHaveLength(1);
      expect((await listMessages(store, { key: 'K' }))[0]).not.toHaveProperty('payload');
      expect((await listMessages(store, { key: 'K', includePayload: true }))[0]!.payload).toEqual({ n: 1 });
    });

    it('does not count deferred attempts, nor touch a target that says it is unavailable', async () => {
      const fixture = await open();
      const { store } = fixture;
      let available = false;
      let defer = 3;
      let calls = 0;
      const dispatcher = fixture.dispatcher({ maxAttempts: 2 }).register(target, {
        isAvailable: () => available,
        handler: async () => {
          calls += 1;
          if (defer-- > 0) throw new DeferredDeliveryError('breaker_open', 'portal breaker open', { retryAfterMs: 10 });
          return { answer: 'done' };
        },
      });
      dispatcher.start();
      const message = await enqueue(store, { target, key: 'K', payload: {} });
      dispatcher.wake();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).toBe(0);
      expect(await getMessage(store, message.id)).toMatchObject({ state: 'pending', attempts: 0 });

      available = true;
      await waitFor(async () => (await getMessage(store, message.id))?.state === 'delivered', 5_000, 'delivered');
      // Three deferrals and a success with maxAttempts 2: deferrals were not attempts.
      expect(calls).toBe(4);
      expect(await getMessage(store, message.id)).toMatchObject({ attempts: 1, deliveryAnswer: 'done' });
      expect((await dispatcher.stats())[0]).toMatchObject({ target, backlog: 0, deliveries: { delivered: 1, deferred: 3, retry: 0, dead: 0 } });
    });

    it('schedules the next attempt in the future with backoff, and goes dead past max age', async () => {
      const fixture = await open();
      const { store } = fixture;
      fixture.dispatcher({ baseDelayMs: 60_000, maxDelayMs: 60_000 }).register(target, {
        handler: async () => {
          throw new Error('Nguyễn Văn An 001090012345 not accepted');
        },
      }).start();
      const message = await enqueue(store, { target, key: 'K', payload: { fullName: 'Nguyễn Văn An' } });
      fixture.dispatchers[0]!.wake();
      await waitFor(async () => (await getMessage(store, message.id))?.attempts === 1 && (await getMessage(store, message.id))?.state === 'pending', 5_000, 'first failure');
      const failed = (await getMessage(store, message.id))!;
      // Unclassified errors keep only their class name: the text could quote personal data.
      expect(failed.lastError).toEqual({ kind: 'unexpected', message: 'handler threw Error' });
      const { rows } = await store.query<{ ahead_ms: number }>('SELECT (extract(epoch FROM next_attempt_at - now()) * 1000)::double precision AS ahead_ms FROM outbox_messages WHERE id = $1', [message.id]);
      expect(rows[0]!.ahead_ms).toBeLessThanOrEqual(60_000);
      expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(failed.lastAttemptAt!.getTime());
      expect(fixture.log.text()).not.toContain('001090012345');
      expect(fixture.log.text()).not.toContain('Nguyễn');

      const aged = await open();
      aged.dispatcher({ maxAgeMs: 1 }).register(target, {
        handler: async () => {
          throw new TransientDeliveryError('timeout', 'no answer');
        },
      }).start();
      const old = await enqueue(aged.store, { target, key: 'K', payload: {} });
      aged.dispatchers[0]!.wake();
      await waitFor(async () => (await getMessage(aged.store, old.id))?.state === 'dead', 5_000, 'dead by age');
      expect((await getMessage(aged.store, old.id))!.deadReason).toBe('max age (1 ms) reached');
    });

    it('computes full-jitter exponential delays within their ceiling', () => {
      for (let attempt = 1; attempt <= 12; attempt += 1) {
        const ceiling = Math.min(100 * 2 ** (attempt - 1), 5_000);
        for (let i = 0; i < 50; i += 1) {
          const delay = backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 5_000 });
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        }
      }
    });

    it('wakes at once on wake() after an enqueue, without waiting for the poll', async () => {
      const fixture = await open();
      const { store } = fixture;
      const dispatcher = fixture.dispatcher({ pollIntervalMs: 60_000 }).register(target, { handler: async () => ({}) });
      dispatcher.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const message = await enqueue(store, { target, key: 'K', payload: {} });
      const started = Date.now();
      dispatcher.wake();
      await waitFor(async () => (await getMessage(store, message.id))?.state === 'delivered', 2_000, 'delivered');
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('stops gracefully: finishes deliveries within the grace period, gives the others back uncounted', async () => {
      const fixture = await open();
      const { store } = fixture;
      const gates = new Map<number, () => void>();
      const aborted: number[] = [];
      const dispatcher = fixture.dispatcher().register(target, {
        handler: (message, signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => aborted.push(message.sequence));
            gates.set(Number((message.payload as { n: number }).n), () => resolve({ answer: 'finished' }));
          }),
      });
      const quick = await enqueue(store, { target, key: 'A', payload: { n: 1 } });
      const slow = await enqueue(store, { target, key: 'B', payload: { n: 2 } });
      dispatcher.start();
      await waitFor(() => gates.size === 2, 5_000, 'both in flight');
      setTimeout(() => gates.get(1)!(), 50);
      const stopped = dispatcher.stop(300);
      await stopped;
      expect(await getMessage(store, quick.id)).toMatchObject({ state: 'delivered', deliveryAnswer: 'finished' });
      expect(await getMessage(store, slow.id)).toMatchObject({ state: 'pending', attempts: 0, leaseOwner: null, leaseExpiresAt: null });
      expect(aborted).toEqual([1]);
      // Its late answer changes nothing: the lease is no longer its.
      gates.get(2)!();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await getMessage(store, slow.id))!.state).toBe('pending');
      // Another dispatcher takes it at once (no lease to wait for).
      fixture.dispatcher().register(target, { handler: async () => ({ answer: 'second' }) }).start();
      await waitFor(async () => (await getMessage(store, slow.id))?.state === 'delivered', 2_000, 'taken over');
    });

    it('reports backlog, oldest age and dead letters as metrics and stats', async () => {
      const fixture = await open();
      const { store } = fixture;
      const registry = new Registry();
      const metrics = createOutboxMetrics(registry, store, fixture.log.logger);
      const dispatcher = fixture.dispatcher({ metrics }).register(target, {
        handler: async (message) => {
          if (message.key === 'bad') throw new PermanentDeliveryError('rejected', 'refused');
          return {};
        },
      });
      dispatcher.register('idle.target', { handler: async () => ({}), isAvailable: () => false });
      await enqueue(store, { target: 'idle.target', key: 'K', payload: { n: 1 } });
      await enqueue(store, { target: 'idle.target', key: 'K', payload: { n: 2 } });
      await enqueue(store, { target, key: 'bad', payload: {} });
      await enqueue(store, { target, key: 'good', payload: {} });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      dispatcher.start();
      await waitFor(async () => (await states(store)).delivered === 1 && (await states(store)).dead === 1, 5_000, 'settled');

      const stats = await dispatcher.stats();
      expect(stats.find((s) => s.target === target)).toMatchObject({ backlog: 0, oldestPendingAgeSeconds: 0, dead: 1, deliveries: { delivered: 1, dead: 1 } });
      const idle = stats.find((s) => s.target === 'idle.target')!;
      expect(idle.backlog).toBe(2);
      expect(idle.oldestPendingAgeSeconds).toBeGreaterThan(1);

      const text = await registry.metrics();
      expect(text).toContain(`lgsp_outbox_backlog_messages{target="idle.target"} 2`);
      expect(text).toContain(`lgsp_outbox_dead_messages{target="${target}"} 1`);
      expect(text).toContain(`lgsp_outbox_deliveries_total{target="${target}",outcome="delivered"} 1`);
      expect(text).toContain(`lgsp_outbox_deliveries_total{target="idle.target",outcome="retry"} 0`);
      expect(text).toMatch(/lgsp_outbox_oldest_pending_age_seconds\{target="idle.target"\} [1-9]/);
      expect(text).toContain('lgsp_outbox_delivery_latency_seconds_count{target="test.target"} 1');
    });
  });
}
