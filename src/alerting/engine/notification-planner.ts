import { randomUUID } from 'node:crypto';
import { compileMatchers } from '../matchers.js';
import type { AlertState, InhibitRule, Labels, Notice, NoticeAlert, ReceiverView, Severity } from '../types.js';
import { inhibitedAlertIds } from './inhibition.js';
import type { ActiveSilence } from './silence-store.js';

/** An alert as the planner sees it: open ones, and resolved ones some receiver still owes a resolved notice. */
export interface PlannerAlert {
  id: string;
  ruleId: string;
  state: AlertState;
  labels: Labels;
  severity: Severity;
  summary: { vi: string; en: string };
  runbook?: string;
  firedAt?: Date;
  resolvedAt?: Date;
  acknowledgedBy?: string;
}

/** One row of alert_groups. */
export interface GroupState {
  receiverId: string;
  groupKey: string;
  groupLabels: Labels;
  /** Null while the group is idle; set when something new first needs telling (group wait counts from it). */
  firstActiveAt: Date | null;
  lastNotifiedAt: Date | null;
}

/** One row of alert_receiver_marks: what a receiver was told about an alert. */
export interface ReceiverMark {
  alertId: string;
  receiverId: string;
  firingNotifiedAt: Date | null;
  resolvedNotifiedAt: Date | null;
  lastNotifiedAt: Date | null;
}

export interface GroupingSettings {
  groupBy: readonly string[];
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
}

export interface PlanInput {
  now: Date;
  alerts: readonly PlannerAlert[];
  receivers: readonly ReceiverView[];
  /** Routing: does this receiver take this alert (enabled, severities, matchers)? */
  takes(receiver: ReceiverView, alert: { severity: Severity; labels: Labels }): boolean;
  /** Active silences at `now`. */
  silences: readonly ActiveSilence[];
  inhibitRules: readonly InhibitRule[];
  /** alerting.grouping; a receiver's route overrides each field it sets. */
  grouping: GroupingSettings;
  groups: readonly GroupState[];
  marks: readonly ReceiverMark[];
  /** Notification ids (tests pass a counter). */
  newId?: () => string;
}

export interface PlannedNotice {
  receiver: ReceiverView;
  notice: Notice;
  /** Every alert the notice names (firing and resolved). */
  alertIds: string[];
}

export interface NotificationPlan {
  notices: PlannedNotice[];
  /** Group rows to upsert (only those that changed). */
  groups: GroupState[];
  /** Mark rows to upsert (only those that changed). */
  marks: ReceiverMark[];
}

interface GroupWork {
  key: string;
  labels: Labels;
  /** Some alert of the group, taken by the receiver, is firing or acknowledged (silenced or not): the group is not idle. */
  busy: boolean;
  newFiring: PlannerAlert[];
  stillFiring: PlannerAlert[];
  newResolved: PlannerAlert[];
}

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

/** The group a receiver puts an alert in: the groupBy labels' values, a missing label as ''. */
export function groupKeyOf(groupBy: readonly string[], labels: Labels): { key: string; labels: Labels } {
  const values = groupBy.map((name) => labels[name] ?? '');
  return { key: JSON.stringify(values), labels: Object.fromEntries(groupBy.map((name, index) => [name, values[index]!])) };
}

export function effectiveGrouping(receiver: ReceiverView, defaults: GroupingSettings): GroupingSettings {
  const route = receiver.route ?? {};
  return {
    groupBy: route.groupBy ?? defaults.groupBy,
    groupWaitSeconds: route.groupWaitSeconds ?? defaults.groupWaitSeconds,
    groupIntervalSeconds: route.groupIntervalSeconds ?? defaults.groupIntervalSeconds,
    repeatIntervalSeconds: route.repeatIntervalSeconds ?? defaults.repeatIntervalSeconds,
  };
}

