import { CallerGone } from './deadline.js';
import { Bulkhead, BulkheadFullError, BulkheadWaitEndedError } from './bulkhead.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('Bulkhead', () => {
  it('runs up to maxConcurrent at once, queues up to maxQueue in order, refuses the rest at once', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxQueue: 1 });
    const release = gate();
    const order: number[] = [];
    const task = (id: number) => async () => {
      order.push(id);
      await release.opened;
      return id;
    };
    const wait = { maxWaitMs: 10_000 };
    const running = [bulkhead.run(task(1), wait), bulkhead.run(task(2), wait), bulkhead.run(task(3), wait)];
    await expect(bulkhead.run(task(4), wait)).rejects.toBeInstanceOf(BulkheadFullError);
    expect({ inFlight: bulkhead.inFlight, queued: bulkhead.queued }).toEqual({ inFlight: 2, queued: 1 });
    expect(order).toEqual([1, 2]);
    release.open();
    await expect(Promise.all(running)).resolves.toEqual([1, 2, 3]);
    expect(order).toEqual([1, 2, 3]);
    expect({ inFlight: bulkhead.inFlight, queued: bulkhead.queued }).toEqual({ inFlight: 0, queued: 0 });
  });

  it('lets a waiter leave the queue when its wait ends, freeing its place at once', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const release = gate();
    const first = bulkhead.run(() => release.opened, { maxWaitMs: 10_000 });
    const gone = new AbortController();
    const waiting = bulkhead.run(async () => 'never', { maxWaitMs: 10_000, cancelled: gone.signal });
    expect(bulkhead.queued).toBe(1);
    gone.abort();
    await expect(waiting).rejects.toBeInstanceOf(BulkheadWaitEndedError);
    expect(bulkhead.queued).toBe(0);
    // The place is free again for the next caller, who times out on its own short wait.
    await expect(bulkhead.run(async () => 'late', { maxWaitMs: 20 })).rejects.toBeInstanceOf(BulkheadWaitEndedError);
    release.open();
    await first;
    await expect(bulkhead.run(async () => 'now', { maxWaitMs: 0 })).resolves.toBe('now');
  });

  it('asks a CallerGone for its signal only when the call has to wait, and leaves the queue when the caller goes', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const release = gate();
    const free = new CallerGone();
    const first = bulkhead.run(() => release.opened, { maxWaitMs: 10_000, cancelled: free });
    expect((free as unknown as { controller?: AbortController }).controller).toBeUndefined();
    const gone = new CallerGone();
    const waiting = bulkhead.run(async () => 'never', { maxWaitMs: 10_000, cancelled: gone });
    expect(bulkhead.queued).toBe(1);
    gone.abort();
    await expect(waiting).rejects.toBeInstanceOf(BulkheadWaitEndedError);
    expect(bulkhead.queued).toBe(0);
    release.open();
    await first;
  });

  it('frees the slot when the task fails', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    await expect(bulkhead.run(() => Promise.reject(new Error('boom')), { maxWaitMs: 0 })).rejects.toThrow('boom');
    expect(bulkhead.inFlight).toBe(0);
    await expect(bulkhead.run(async () => 'ok', { maxWaitMs: 0 })).resolves.toBe('ok');
  });

  it('admits waiters when its limits grow', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 5 });
    const release = gate();
    const first = bulkhead.run(() => release.opened, { maxWaitMs: 10_000 });
    const second = bulkhead.run(async () => 'second', { maxWaitMs: 10_000 });
    expect(bulkhead.queued).toBe(1);
    bulkhead.setLimits({ maxConcurrent: 2, maxQueue: 5 });
    await expect(second).resolves.toBe('second');
    release.open();
    await first;
  });
});
