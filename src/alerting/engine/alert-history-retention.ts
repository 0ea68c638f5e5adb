import type { Queryable } from '../../store/store.js';

export interface PrunedAlertHistory {
  alerts: number;
  notifications: number;
  silences: number;
  groups: number;
}

/**
 * Removes alert history older than `before` (alerting.historyRetentionDays):
 * alerts resolved before it with their events and marks, notification log
 * entries written before it, silences that ended before it with their events,
 * and groups idle since before it. Open alerts, and anything a notice still
 * depends on, are never touched: an open alert's marks say who was told.
 * Run it in one transaction; who acknowledged what stays in the admin audit
 * stream, whose retention is the audit trail's.
 */
export async function pruneAlertHistory(db: Queryable, before: Date): Promise<PrunedAlertHistory> {
  const oldAlerts = "SELECT id FROM alerts WHERE state = 'resolved' AND resolved_at < $1";
  await db.query(`DELETE FROM alert_events WHERE alert_id IN (${oldAlerts})`, [before]);
  await db.query(`DELETE FROM alert_receiver_marks WHERE alert_id IN (${oldAlerts})`, [before]);
  const alerts = await db.query("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < $1", [before]);
  const notifications = await db.query('DELETE FROM alert_notifications WHERE created_at < $1', [before]);
  const endedSilences = 'SELECT id FROM alert_silences WHERE LEAST(ends_at, COALESCE(expired_at, ends_at)) < $1';
  await db.query(`DELETE FROM alert_events WHERE alert_id IS NULL AND silence_id IN (${endedSilences})`, [before]);
  const silences = await db.query('DELETE FROM alert_silences WHERE LEAST(ends_at, COALESCE(expired_at, ends_at)) < $1', [before]);
  const groups = await db.query('DELETE FROM alert_groups WHERE first_active_at IS NULL AND (last_notified_at IS NULL OR last_notified_at < $1)', [before]);
  return { alerts: alerts.rowCount, notifications: notifications.rowCount, silences: silences.rowCount, groups: groups.rowCount };
}
