import type { Registry } from 'prom-client';
import type { Logger } from '../../observability/logger.js';
import { safeDbError } from '../../store/safe-db-error.js';
import type { Queryable, Store } from '../../store/store.js';
import type { ActiveCondition, AlertRule, InhibitRule, Labels, ReceiverView, Severity, SignalSample, SignalSeries } from '../types.js';
import { pruneAlertHistory } from './alert-history-retention.js';
import { applyEvaluation } from './alert-lifecycle.js';
import { alertingMetrics, type AlertingMetrics } from './alerting-metrics.js';
import { loadNotificationState } from './engine-state.js';
import { LeaderLease, LeaseLostError } from './leader-lease.js';
import { planNotifications, type GroupingSettings, type NotificationPlan } from './notification-planner.js';
import { writeNotificationPlan } from './notification-writer.js';
import { activeSilences } from './silence-store.js';

export interface AlertEngineDeps {
  store: Store;
  replicaId: string;
  logger: Logger;
  /** This replica's readings (helper A's SignalSampler.sample). */
  sample(windows: readonly number[]): Promise<SignalSample[]>;
  publish(store: Store, replicaId: string, samples: readonly SignalSample[], now: Date): Promise<void>;
  readMerged(db: Queryable, options: { freshAfter: Date }): Promise<SignalSeries[]>;
  prune?(db: Queryable, olderThan: Date): Promise<number>;
  evaluate(rules: readonly AlertRule[], series: readonly SignalSeries[]): ActiveCondition[];
  windows(rules: readonly AlertRule[]): number[];
  /** Enabled effective rules, as they are now. */
  rules(): readonly AlertRule[];
  /** Effective receivers, as they are now. */
  receivers(): readonly ReceiverView[];
  receiverTakes(receiver: ReceiverView, alert: { severity: Severity; labels: Labels }): boolean;
  inhibitRules: readonly InhibitRule[];
  grouping: GroupingSettings;
  evaluationIntervalMs: number;
  leaseMs: number;
  /** Called after a commit that enqueued notices (the outbox dispatcher's wake()). */
  onNoticesEnqueued?(): void;
  registry?: Registry;
  /** Alert history older than this many days is removed by the leader, at most once an hour (0: kept forever). */
  historyRetentionDays?: number;
  now?(): Date;
}

const historyPruneIntervalMs = 3_600_000;

/** The lease row every replica's engine competes for. */
export const alertingLeaseName = 'alerting';

/**
 * The alerting engine of one replica. Every tick, every replica samples its
 * own signals and publishes them; the replica holding the lease then, in one
 * transaction fenced by the lease, merges the fresh samples, evaluates the
 * rules, moves alerts along their lifecycle and writes the notices due (with
 * their outbox messages). A replica that lost the lease commits nothing; a
 * new leader decides from the same durable state, so a failover neither
 * loses nor repeats a notice.
 */
export class AlertEngine {
  private readonly deps: AlertEngineDeps;
  private readonly lease: LeaderLease;
  private readonly metrics: AlertingMetrics | undefined;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastHistoryPrune = -Infinity;

