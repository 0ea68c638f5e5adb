import type { Registry } from 'prom-client';
import { recordAdminChange, type AdminActor } from '../../audit/admin-change.js';
import { ProblemError } from '../../errors/problem-error.js';
import type { Queryable, Store } from '../../store/store.js';
import { compileMatchers } from '../matchers.js';
import type { AlertEvent, AlertState, AlertView, InhibitRule, Severity } from '../types.js';
import { alertColumns, eventColumns, isUuid, toAlertEvent, toAlertView, type AlertRow, type EventRow } from './alert-rows.js';
import { alertingMetrics, type AlertingMetrics } from './alerting-metrics.js';
import { inhibitedAlertIds } from './inhibition.js';
import { activeSilences, type ActiveSilence } from './silence-store.js';
import { decodeKeysetCursor, encodeKeysetCursor, keysetTimestampSql, type KeysetPosition } from '../../store/keyset-cursor.js';
import { uuidShape } from '../../util/uuid.js';

export interface AlertFilter {
  state?: AlertState | 'open';
  severity?: Severity;
  connector?: string;
  ruleId?: string;
  /** started_at ≥ since */
  since?: Date;
  /** started_at < until */
  until?: Date;
  limit: number;
  /** Cursor from a previous page's `next`. */
  before?: string;
}

export interface NotificationDelivery {
  state: string;
  attempts: number;
  deliveredAt?: string;
  lastError?: string;
}

export interface NotificationEntry {
  id: string;
  receiverId: string;
  kind: string;
  groupKey: string;
  alertIds: string[];
  createdAt: string;
  delivery: NotificationDelivery;
}

export type AlertDetail = AlertView & {
  events: AlertEvent[];
  notifications: Array<{ id: string; receiverId: string; kind: string; createdAt: string; delivery: NotificationDelivery }>;
};

export interface AlertStoreOptions {
  /** Where the time-to-acknowledge / time-to-resolve histograms are observed (per replica). */
  registry?: Registry;
  now?: () => Date;
}

const maxLimit = 500;

/**
 * The alerts as the admin API reads and changes them: paged history,
 * details with events and notifications, acknowledge and manual resolve.
 * Acknowledge and resolve lock the alert row, so they and the engine's
 * evaluation (which locks open alerts) take turns on it.
 */
