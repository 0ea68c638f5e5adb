import type { Request, Response } from 'express';
import type { Logger } from '../../observability/logger.js';
import { safeDbError } from '../../store/safe-db-error.js';
import type { AlertEvent } from '../types.js';

/** What the feed reads (AlertStore has both). */
export interface AlertEventSource {
  eventsAfter(id: number, limit: number): Promise<AlertEvent[]>;
  /** The highest event id committed now (0 when none): where a starting feed begins. */
  latestEventId(): Promise<number>;
}

export interface AlertFeedOptions {
  store: AlertEventSource;
  pollIntervalMs: number;
  logger: Logger;
  /** How long an id skipped over is awaited (a transaction that took it may still commit). Default 30 s. */
  gapTtlMs?: number;
  /** At most this many skipped ids awaited at once (bounded memory). Default 1000. */
  maxGaps?: number;
  /** Rows per read. Default 500. */
  pageSize?: number;
  /** At most this many events replayed to a resuming client. Default 5000. */
  maxReplay?: number;
}

interface Subscriber {
  send: (event: AlertEvent) => void;
  /** Told when the feed stops (shutdown): a stream ends, so the server can drain. */
  end?: () => void;
  /** While the subscriber's history is replayed from the store, live events wait here. */
  pending?: AlertEvent[];
  replayed?: Set<number>;
  closed: boolean;
}

/**
 * The live feed of alert_events on one replica: it polls the store and fans
 * out to its SSE clients, so every replica serves the events of every other
 * (and of the leader) without a message bus.
 *
 * bigserial ids are handed out at insert, not at commit: an acknowledge that
 * took id 10 may commit after an engine tick that took id 11 was read. The
 * ids skipped over are remembered (a bounded number, for a bounded time) and
 * looked for again on each poll, so such an event is delivered late, not
 * lost; one rolled back simply expires.
 */
