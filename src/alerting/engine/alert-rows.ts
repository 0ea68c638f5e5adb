import type { AlertEvent, AlertState, AlertView, Labels, Severity } from '../types.js';

/** The columns of `alerts` every reader selects (one list, so views never miss a field). */
export const alertColumns = `id, fingerprint, rule_id, labels, severity, summary, runbook, state, value, started_at, fired_at,
  acknowledged_at, acknowledged_by, acknowledgement_note, resolved_at, resolved_by, resolution, resolution_note`;

export interface AlertRow {
  id: string;
  fingerprint: string;
  rule_id: string;
  labels: Labels;
  severity: Severity;
  summary: { vi: string; en: string };
  runbook: string | null;
  state: AlertState;
  value: number | null;
  started_at: Date;
  fired_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: 'cleared' | 'manual' | 'rule_removed' | null;
  resolution_note: string | null;
}

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

export function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    ruleId: row.rule_id,
    labels: row.labels,
    severity: row.severity,
    summary: row.summary,
    ...(row.runbook !== null && { runbook: row.runbook }),
    state: row.state,
    value: row.value === null ? null : Number(row.value),
    startedAt: row.started_at.toISOString(),
    ...(row.fired_at && { firedAt: row.fired_at.toISOString() }),
    ...(row.acknowledged_at && { acknowledgedAt: row.acknowledged_at.toISOString() }),
    ...(row.acknowledged_by !== null && { acknowledgedBy: row.acknowledged_by }),
    ...(row.acknowledgement_note !== null && { acknowledgementNote: row.acknowledgement_note }),
    ...(row.resolved_at && { resolvedAt: row.resolved_at.toISOString() }),
    ...(row.resolved_by !== null && { resolvedBy: row.resolved_by }),
    ...(row.resolution !== null && { resolution: row.resolution }),
    ...(row.resolution_note !== null && { resolutionNote: row.resolution_note }),
    // Measured from firing: a pending alert has not asked anybody for anything yet.
    ...(row.fired_at && row.acknowledged_at && { timeToAcknowledgeSeconds: seconds(row.fired_at, row.acknowledged_at) }),
    ...(row.fired_at && row.resolved_at && { timeToResolveSeconds: seconds(row.fired_at, row.resolved_at) }),
  };
}

export const eventColumns = 'id, alert_id, silence_id, kind, at, actor, detail';

export interface EventRow {
  id: number | string;
  alert_id: string | null;
  silence_id: string | null;
  kind: AlertEvent['kind'];
  at: Date;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

export function toAlertEvent(row: EventRow): AlertEvent {
  return {
    id: Number(row.id),
    alertId: row.alert_id,
    silenceId: row.silence_id,
    kind: row.kind,
    at: row.at.toISOString(),
    actor: row.actor,
    detail: row.detail,
  };
}

export { isUuid } from '../../util/uuid.js';