export class AlertStore {
  private readonly metrics: AlertingMetrics | undefined;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    options: AlertStoreOptions = {},
  ) {
    this.metrics = options.registry && alertingMetrics(options.registry, store);
    this.now = options.now ?? (() => new Date());
  }

  /** Newest first (by start). `next` is the cursor of the following page, absent on the last. */
  async list(filter: AlertFilter): Promise<{ alerts: AlertView[]; next?: string }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (param: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.state === 'open') where.push("state <> 'resolved'");
    else if (filter.state !== undefined) add((p) => `state = ${p}`, filter.state);
    if (filter.severity !== undefined) add((p) => `severity = ${p}`, filter.severity);
    if (filter.connector !== undefined) add((p) => `labels->>'connector' = ${p}`, filter.connector);
    if (filter.ruleId !== undefined) add((p) => `rule_id = ${p}`, filter.ruleId);
    if (filter.since !== undefined) add((p) => `started_at >= ${p}`, filter.since);
    if (filter.until !== undefined) add((p) => `started_at < ${p}`, filter.until);
    if (filter.before !== undefined) {
      const cursor = decodeCursor(filter.before);
      params.push(cursor.at, cursor.key);
      where.push(`(started_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = Math.min(Math.max(Math.trunc(filter.limit) || 1, 1), maxLimit);
    params.push(limit + 1);
    const { rows } = await this.store.query<AlertRow & { cursor_at: string }>(
      `SELECT ${alertColumns}, ${keysetTimestampSql('started_at')} AS cursor_at FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY started_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      alerts: page.map(toAlertView),
      ...(rows.length > limit && last && { next: encodeKeysetCursor({ at: last.cursor_at, key: last.id }) }),
    };
  }

  async get(id: string): Promise<AlertDetail | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.store.query<AlertRow>(`SELECT ${alertColumns} FROM alerts WHERE id = $1`, [id]);
    if (!rows[0]) return undefined;
    const { rows: events } = await this.store.query<EventRow>(`SELECT ${eventColumns} FROM alert_events WHERE alert_id = $1 ORDER BY id`, [id]);
    const notifications = await this.readNotifications('$1 = ANY(n.alert_ids)', [id], 200);
    return {
      ...toAlertView(rows[0]),
      events: events.map(toAlertEvent),
      notifications: notifications.map(({ id: notificationId, receiverId, kind, createdAt, delivery }) => ({ id: notificationId, receiverId, kind, createdAt, delivery })),
    };
  }

  /** firing → acknowledged. LGSP_ALERT_STATE for any other state (a pending alert has asked nobody anything yet). */
  async acknowledge(id: string, actor: AdminActor, note?: string): Promise<AlertView> {
    const view = await this.change(id, actor, ['firing'], async (tx, now) => {
      await tx.query("UPDATE alerts SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, acknowledgement_note = $4 WHERE id = $1", [
        id,
        now,
        actor.actor,
        note ?? null,
      ]);
      return { kind: 'acknowledged' as const, detail: note === undefined ? null : { note } };
    });
    if (view.timeToAcknowledgeSeconds !== undefined) this.metrics?.timeToAcknowledge.observe(view.timeToAcknowledgeSeconds);
    return view;
  }

  /**
   * Any open state → resolved ('manual'). If the condition still holds, the
   * next evaluation opens a new alert; receivers told it fired get a resolved notice.
   */
  async resolve(id: string, actor: AdminActor, note?: string): Promise<AlertView> {
    const view = await this.change(id, actor, ['pending', 'firing', 'acknowledged'], async (tx, now) => {
      await tx.query("UPDATE alerts SET state = 'resolved', resolved_at = $2, resolved_by = $3, resolution = 'manual', resolution_note = $4 WHERE id = $1", [
        id,
        now,
        actor.actor,
        note ?? null,
      ]);
      return { kind: 'resolved' as const, detail: { resolution: 'manual', ...(note !== undefined && { note }) } };
    });
    if (view.timeToResolveSeconds !== undefined) this.metrics?.timeToResolve.observe(view.timeToResolveSeconds);
    return view;
  }

  /** The live feed's read: events after an id, in id order. */
  async eventsAfter(id: number, limit: number): Promise<AlertEvent[]> {
    const { rows } = await this.store.query<EventRow>(`SELECT ${eventColumns} FROM alert_events WHERE id > $1 ORDER BY id LIMIT $2`, [
      Math.max(0, Math.trunc(id)),
      Math.min(Math.max(Math.trunc(limit), 1), 1000),
    ]);
    return rows.map(toAlertEvent);
  }

  /** Where a starting live feed begins. */
  async latestEventId(): Promise<number> {
    const { rows } = await this.store.query<{ id: number | string | null }>('SELECT max(id) AS id FROM alert_events');
    return Number(rows[0]?.id ?? 0);
  }

  /** The notification log, newest first, with each notice's delivery state from the outbox. */
  async notifications(filter: { receiverId?: string; limit: number }): Promise<NotificationEntry[]> {
    return filter.receiverId === undefined
      ? this.readNotifications('true', [], filter.limit)
      : this.readNotifications('n.receiver_id = $1', [filter.receiverId], filter.limit);
  }

  /**
   * Open alerts' computed mutes: ids of the active silences matching each
   * one, and whether an inhibit rule mutes it (judged against every open
   * alert, not only the page shown).
   */
  async annotate(views: readonly AlertView[], inhibitRules: readonly InhibitRule[]): Promise<AlertView[]> {
    if (!views.some((view) => view.state !== 'resolved')) return [...views];
    const silences = await activeSilences(this.store, this.now());
    const { rows: open } = await this.store.query<{ id: string; state: AlertState; labels: Record<string, string> }>(
      "SELECT id, state, labels FROM alerts WHERE state <> 'resolved'",
    );
    return annotateAlerts(views, { silences, inhibitRules, openAlerts: open });
  }

  private async readNotifications(condition: string, params: unknown[], limit: number): Promise<NotificationEntry[]> {
    params.push(Math.min(Math.max(Math.trunc(limit) || 1, 1), maxLimit));
    const { rows } = await this.store.query<{
      id: string;
      receiver_id: string;
      kind: string;
      group_key: string;
      alert_ids: string[];
      created_at: Date;
      state: string | null;
      attempts: number | null;
      delivered_at: Date | null;
      last_error_message: string | null;
    }>(
      `SELECT n.id, n.receiver_id, n.kind, n.group_key, n.alert_ids, n.created_at, m.state, m.attempts, m.delivered_at, m.last_error_message
       FROM alert_notifications n LEFT JOIN outbox_messages m ON m.id = n.outbox_message_id
       WHERE ${condition} ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      id: row.id,
      receiverId: row.receiver_id,
      kind: row.kind,
      groupKey: row.group_key,
      alertIds: row.alert_ids,
      createdAt: row.created_at.toISOString(),
      delivery: {
        // An outbox message removed by retention: the notice was written; its delivery is no longer known.
        state: row.state ?? 'unknown',
        attempts: row.attempts ?? 0,
        ...(row.delivered_at && { deliveredAt: row.delivered_at.toISOString() }),
        ...(row.last_error_message && { lastError: row.last_error_message }),
      },
    }));
  }

  private async change(
    id: string,
    actor: AdminActor,
    allowed: readonly AlertState[],
    apply: (tx: Queryable, now: Date) => Promise<{ kind: 'acknowledged' | 'resolved'; detail: Record<string, unknown> | null }>,
  ): Promise<AlertView> {
    if (!isUuid(id)) throw notFound();
    return this.store.transaction(async (tx) => {
      const { rows } = await tx.query<AlertRow>(`SELECT ${alertColumns} FROM alerts WHERE id = $1 FOR UPDATE`, [id]);
      if (!rows[0]) throw notFound();
      const before = toAlertView(rows[0]);
      if (!allowed.includes(before.state)) {
        throw new ProblemError('LGSP_ALERT_STATE', { detail: `The alert is ${before.state}`, extensions: { state: before.state } });
      }
      const now = this.now();
      const step = await apply(tx, now);
      await tx.query('INSERT INTO alert_events (alert_id, kind, at, actor, detail) VALUES ($1, $2, $3, $4, $5::jsonb)', [
        id,
        step.kind,
        now,
        actor.actor,
        step.detail === null ? null : JSON.stringify(step.detail),
      ]);
      const { rows: updated } = await tx.query<AlertRow>(`SELECT ${alertColumns} FROM alerts WHERE id = $1`, [id]);
      const after = toAlertView(updated[0]!);
      await recordAdminChange(tx, actor, { type: 'alert', id }, before, after);
      return after;
    });
  }
}

/** Pure part of AlertStore.annotate: silencedBy / inhibited on open alerts (resolved ones are left as they are). */
export function annotateAlerts(
  views: readonly AlertView[],
  context: { silences: readonly ActiveSilence[]; inhibitRules: readonly InhibitRule[]; openAlerts: ReadonlyArray<{ id: string; state: AlertState; labels: Record<string, string> }> },
): AlertView[] {
  const silences = context.silences.map((silence) => ({ id: silence.id, matches: compileMatchers(silence.matchers) }));
  const inhibited = inhibitedAlertIds(context.openAlerts, context.inhibitRules);
  return views.map((view) => {
    if (view.state === 'resolved') return view;
    const silencedBy = silences.filter((silence) => silence.matches(view.labels)).map((silence) => silence.id);
    return { ...view, ...(silencedBy.length > 0 && { silencedBy }), inhibited: inhibited.has(view.id) };
  });
}


/** A cursor of a previous page (keyset-cursor.ts: started_at to the microsecond, the alert's id), or a 400. */
function decodeCursor(cursor: string): KeysetPosition {
  const position = decodeKeysetCursor(cursor, uuidShape);
  if (position) return position;
  throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'Not a cursor from a previous page', errors: [{ field: 'before', message: 'not a valid cursor' }] });
}

function notFound(): ProblemError {
  return new ProblemError('LGSP_NOT_FOUND', { detail: 'No such alert' });
}
