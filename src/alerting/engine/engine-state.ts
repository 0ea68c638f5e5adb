import type { Queryable } from '../../store/store.js';
import type { GroupState, PlannerAlert, ReceiverMark } from './notification-planner.js';
import { alertColumns, type AlertRow } from './alert-rows.js';

export interface NotificationState {
  alerts: PlannerAlert[];
  groups: GroupState[];
  marks: ReceiverMark[];
}

/**
 * What the planner needs, read in the engine's transaction after the
 * lifecycle step: open alerts, resolved alerts some receiver is still owed a
 * resolved notice for, their marks, and the group rows.
 */
export async function loadNotificationState(tx: Queryable): Promise<NotificationState> {
  const { rows: alertRows } = await tx.query<AlertRow>(
    `SELECT ${alertColumns} FROM alerts a
     WHERE a.state <> 'resolved'
        OR EXISTS (SELECT 1 FROM alert_receiver_marks m
                   WHERE m.alert_id = a.id AND m.firing_notified_at IS NOT NULL AND m.resolved_notified_at IS NULL)`,
  );
  const ids = alertRows.map((row) => row.id);
  const { rows: markRows } = await tx.query<{
    alert_id: string;
    receiver_id: string;
    firing_notified_at: Date | null;
    resolved_notified_at: Date | null;
    last_notified_at: Date | null;
  }>('SELECT alert_id, receiver_id, firing_notified_at, resolved_notified_at, last_notified_at FROM alert_receiver_marks WHERE alert_id = ANY($1::uuid[])', [ids]);
  const { rows: groupRows } = await tx.query<{
    receiver_id: string;
    group_key: string;
    group_labels: Record<string, string>;
    first_active_at: Date | null;
    last_notified_at: Date | null;
  }>('SELECT receiver_id, group_key, group_labels, first_active_at, last_notified_at FROM alert_groups');
  return {
    alerts: alertRows.map((row) => ({
      id: row.id,
      ruleId: row.rule_id,
      state: row.state,
      labels: row.labels,
      severity: row.severity,
      summary: row.summary,
      ...(row.runbook !== null && { runbook: row.runbook }),
      ...(row.fired_at && { firedAt: row.fired_at }),
      ...(row.resolved_at && { resolvedAt: row.resolved_at }),
      ...(row.acknowledged_by !== null && { acknowledgedBy: row.acknowledged_by }),
    })),
    marks: markRows.map((row) => ({
      alertId: row.alert_id,
      receiverId: row.receiver_id,
      firingNotifiedAt: row.firing_notified_at,
      resolvedNotifiedAt: row.resolved_notified_at,
      lastNotifiedAt: row.last_notified_at,
    })),
    groups: groupRows.map((row) => ({
      receiverId: row.receiver_id,
      groupKey: row.group_key,
      groupLabels: row.group_labels,
      firstActiveAt: row.first_active_at,
      lastNotifiedAt: row.last_notified_at,
    })),
  };
}
