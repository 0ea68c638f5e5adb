import { isUpstreamError, type UpstreamFailureKind } from '../connector-kit/upstream-errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** One connector's probe: a cheap upstream call that resolves when the upstream answers. */
export interface ProbeTarget {
  connectorId: string;
  probe(signal: AbortSignal): Promise<void>;
}

/**
 * The last probe of one connector. Only the failure's kind is kept, never
 * its message: messages can quote what the upstream answered.
 */
export interface ProbeReport {
  status: 'pending' | 'ok' | 'failed';
  /** Why the last probe failed; `unknown` when the connector threw something unclassified. */
  errorKind?: UpstreamFailureKind | 'unknown';
  latencyMs?: number;
  /** ISO time the last probe finished. */
  checkedAt?: string;
  consecutiveFailures: number;
}

export interface HealthProberOptions {
  targets: readonly ProbeTarget[];
  intervalMs: number;
  timeoutMs: number;
  metrics: Pick<Metrics, 'probeUp' | 'probeDuration' | 'probeFailures'>;
  logger: Logger;
  /** Delay of the first probe (default: a short one, at most the interval). */
  firstProbeDelayMs?: number;
}

interface ProbeSlot {
  target: ProbeTarget;
  report: ProbeReport;
  timer?: NodeJS.Timeout;
}

/**
 * Active health probes: every connector's probe on an interval, each with its
 * own deadline, outside the request breaker (a probe neither trips nor resets
 * it). The result is the health signal for operators and alerting.
 */
export class HealthProber {
  private readonly slots = new Map<string, ProbeSlot>();
  /** Aborts in-flight probes on stop(). */
  private readonly stopping = new AbortController();
  private started = false;

  constructor(private readonly options: HealthProberOptions) {
    for (const target of options.targets) {
      this.slots.set(target.connectorId, { target, report: { status: 'pending', consecutiveFailures: 0 } });
      // Present from the start, so a rate over it is defined before the first failure.
      options.metrics.probeFailures.inc({ connector: target.connectorId }, 0);
    }
  }

  start(): void {
    if (this.started || this.stopping.signal.aborted) return;
    this.started = true;
    const firstDelay = this.options.firstProbeDelayMs ?? Math.min(250, this.options.intervalMs);
    for (const slot of this.slots.values()) this.schedule(slot, firstDelay);
  }

  /** Stops the timers and aborts the probes in flight (their results are dropped). */
  stop(): void {
    this.stopping.abort();
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
  }

  connectorIds(): string[] {
    return [...this.slots.keys()];
  }

  /** A copy of the connector's last result, or undefined for a connector that is not probed. */
  report(connectorId: string): ProbeReport | undefined {
    const slot = this.slots.get(connectorId);
    return slot ? { ...slot.report } : undefined;
  }

  private schedule(slot: ProbeSlot, delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    slot.timer = setTimeout(() => {
      // The next probe is scheduled only when this one has ended: never two of one connector at once.
      void this.probeOnce(slot).finally(() => this.schedule(slot, this.options.intervalMs));
    }, delayMs);
    // Probes never keep the process alive on their own.
    slot.timer.unref();
  }

  private async probeOnce(slot: ProbeSlot): Promise<void> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([deadline, this.stopping.signal]);
    const started = performance.now();
    let failure: ProbeReport['errorKind'];
    const attempt = Promise.resolve().then(() => slot.target.probe(signal));
    try {
      // The result counts at the deadline even if a probe ignores its signal...
      await Promise.race([attempt, abortion(signal)]);
    } catch (error) {
      failure = isUpstreamError(error) ? error.kind : deadline.aborted ? 'timeout' : 'unknown';
    }
    if (!this.stopping.signal.aborted) this.record(slot, failure, Math.round(performance.now() - started));
    // ...but the next probe of this connector waits until this one has really ended.
    await attempt.catch(() => undefined);
  }

  private record(slot: ProbeSlot, failure: ProbeReport['errorKind'], latencyMs: number): void {
    const { connectorId } = slot.target;
    const previous = slot.report;
    slot.report = {
      status: failure ? 'failed' : 'ok',
      ...(failure ? { errorKind: failure } : {}),
      latencyMs,
      checkedAt: new Date().toISOString(),
      consecutiveFailures: failure ? previous.consecutiveFailures + 1 : 0,
    };
    const labels = { connector: connectorId };
    this.options.metrics.probeDuration.observe(labels, latencyMs / 1000);
    this.options.metrics.probeUp.set(labels, failure ? 0 : 1);
    if (failure) this.options.metrics.probeFailures.inc(labels);
    // Log changes only: a steady state is in the metrics, not a line per interval.
    if (previous.status !== slot.report.status) {
      const line = { connector: connectorId, probe: slot.report.status, errorKind: failure, latencyMs };
      if (failure) this.options.logger.warn(line, 'upstream health probe failing');
      else this.options.logger.info(line, 'upstream health probe answering');
    }
  }
}

function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