export class AlertFeed {
  private readonly store: AlertEventSource;
  private readonly pollIntervalMs: number;
  private readonly logger: Logger;
  private readonly gapTtlMs: number;
  private readonly maxGaps: number;
  private readonly pageSize: number;
  private readonly maxReplay: number;
  private readonly subscribers = new Set<Subscriber>();
  /** Skipped id → when we stop waiting for it (process clock). Insertion order = id order. */
  private readonly gaps = new Map<number, number>();
  private highest = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(opts: AlertFeedOptions) {
    this.store = opts.store;
    this.pollIntervalMs = opts.pollIntervalMs;
    this.logger = opts.logger;
    this.gapTtlMs = opts.gapTtlMs ?? 30_000;
    this.maxGaps = opts.maxGaps ?? 1000;
    this.pageSize = opts.pageSize ?? 500;
    this.maxReplay = opts.maxReplay ?? 5000;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Begins at the latest committed event: history is for resuming clients (Last-Event-ID), read from the store. */
  async start(): Promise<void> {
    if (this.timer) return;
    this.highest = await this.store.latestEventId();
    this.timer = setInterval(() => void this.poll(), this.pollIntervalMs);
    this.timer.unref();
  }

  /** Stops polling and ends every subscriber's stream (a graceful shutdown must not wait for them). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const subscriber of [...this.subscribers]) subscriber.end?.();
  }

  /**
   * Calls `send` with each new event. With `afterId` (a resuming client's
   * Last-Event-ID), the events after it are replayed from the store first,
   * in id order. Returns the unsubscribe function.
   */
  subscribe(afterId: number | undefined, send: (event: AlertEvent) => void, end?: () => void): () => void {
    const subscriber: Subscriber = { send, closed: false, ...(end && { end }) };
    this.subscribers.add(subscriber);
    if (afterId !== undefined && afterId < this.highest) {
      subscriber.pending = [];
      subscriber.replayed = new Set();
      void this.replay(subscriber, afterId, this.highest);
    }
    return () => {
      subscriber.closed = true;
      this.subscribers.delete(subscriber);
    };
  }

  /** One poll (the timer calls it; tests may too). Polls never overlap. */
  poll(): Promise<void> {
    this.polling ??= this.readNew()
      .catch((error: unknown) => this.logger.warn({ err: safeDbError(error) }, 'alert feed: could not read alert events'))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async readNew(): Promise<void> {
    const now = Date.now();
    for (const [id, until] of this.gaps) if (until <= now) this.gaps.delete(id);
    if (this.gaps.size > 0) {
      // Late commits below what we already read: re-read from the lowest id still awaited.
      const lowest = this.gaps.keys().next().value as number;
      for (const event of await this.store.eventsAfter(lowest - 1, this.pageSize)) {
        if (event.id > this.highest) break;
        if (this.gaps.delete(event.id)) this.deliver(event);
      }
    }
    for (;;) {
      const events = await this.store.eventsAfter(this.highest, this.pageSize);
      for (const event of events) {
        if (event.id <= this.highest) continue;
        this.rememberGaps(this.highest + 1, event.id - 1, now);
        this.highest = event.id;
        this.deliver(event);
      }
      if (events.length < this.pageSize) return;
    }
  }

  private rememberGaps(from: number, to: number, now: number): void {
    for (let id = Math.max(from, to - this.maxGaps + 1); id <= to; id += 1) this.gaps.set(id, now + this.gapTtlMs);
    // Oldest first out: the ones least likely to still commit.
    while (this.gaps.size > this.maxGaps) this.gaps.delete(this.gaps.keys().next().value as number);
  }

  private deliver(event: AlertEvent): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.pending) subscriber.pending.push(event);
      else this.send(subscriber, event);
    }
  }

  private send(subscriber: Subscriber, event: AlertEvent): void {
    if (subscriber.closed) return;
    try {
      subscriber.send(event);
    } catch (error) {
      // One broken client must not stop the others.
      this.logger.warn({ err: error instanceof Error ? error.message : 'unknown' }, 'alert feed: a subscriber failed');
    }
  }

  private async replay(subscriber: Subscriber, afterId: number, upTo: number): Promise<void> {
    let cursor = afterId;
    let count = 0;
    try {
      while (cursor < upTo && count < this.maxReplay && !subscriber.closed) {
        const events = await this.store.eventsAfter(cursor, Math.min(this.pageSize, this.maxReplay - count));
        if (events.length === 0) break;
        for (const event of events) {
          if (event.id > upTo) break;
          subscriber.replayed!.add(event.id);
          this.send(subscriber, event);
          count += 1;
        }
        cursor = events[events.length - 1]!.id;
      }
    } catch (error) {
      this.logger.warn({ err: safeDbError(error) }, 'alert feed: could not replay events for a resuming client');
    }
    const pending = subscriber.pending ?? [];
    const replayed = subscriber.replayed ?? new Set<number>();
    delete subscriber.pending;
    delete subscriber.replayed;
    // Live events that arrived meanwhile; a late commit the replay already read is not sent twice.
    for (const event of pending) if (!replayed.has(event.id)) this.send(subscriber, event);
  }
}

export interface AlertStreamOptions {
  /** Comment line sent this often so proxies keep the connection and clients notice a dead one. Default 15 s. */
  heartbeatMs?: number;
  /** A client whose unsent bytes exceed this is disconnected (it resumes with Last-Event-ID). Default 1 MiB. */
  maxBuffered?: number;
}

/**
 * Serves the feed as Server-Sent Events (`GET /admin/v1/alerts/stream`):
 * `id:` / `event: alert` / `data: <AlertEvent JSON>` frames; a reconnecting
 * client's `Last-Event-ID` header resumes from the store. Memory per client
 * is bounded: a client that does not read is cut off, not buffered for.
 */
export function serveAlertStream(feed: AlertFeed, req: Request, res: Response, options: AlertStreamOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBuffered = options.maxBuffered ?? 1024 * 1024;
  const lastEventId = req.get('last-event-id')?.trim();
  const afterId = lastEventId && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;

  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // nginx and similar proxies buffer responses unless told not to.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  };
  const write = (chunk: string) => {
    if (closed) return;
    if (res.writableLength > maxBuffered) {
      close();
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  write('retry: 3000\n\n');
  unsubscribe = feed.subscribe(
    afterId,
    (event) => write(`id: ${event.id}\nevent: alert\ndata: ${JSON.stringify(event)}\n\n`),
    () => {
      close();
      res.end();
    },
  );
  heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  req.on('close', close);
  res.on('close', close);
}
