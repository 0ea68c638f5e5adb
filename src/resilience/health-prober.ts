import { isUpstreamError, type UpstreamFailureKind } from '../connector-kit/upstream-errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { safeDbError } from '../store/safe-db-error.js';
import { describeProbeFailure } from './probe-failure-description.js';
import type { ProbeClaim, ProbeOutcome, ProbeResultSharing, SharedProbeResult } from './shared-probe-results.js';

/** A cheap upstream call that resolves when the upstream answers (src/resilience/probe-plan.ts builds it). */
export type ProbeFunction = (signal: AbortSignal) => Promise<void>;

/** One connector's probe; `probe` undefined = the connector is not probed (its report says `disabled`). */
export interface ProbeTarget {
  connectorId: string;
  probe: ProbeFunction | undefined;
  /**
   * A digest of what the probe is built from (the connector runtime's
   * generation fingerprint): replicas share results only between equal
   * fingerprints, so a result of an old configuration is never reported for
   * a new one. Absent: this replica probes the connector alone.
   */
  fingerprint?: string;
}

/**
 * The last probe of one connector. The failure's kind and a short description
 * built from its kind and codes are kept, never its message: messages can
 * quote what the upstream answered.
 */
export interface ProbeReport {
  /** `disabled`: not probed (probe setting `none`, or paused by the connector runtime). */
  status: 'pending' | 'ok' | 'failed' | 'disabled';
  /** Why the last probe failed; `unknown` when the connector threw something unclassified. */
  errorKind?: UpstreamFailureKind | 'unknown';
  /** What the upstream answered, e.g. `HTTP 404 from the upstream` (src/resilience/probe-failure-description.ts: never a body or a personal id). */
  error?: string;
  latencyMs?: number;
  /** ISO time the last probe finished (by the database clock when the result is shared). */
  checkedAt?: string;
  consecutiveFailures: number;
  /** The replica that ran the last probe: this one, or another when results are shared (present when the prober knows replica ids). */
  probedBy?: string;
}

export interface HealthProberOptions {
  targets: readonly ProbeTarget[];
  intervalMs: number;
  timeoutMs: number;
  metrics: Pick<Metrics, 'probeUp' | 'probeDuration' | 'probeFailures' | 'probeResultsAdopted'>;
  logger: Logger;
  /** Delay of the first probe (default: a short one, at most the interval). */
  firstProbeDelayMs?: number;
  /** This replica's id, reported as `probedBy` of the probes it runs (with sharing: sharing.replica). */
  replica?: string;
  /**
   * Where the replicas share their probes (src/resilience/shared-probe-results.ts):
   * one probe per interval for the cluster, its result reported by all.
   * Absent: this replica probes every connector itself (one replica, e.g.
   * embedded mode, whose in-process store no other replica can reach).
   */
  sharing?: ProbeResultSharing;
}

interface ProbeSlot {
  connectorId: string;
  probe: ProbeFunction | undefined;
  fingerprint: string | undefined;
  report: ProbeReport;
  timer?: NodeJS.Timeout;
  /**
   * Aborted when the probe function is replaced: the probe in flight is cut,
   * its result dropped and its follow-up never scheduled (each function has
   * its own controller, so a stale schedule recognises itself).
   */
  replaced: AbortController;
}

const pending = (): ProbeReport => ({ status: 'pending', consecutiveFailures: 0 });
const disabled = (): ProbeReport => ({ status: 'disabled', consecutiveFailures: 0 });

/**
 * Active health probes: every connector's probe on an interval, each with its
 * own deadline, outside the request breaker (a probe neither trips nor resets
 * it). The result is the health signal for operators and alerting.
 *
 * With several replicas (options.sharing), each turn of a connector first
 * asks the store for this interval's claim: the one replica that gets it
 * probes and publishes, the others adopt its result (report and
 * lgsp_upstream_probe_up) instead of probing. When the store does not
 * answer, a replica probes on its own: health never depends on the store.
 *
 * Reconfigurable while running (setTarget): the connector runtime swaps a
 * connector's probe when its settings or credentials change, pauses it when
 * the connector is disabled, adds one that was mounted later.
 */
export class HealthProber {
  private readonly slots = new Map<string, ProbeSlot>();
  /** Aborts in-flight probes on stop(). */
  private readonly stopping = new AbortController();
  private started = false;
  /** The store failed the last sharing call: said once in the log, and once again when it answers. */
  private probingAlone = false;
  private readonly replica: string | undefined;

  constructor(private readonly options: HealthProberOptions) {
    this.replica = options.sharing?.replica ?? options.replica;
    for (const target of options.targets) this.addSlot(target.connectorId, target.probe, target.fingerprint);
  }

