import { CallerGone } from './deadline.js';

/**
 * Bounds the calls in flight to one upstream, with a bounded FIFO queue in
 * front: a hung upstream can hold at most `maxConcurrent` sockets and
 * `maxQueue` waiting requests of ours, and everything beyond is refused at
 * once (503 LGSP_UPSTREAM_BUSY) instead of piling up in memory.
 *
 * Written here rather than taken from cockatiel's BulkheadPolicy: cockatiel
 * keeps a waiter in its queue after the waiter's signal aborted (it is only
 * dropped when a slot frees up), so requests whose deadline already passed
 * would keep the queue full and turn later callers away as "busy". Here a
 * waiter leaves the queue the moment its wait ends.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private limits: BulkheadLimits) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** New limits apply to the next admissions; calls already in flight finish. */
  setLimits(limits: BulkheadLimits): void {
    this.limits = limits;
    this.admitWaiters();
  }

  /**
   * Runs `task` in a slot. Waits in the queue at most `maxWaitMs` (the
   * caller's remaining deadline) or until `signal` aborts.
   */
  async run<T>(task: () => Promise<T>, wait: BulkheadWait): Promise<T> {
    await this.acquire(wait);
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.admitWaiters();
    }
  }

  private acquire(wait: BulkheadWait): Promise<void> {
    if (this.active < this.limits.maxConcurrent && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.limits.maxQueue) return Promise.reject(new BulkheadFullError(this.limits));
    if (wait.maxWaitMs <= 0 || wait.cancelled?.aborted) return Promise.reject(new BulkheadWaitEndedError());
    const signal = wait.cancelled instanceof CallerGone ? wait.cancelled.signal : wait.cancelled;
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', leave);
        reject(new BulkheadWaitEndedError());
      };
      const timer = setTimeout(leave, wait.maxWaitMs);
      timer.unref();
      signal?.addEventListener('abort', leave, { once: true });
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', leave);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private admitWaiters(): void {
    while (this.active < this.limits.maxConcurrent && this.waiters.length > 0) {
      this.active += 1;
      this.waiters.shift()!.admit();
    }
  }
}

/**
 * How long a call may wait for a slot: at most `maxWaitMs`, and not after
 * `cancelled` aborts. `cancelled` may be something that makes its AbortSignal
 * only when asked (a request's CallerGone): a call that gets a slot at once,
 * the usual case, never asks.
 */
export interface BulkheadWait {
  maxWaitMs: number;
  cancelled?: AbortSignal | CallerGone;
}

export interface BulkheadLimits {
  maxConcurrent: number;
  maxQueue: number;
}

interface Waiter {
  admit(): void;
}

/** Every slot and every queue place is taken: refused without waiting. */
export class BulkheadFullError extends Error {
  constructor(limits: BulkheadLimits) {
    super(`bulkhead full (${limits.maxConcurrent} in flight, ${limits.maxQueue} queued)`);
    this.name = 'BulkheadFullError';
  }
}

/** A queued call whose wait ended (deadline or caller gone) before a slot freed up. */
export class BulkheadWaitEndedError extends Error {
  constructor() {
    super('gave up waiting for a bulkhead slot');
    this.name = 'BulkheadWaitEndedError';
  }
}
