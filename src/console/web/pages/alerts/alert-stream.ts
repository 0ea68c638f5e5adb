import { api } from '../../api.js';
import type { AlertEvent } from './alert-model.js';

export interface AlertWatchOptions {
  /** Aborted when the page goes away: the stream is closed and no timer is left behind. */
  signal: AbortSignal;
  /**
   * Something changed: the events received since the last call (coalesced),
   * or an empty list after a reconnect, when events may have been missed and
   * the page should read its data again.
   */
  onChange: (events: AlertEvent[]) => void;
  /** Whether the stream is connected now (for a "live" indicator). */
  onLiveChange?: (live: boolean) => void;
  /** Events arriving within this window are handed over together (one refresh per burst). Default 250 ms. */
  coalesceMs?: number;
}

const firstRetryMs = 3_000;
const maxRetryMs = 60_000;

/**
 * The alert stream (`GET /alerts/stream`, SSE `event: alert`), kept open
 * while the page is shown. The browser's EventSource reconnects by itself
 * after a dropped connection (resuming with Last-Event-ID); when it gives up
 * (an error answer, e.g. the gateway restarting behind a proxy) a new one is
 * opened with a growing delay, and the page is told to read its data again
 * since the new stream starts at the newest event.
 */
export function watchAlerts(options: AlertWatchOptions): void {
  const { signal, onChange } = options;
  const coalesceMs = options.coalesceMs ?? 250;
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = firstRetryMs;
  let opened = false;
  let buffered: AlertEvent[] = [];

  const flush = () => {
    flushTimer = undefined;
    const events = buffered;
    buffered = [];
    if (!signal.aborted) onChange(events);
  };
  const schedule = (event?: AlertEvent) => {
    if (event) buffered.push(event);
    flushTimer ??= setTimeout(flush, coalesceMs);
  };

  const open = () => {
    if (signal.aborted) return;
    const stream = api.stream('/alerts/stream');
    source = stream;
    stream.addEventListener('open', () => {
      retryMs = firstRetryMs;
      options.onLiveChange?.(true);
      // A reconnect may have missed events (a new stream starts at the newest one): read again.
      if (opened) schedule();
      opened = true;
    });
    stream.addEventListener('alert', (message) => {
      try {
        schedule(JSON.parse((message as MessageEvent<string>).data) as AlertEvent);
      } catch {
        schedule();
      }
    });
    stream.addEventListener('error', () => {
      options.onLiveChange?.(false);
      if (stream.readyState !== EventSource.CLOSED || signal.aborted) return;
      // The browser gave up on this one: try again later, backing off.
      retryTimer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    });
  };

  signal.addEventListener(
    'abort',
    () => {
      source?.close();
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
    },
    { once: true },
  );
  open();
}