/**
 * Decides, for every receiver and group, whether a notice is due at `now`
 * (the design's "Notice decision", Alertmanager's group wait / group interval
 * / repeat interval with what its users miss):
 *
 * - newFiring: notifiable firing alerts (not silenced, not inhibited) never
 *   notified to the receiver; newResolved: resolved alerts the receiver was
 *   told fired and not yet that they resolved (whatever silences or
 *   acknowledgements say); stillFiring: notifiable firing alerts already told.
 * - Something new: the group becomes active (first_active_at) and a notice is
 *   due at max(first_active_at + groupWait, last_notified_at + groupInterval):
 *   alerts of one incident arrive together, a flapping upstream sends at most
 *   one notice per group interval.
 * - Nothing new but still firing: a repeat after repeatInterval. Acknowledged
 *   alerts are neither new nor still firing: never repeated.
 * - A group with nothing firing and nothing owed goes idle: the next incident
 *   waits groupWait again.
 *
 * Pure: the same input gives the same plan (apart from the ids), so a new
 * leader re-deciding from the same durable state decides the same.
 */
export function planNotifications(input: PlanInput): NotificationPlan {
  const { now } = input;
  const newId = input.newId ?? randomUUID;
  const silences = input.silences.map((silence) => ({ id: silence.id, matches: compileMatchers(silence.matchers) }));
  const silencedBy = new Map<string, string[]>();
  for (const alert of input.alerts) {
    const ids = silences.filter((silence) => silence.matches(alert.labels)).map((silence) => silence.id);
    if (ids.length > 0) silencedBy.set(alert.id, ids);
  }
  const inhibited = inhibitedAlertIds(
    input.alerts.filter((alert) => alert.state !== 'resolved'),
    input.inhibitRules,
  );
  const marks = new Map(input.marks.map((mark) => [pairKey(mark.alertId, mark.receiverId), mark]));
  const groups = new Map(input.groups.map((group) => [pairKey(group.receiverId, group.groupKey), group]));
  const alerts = [...input.alerts].sort(byFiredThenId);

  const plan: NotificationPlan = { notices: [], groups: [], marks: [] };
  const receivers = [...input.receivers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const receiver of receivers) {
    // A disabled receiver is told nothing, not even resolutions; its groups stay as they are.
    if (!receiver.enabled) continue;
    const settings = effectiveGrouping(receiver, input.grouping);
    const work = new Map<string, GroupWork>();
    const workFor = (labels: Labels): GroupWork => {
      const group = groupKeyOf(settings.groupBy, labels);
      let entry = work.get(group.key);
      if (!entry) {
        entry = { key: group.key, labels: group.labels, busy: false, newFiring: [], stillFiring: [], newResolved: [] };
        work.set(group.key, entry);
      }
      return entry;
    };

    for (const alert of alerts) {
      const mark = marks.get(pairKey(alert.id, receiver.id));
      if (alert.state === 'resolved') {
        // Owed to whoever was told it fired, even if the route changed since.
        if (mark?.firingNotifiedAt && !mark.resolvedNotifiedAt) workFor(alert.labels).newResolved.push(alert);
        continue;
      }
      if (alert.state === 'pending' || !input.takes(receiver, alert)) continue;
      const entry = workFor(alert.labels);
      entry.busy = true;
      if (alert.state !== 'firing' || silencedBy.has(alert.id) || inhibited.has(alert.id)) continue;
      (mark?.firingNotifiedAt ? entry.stillFiring : entry.newFiring).push(alert);
    }
    // Groups of this receiver with nothing in them now still need their idle reset.
    for (const group of input.groups) {
      if (group.receiverId === receiver.id && !work.has(group.groupKey) && group.firstActiveAt !== null) {
        work.set(group.groupKey, { key: group.groupKey, labels: group.groupLabels, busy: false, newFiring: [], stillFiring: [], newResolved: [] });
      }
    }

    for (const entry of [...work.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      const existing = groups.get(pairKey(receiver.id, entry.key));
      const before: GroupState = existing ?? { receiverId: receiver.id, groupKey: entry.key, groupLabels: entry.labels, firstActiveAt: null, lastNotifiedAt: null };
      const next: GroupState = { ...before };
      let kind: Notice['kind'] | undefined;
      if (entry.newFiring.length > 0 || entry.newResolved.length > 0) {
        next.firstActiveAt ??= now;
        const due = Math.max(
          next.firstActiveAt.getTime() + settings.groupWaitSeconds * 1000,
          next.lastNotifiedAt ? next.lastNotifiedAt.getTime() + settings.groupIntervalSeconds * 1000 : -Infinity,
        );
        if (now.getTime() >= due) {
          kind = entry.newFiring.length === 0 ? 'resolved' : entry.newResolved.length === 0 ? 'firing' : 'mixed';
        }
      } else if (entry.stillFiring.length > 0) {
        // Without a group row (groupBy changed since), the alerts' own marks say when they were last told.
        const last =
          next.lastNotifiedAt?.getTime() ??
          Math.max(...entry.stillFiring.map((alert) => marks.get(pairKey(alert.id, receiver.id))?.lastNotifiedAt?.getTime() ?? -Infinity));
        if (now.getTime() >= last + settings.repeatIntervalSeconds * 1000) kind = 'repeat';
      }

      let owed = entry.newResolved.length > 0;
      if (kind) {
        const firing = [...entry.newFiring, ...entry.stillFiring].sort(byFiredThenId);
        const notice: Notice = {
          notificationId: newId(),
          receiverId: receiver.id,
          groupKey: entry.key,
          groupLabels: entry.labels,
          kind,
          createdAt: now.toISOString(),
          firing: firing.map((alert) => noticeAlert(alert, false)),
          resolved: entry.newResolved.map((alert) => noticeAlert(alert, silencedBy.has(alert.id))),
        };
        plan.notices.push({ receiver, notice, alertIds: [...firing, ...entry.newResolved].map((alert) => alert.id) });
        const setMark = (alert: PlannerAlert, change: Partial<ReceiverMark>) => {
          const mark = marks.get(pairKey(alert.id, receiver.id)) ?? { alertId: alert.id, receiverId: receiver.id, firingNotifiedAt: null, resolvedNotifiedAt: null, lastNotifiedAt: null };
          plan.marks.push({ ...mark, ...change, lastNotifiedAt: now });
        };
        for (const alert of entry.newFiring) setMark(alert, { firingNotifiedAt: now });
        for (const alert of entry.stillFiring) setMark(alert, {});
        for (const alert of entry.newResolved) setMark(alert, { resolvedNotifiedAt: now });
        next.lastNotifiedAt = now;
        owed = false;
      }
      if (!entry.busy && !owed) next.firstActiveAt = null;
      if (!sameGroup(existing, next)) plan.groups.push(next);
    }
  }
  return plan;
}

function noticeAlert(alert: PlannerAlert, silenced: boolean): NoticeAlert {
  return {
    alertId: alert.id,
    ruleId: alert.ruleId,
    severity: alert.severity,
    labels: alert.labels,
    summary: alert.summary,
    ...(alert.runbook !== undefined && { runbook: alert.runbook }),
    ...(alert.firedAt && { firedAt: alert.firedAt.toISOString() }),
    ...(alert.resolvedAt && { resolvedAt: alert.resolvedAt.toISOString() }),
    ...(silenced && { silenced: true }),
    ...(alert.acknowledgedBy !== undefined && { acknowledgedBy: alert.acknowledgedBy }),
  };
}

function sameGroup(before: GroupState | undefined, after: GroupState): boolean {
  if (!before) return after.firstActiveAt === null && after.lastNotifiedAt === null;
  return before.firstActiveAt?.getTime() === after.firstActiveAt?.getTime() && before.lastNotifiedAt?.getTime() === after.lastNotifiedAt?.getTime();
}

function byFiredThenId(a: PlannerAlert, b: PlannerAlert): number {
  const difference = (a.firedAt?.getTime() ?? 0) - (b.firedAt?.getTime() ?? 0);
  if (difference !== 0) return difference;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
