import { enqueue } from '../../outbox/enqueue.js';
import type { Queryable } from '../../store/store.js';
import { noticeTargets } from '../types.js';
import type { NotificationPlan } from './notification-planner.js';

/**
 * Writes a plan inside the engine's fenced transaction: the group rows, the
 * marks, each notice in the notification log and in the outbox (same
 * transaction), and an alert_events row 'notified' per alert named. Either
 * all of it commits (then the marks say it was sent: nobody sends it again)
 * or none (the next leader decides again from the same state).
 */
export async function writeNotificationPlan(tx: Queryable, plan: NotificationPlan): Promise<void> {
  for (const group of plan.groups) {
    await tx.query(
      `INSERT INTO alert_groups (receiver_id, group_key, group_labels, first_active_at, last_notified_at)
       VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (receiver_id, group_key) DO UPDATE SET first_active_at = EXCLUDED.first_active_at, last_notified_at = EXCLUDED.last_notified_at`,
      [group.receiverId, group.groupKey, JSON.stringify(group.groupLabels), group.firstActiveAt, group.lastNotifiedAt],
    );
  }
  for (const mark of plan.marks) {
    await tx.query(
      `INSERT INTO alert_receiver_marks (alert_id, receiver_id, firing_notified_at, resolved_notified_at, last_notified_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (alert_id, receiver_id) DO UPDATE SET firing_notified_at = EXCLUDED.firing_notified_at,
         resolved_notified_at = EXCLUDED.resolved_notified_at, last_notified_at = EXCLUDED.last_notified_at`,
      [mark.alertId, mark.receiverId, mark.firingNotifiedAt, mark.resolvedNotifiedAt, mark.lastNotifiedAt],
    );
  }
  for (const { receiver, notice, alertIds } of plan.notices) {
    // The notification id is the idempotency key: the outbox stores one message per notice, whatever happens.
    const message = await enqueue(tx, { target: noticeTargets[receiver.kind], key: receiver.id, payload: notice, idempotencyKey: notice.notificationId });
    await tx.query(
      `INSERT INTO alert_notifications (id, receiver_id, group_key, kind, alert_ids, created_at, outbox_message_id, notice)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8::jsonb)`,
      [notice.notificationId, receiver.id, notice.groupKey, notice.kind, alertIds, notice.createdAt, message.id, JSON.stringify(notice)],
    );
    const noticed = [
      ...notice.firing.map((alert) => ({ alertId: alert.alertId, as: 'firing' })),
      ...notice.resolved.map((alert) => ({ alertId: alert.alertId, as: 'resolved' })),
    ];
    for (const entry of noticed) {
      await tx.query("INSERT INTO alert_events (alert_id, kind, at, actor, detail) VALUES ($1, 'notified', $2, NULL, $3::jsonb)", [
        entry.alertId,
        notice.createdAt,
        JSON.stringify({ receiverId: receiver.id, notificationId: notice.notificationId, kind: notice.kind, as: entry.as }),
      ]);
    }
  }
}