  /**
   * Replaces the probe of a connector (adding the connector when it is new).
   * A new function starts over: report pending, first probe soon, the probe
   * in flight of the old one aborted and its result dropped. `undefined`
   * pauses the connector: report `disabled`, and its `lgsp_upstream_probe_up`
   * series removed rather than set, so a switched-off connector neither pages
   * (0) nor claims to be healthy (1). The same function again changes nothing.
   * `fingerprint`: see ProbeTarget (a new function comes with its own).
   */
  setTarget(connectorId: string, probe: ProbeFunction | undefined, fingerprint?: string): void {
    const slot = this.slots.get(connectorId);
    if (!slot) {
      const added = this.addSlot(connectorId, probe, fingerprint);
      if (this.started) this.schedule(added, this.firstDelay(), added.replaced.signal);
      return;
    }
    if (slot.probe === probe) return;
    slot.replaced.abort();
    clearTimeout(slot.timer);
    slot.replaced = new AbortController();
    slot.probe = probe;
    slot.fingerprint = fingerprint;
    const wasDisabled = slot.report.status === 'disabled';
    slot.report = probe ? pending() : disabled();
    if (!probe) {
      this.options.metrics.probeUp.remove({ connector: connectorId });
      if (!wasDisabled) this.options.logger.info({ connector: connectorId, probe: 'disabled' }, 'upstream health probe paused');
      return;
    }
    // A new function says nothing yet: no series until its first result.
    this.options.metrics.probeUp.remove({ connector: connectorId });
    this.options.logger.info({ connector: connectorId, probe: 'pending' }, wasDisabled ? 'upstream health probe resumed' : 'upstream health probe replaced');
    if (this.started) this.schedule(slot, this.firstDelay(), slot.replaced.signal);
  }

  start(): void {
    if (this.started || this.stopping.signal.aborted) return;
    this.started = true;
    for (const slot of this.slots.values()) this.schedule(slot, this.firstDelay(), slot.replaced.signal);
  }

  /** Stops the timers and aborts the probes in flight (their results are dropped). */
  stop(): void {
    this.stopping.abort();
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
  }

  connectorIds(): string[] {
    return [...this.slots.keys()];
  }

  /** A copy of the connector's last result (`disabled` when it is not probed), or undefined for a connector the prober does not know. */
  report(connectorId: string): ProbeReport | undefined {
    const slot = this.slots.get(connectorId);
    return slot ? { ...slot.report } : undefined;
  }

  private addSlot(connectorId: string, probe: ProbeFunction | undefined, fingerprint: string | undefined): ProbeSlot {
    const slot: ProbeSlot = { connectorId, probe, fingerprint, report: probe ? pending() : disabled(), replaced: new AbortController() };
    this.slots.set(connectorId, slot);
    // Present from the start, so a rate over it is defined before the first failure.
    this.options.metrics.probeFailures.inc({ connector: connectorId }, 0);
    return slot;
  }

  private firstDelay(): number {
    return this.options.firstProbeDelayMs ?? Math.min(250, this.options.intervalMs);
  }

  /** `generation`: the replaced-signal of the function this schedule belongs to; once aborted, the schedule ends. */
  private schedule(slot: ProbeSlot, delayMs: number, generation: AbortSignal): void {
    const probe = slot.probe;
    if (this.stopping.signal.aborted || generation.aborted || !probe) return;
    slot.timer = setTimeout(() => {
      // The next turn is scheduled only when this one has ended: never two probes of one function at once.
      void this.turn(slot, probe, generation).then(
        (nextInMs) => this.schedule(slot, nextInMs, generation),
        // Not expected (turn catches what the store and the probe throw); the schedule must not die of it.
        () => this.schedule(slot, this.options.intervalMs, generation),
      );
    }, delayMs);
    // Probes never keep the process alive on their own.
    slot.timer.unref();
  }

  /**
   * One turn of a connector: probe it (alone, or as the replica that got this
   * interval's claim) or adopt the result of the replica that did. Never
   * rejects; resolves with the wait until the next turn.
   */
  private async turn(slot: ProbeSlot, probe: ProbeFunction, generation: AbortSignal): Promise<number> {
    const { sharing, intervalMs } = this.options;
    const fingerprint = slot.fingerprint;
    if (!sharing || fingerprint === undefined) {
      await this.probeOnce(slot, probe, generation);
      return intervalMs;
    }
    let claim: ProbeClaim | undefined;
    try {
      claim = await sharing.claim(slot.connectorId, fingerprint);
      this.sharingAnswered();
    } catch (error) {
      this.sharingFailed(error);
    }
    if (this.stopping.signal.aborted || generation.aborted) return intervalMs;
    if (claim?.kind === 'adopt') {
      if (claim.result) this.adopt(slot, claim.result);
      return claim.nextTurnInMs;
    }
    // Our claim, or no answer from the store: probe (and publish only what we claimed).
    await this.probeOnce(slot, probe, generation, claim && { fingerprint, token: claim.token });
    return intervalMs;
  }

