import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express from 'express';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import type { AlertEvent } from '../types.js';
import { AlertFeed, serveAlertStream, type AlertEventSource } from './alert-feed.js';

/** alert_events in memory: ids taken in order, visible when "committed" (possibly out of order). */
class FakeEvents implements AlertEventSource {
  committed: AlertEvent[] = [];
  private next = 1;
  reads = 0;

  take(): number {
    return this.next++;
  }

  commit(id: number, detail: Record<string, unknown> | null = null): AlertEvent {
    const event: AlertEvent = { id, alertId: null, silenceId: null, kind: 'firing', at: new Date(0).toISOString(), actor: null, detail };
    this.committed = [...this.committed, event].sort((a, b) => a.id - b.id);
    return event;
  }

  add(detail: Record<string, unknown> | null = null): AlertEvent {
    return this.commit(this.take(), detail);
  }

  async eventsAfter(id: number, limit: number): Promise<AlertEvent[]> {
    this.reads += 1;
    return this.committed.filter((event) => event.id > id).slice(0, limit);
  }

  async latestEventId(): Promise<number> {
    return this.committed.at(-1)?.id ?? 0;
  }
}

const log = captureLogger();

describe('alert feed', () => {
  it('delivers an event committed after a higher id was read (bigserial order is not commit order), once', async () => {
    const events = new FakeEvents();
    const feed = new AlertFeed({ store: events, pollIntervalMs: 60_000, logger: log.logger, pageSize: 2 });
    await feed.start();
    const seen: number[] = [];
    feed.subscribe(undefined, (event) => seen.push(event.id));
    const slow = events.take(); // an acknowledge's insert, not yet committed
    events.add();
    events.add();
    events.add();
    await feed.poll();
    expect(seen).toEqual([2, 3, 4]);
    events.commit(slow);
    await feed.poll();
    await feed.poll();
    expect(seen).toEqual([2, 3, 4, 1]);
    feed.stop();
  });

  it('forgets a skipped id after its time (a rolled-back insert) and keeps the number awaited bounded', async () => {
    const events = new FakeEvents();
    const feed = new AlertFeed({ store: events, pollIntervalMs: 60_000, logger: log.logger, gapTtlMs: 50, maxGaps: 3 });
    await feed.start();
    const seen: number[] = [];
    feed.subscribe(undefined, (event) => seen.push(event.id));
    for (let i = 0; i < 10; i += 1) events.take(); // ten rolled back
    events.add();
    await feed.poll();
    expect(seen).toEqual([11]);
    // Only the last three skipped ids are awaited: an old one committing now is not delivered...
    events.commit(2);
    events.commit(9);
    await feed.poll();
    expect(seen).toEqual([11, 9]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    events.commit(10);
    await feed.poll();
    // ...and after the gap time nothing is awaited any more.
    expect(seen).toEqual([11, 9]);
    feed.stop();
  });

  it('replays from the store after a Last-Event-ID, then continues live without duplicates', async () => {
    const events = new FakeEvents();
    for (let i = 0; i < 5; i += 1) events.add();
    const feed = new AlertFeed({ store: events, pollIntervalMs: 60_000, logger: log.logger, pageSize: 2 });
    await feed.start();
    const seen: number[] = [];
    feed.subscribe(2, (event) => seen.push(event.id));
    events.add();
    await feed.poll();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([3, 4, 5, 6]);
    feed.stop();
  });
});

describe('alert stream (SSE over a real http server)', () => {
  let server: http.Server;
  let base: string;
  let feed: AlertFeed;
  let events: FakeEvents;

  beforeEach(async () => {
    events = new FakeEvents();
    events.add({ n: 'before' });
    feed = new AlertFeed({ store: events, pollIntervalMs: 20, logger: log.logger });
    await feed.start();
    const app = express();
    app.get('/stream', (req, res) => serveAlertStream(feed, req, res, { heartbeatMs: 50, maxBuffered: 256 * 1024 }));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    feed.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Reads the stream until `until` says enough; returns the raw text. */
  async function read(response: Response, until: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + timeoutMs;
    while (!until(text)) {
      if (Date.now() > deadline) throw new Error(`stream did not say enough: ${text}`);
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    return text;
  }

  const frames = (text: string) =>
    text
      .split('\n\n')
      .filter((frame) => frame.startsWith('id: '))
      .map((frame) => {
        const lines = Object.fromEntries(frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
        return { id: Number(lines.id), event: lines.event, data: JSON.parse(lines.data!) as AlertEvent };
      });

  it('streams new events as SSE frames, with heartbeats', async () => {
    const response = await fetch(`${base}/stream`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    setTimeout(() => events.add({ n: 'live' }), 30);
    const text = await read(response, (t) => t.includes('"live"') && t.includes(': heartbeat'));
    expect(frames(text)).toEqual([{ id: 2, event: 'alert', data: expect.objectContaining({ id: 2, kind: 'firing', detail: { n: 'live' } }) }]);
    await waitFor(() => feed.subscriberCount === 0);
  });

  it('resumes after Last-Event-ID from the store', async () => {
    events.add({ n: 'missed' });
    await feed.poll();
    const response = await fetch(`${base}/stream`, { headers: { 'Last-Event-ID': '1' } });
    setTimeout(() => events.add({ n: 'live' }), 30);
    const text = await read(response, (t) => t.includes('"live"'));
    expect(frames(text).map((frame) => [frame.id, frame.data.detail])).toEqual([
      [2, { n: 'missed' }],
      [3, { n: 'live' }],
    ]);
  });

  it('disconnects a client that does not read instead of buffering for it, and lets go of its subscription', async () => {
    const response = await fetch(`${base}/stream`);
    expect(feed.subscriberCount).toBe(1);
    // Never read: kernel buffers fill, then the server's own buffer passes its bound.
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400 && feed.subscriberCount > 0; i += 1) {
      events.add({ big });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor(() => feed.subscriberCount === 0);
    await response.body?.cancel().catch(() => undefined);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