  constructor(deps: AlertEngineDeps) {
    this.deps = deps;
    this.lease = new LeaderLease({ store: deps.store, name: alertingLeaseName, holder: deps.replicaId, leaseMs: deps.leaseMs });
    this.metrics = deps.registry && alertingMetrics(deps.registry, deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  get isLeader(): boolean {
    return this.lease.held;
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    // Ticks never overlap: a tick still running when the timer fires is not doubled (the next one comes on time).
    this.timer = setInterval(() => {
      if (!this.running) void this.tick();
    }, this.deps.evaluationIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Stops ticking and gives the lease up, so another replica leads at its next tick rather than after leaseMs. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    try {
      await this.lease.release();
    } catch (error) {
      this.deps.logger.warn({ err: safeDbError(error) }, 'alerting: could not release the lease; another replica takes over when it expires');
    }
    this.metrics?.leader.set(0);
  }

  /** One publish, and one evaluation when leader. A call while a tick runs joins that tick. */
  tick(): Promise<void> {
    this.running ??= this.runTick().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runTick(): Promise<void> {
    const { deps } = this;
    const now = this.now();
    const rules = deps.rules();
    try {
      const samples = await deps.sample(deps.windows(rules));
      await deps.publish(deps.store, deps.replicaId, samples, now);
    } catch (error) {
      deps.logger.warn({ err: safeDbError(error) }, 'alerting: could not sample or publish this replica\'s signals');
    }
    // Stopping: do not take (or keep) a lease stop() is about to give up.
    if (this.stopped) return;

    let leader = false;
    try {
      leader = await this.lease.acquireOrRenew();
    } catch (error) {
      deps.logger.warn({ err: safeDbError(error) }, 'alerting: could not renew or take the lease');
    }
    this.metrics?.leader.set(leader ? 1 : 0);
    if (!leader) return;

    let committed: { plan: NotificationPlan; resolved: string[] } | undefined;
    try {
      committed = await deps.store.transaction(async (tx) => {
        await this.lease.fence(tx);
        const series = await deps.readMerged(tx, { freshAfter: new Date(now.getTime() - 3 * deps.evaluationIntervalMs) });
        const conditions = deps.evaluate(rules, series);
        const outcome = await applyEvaluation(tx, conditions, now, new Set(rules.map((rule) => rule.id)));
        const state = await loadNotificationState(tx);
        const plan = planNotifications({
          now,
          alerts: state.alerts,
          receivers: deps.receivers(),
          takes: deps.receiverTakes,
          silences: await activeSilences(tx, now),
          inhibitRules: deps.inhibitRules,
          grouping: deps.grouping,
          groups: state.groups,
          marks: state.marks,
        });
        await writeNotificationPlan(tx, plan);
        return { plan, resolved: outcome.resolved };
      });
    } catch (error) {
      if (error instanceof LeaseLostError) {
        deps.logger.info('alerting: lease lost during evaluation; nothing written, another replica leads');
        this.metrics?.leader.set(0);
      } else {
        deps.logger.warn({ err: safeDbError(error) }, 'alerting: evaluation failed; nothing written, the next tick decides again');
      }
      return;
    }

    for (const { notice } of committed.plan.notices) this.metrics?.notices.inc({ kind: notice.kind });
    if (committed.plan.notices.length > 0) deps.onNoticesEnqueued?.();
    await this.afterCommit(now, committed.resolved);
  }

  /** Bookkeeping that may fail without harm: time-to-resolve of cleared alerts, pruning replicas' stale samples. */
  private async afterCommit(now: Date, resolved: string[]): Promise<void> {
    const { deps } = this;
    try {
      if (this.metrics && resolved.length > 0) {
        const { rows } = await deps.store.query<{ seconds: number }>(
          'SELECT EXTRACT(EPOCH FROM resolved_at - fired_at)::double precision AS seconds FROM alerts WHERE id = ANY($1::uuid[]) AND fired_at IS NOT NULL',
          [resolved],
        );
        for (const row of rows) this.metrics.timeToResolve.observe(Math.max(0, Number(row.seconds)));
      }
      // Samples of replicas gone for a while (scaled down, crashed) are of no use to anyone.
      await deps.prune?.(deps.store, new Date(now.getTime() - 10 * deps.evaluationIntervalMs));
      const retentionDays = deps.historyRetentionDays ?? 0;
      if (retentionDays > 0 && now.getTime() - this.lastHistoryPrune >= historyPruneIntervalMs) {
        this.lastHistoryPrune = now.getTime();
        const pruned = await deps.store.transaction((tx) => pruneAlertHistory(tx, new Date(now.getTime() - retentionDays * 86_400_000)));
        if (pruned.alerts + pruned.notifications + pruned.silences + pruned.groups > 0) deps.logger.info({ pruned, retentionDays }, 'alerting: old alert history removed');
      }
    } catch (error) {
      deps.logger.warn({ err: safeDbError(error) }, 'alerting: bookkeeping after evaluation failed');
    }
  }
}