  private async probeOnce(slot: ProbeSlot, probe: ProbeFunction, generation: AbortSignal, claimed?: { fingerprint: string; token: number }): Promise<void> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([deadline, this.stopping.signal, generation]);
    const started = performance.now();
    let failure: Failure | undefined;
    const attempt = Promise.resolve().then(() => probe(signal));
    try {
      // The result counts at the deadline even if a probe ignores its signal...
      await Promise.race([attempt, abortion(signal)]);
    } catch (error) {
      const timedOut = deadline.aborted && !isUpstreamError(error);
      failure = {
        kind: isUpstreamError(error) ? error.kind : timedOut ? 'timeout' : 'unknown',
        description: describeProbeFailure(error, { timedOut, timeoutMs: this.options.timeoutMs }),
      };
    }
    // Cut by shutdown or by a replaced function: says nothing about the upstream.
    if (!this.stopping.signal.aborted && !generation.aborted) {
      await this.conclude(slot, { ...(failure && { failure }), latencyMs: Math.round(performance.now() - started) }, generation, claimed);
    }
    // ...but the next probe of this connector waits until this one has really ended.
    await attempt.catch(() => undefined);
  }

  /** A probe this replica ran: counted here, published when it was claimed, and reported. */
  private async conclude(slot: ProbeSlot, outcome: ProbeOutcome, generation: AbortSignal, claimed: { fingerprint: string; token: number } | undefined): Promise<void> {
    const labels = { connector: slot.connectorId };
    // Where the probe really ran: summed over the replicas, these are the cluster's probes.
    this.options.metrics.probeDuration.observe(labels, outcome.latencyMs / 1000);
    if (outcome.failure) this.options.metrics.probeFailures.inc(labels);
    let shared: SharedProbeResult | undefined;
    if (claimed && this.options.sharing) {
      try {
        shared = await this.options.sharing.publish(slot.connectorId, claimed.fingerprint, claimed.token, outcome);
        this.sharingAnswered();
      } catch (error) {
        this.sharingFailed(error);
      }
      if (this.stopping.signal.aborted || generation.aborted) return;
    }
    // Unpublished (store down, or the claim lost meanwhile): still what this replica saw, so it reports it.
    this.setReport(slot, shared ? { ...shared } : this.ownReport(slot.report, outcome));
  }

  private ownReport(previous: ProbeReport, { failure, latencyMs }: ProbeOutcome): ProbeReport {
    return {
      status: failure ? 'failed' : 'ok',
      ...(failure ? { errorKind: failure.kind, error: failure.description } : {}),
      latencyMs,
      checkedAt: new Date().toISOString(),
      consecutiveFailures: failure ? previous.consecutiveFailures + 1 : 0,
      ...(this.replica !== undefined && { probedBy: this.replica }),
    };
  }

  /** Another replica's result of this interval, unless it is the one already reported. */
  private adopt(slot: ProbeSlot, result: SharedProbeResult): void {
    if (slot.report.checkedAt === result.checkedAt && slot.report.probedBy === result.probedBy) return;
    this.options.metrics.probeResultsAdopted.inc();
    this.setReport(slot, { ...result });
  }

  private setReport(slot: ProbeSlot, report: ProbeReport): void {
    const { connectorId } = slot;
    const previous = slot.report;
    slot.report = report;
    this.options.metrics.probeUp.set({ connector: connectorId }, report.status === 'ok' ? 1 : 0);
    // Log changes only: a steady state is in the metrics, not a line per interval.
    if (previous.status !== report.status) {
      const line = { connector: connectorId, probe: report.status, errorKind: report.errorKind, error: report.error, latencyMs: report.latencyMs, probedBy: report.probedBy };
      if (report.status === 'failed') this.options.logger.warn(line, 'upstream health probe failing');
      else this.options.logger.info(line, 'upstream health probe answering');
    }
  }

  private sharingFailed(error: unknown): void {
    // At shutdown the store closes under a publish in flight: that is no outage.
    if (this.probingAlone || this.stopping.signal.aborted) return;
    this.probingAlone = true;
    this.options.logger.warn({ err: safeDbError(error) }, 'health probe results cannot be shared through the store; this replica probes every upstream itself until the store answers again');
  }

  private sharingAnswered(): void {
    if (!this.probingAlone) return;
    this.probingAlone = false;
    this.options.logger.info('health probe results shared through the store again');
  }
}

interface Failure {
  kind: NonNullable<ProbeReport['errorKind']>;
  description: string;
}

function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
