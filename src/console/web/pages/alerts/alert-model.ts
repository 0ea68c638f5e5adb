/**
 * The admin API's alerting shapes as the console reads them
 * (src/alerting/types.ts on the server: the browser build cannot import
 * server files, so the fields the pages use are restated here).
 */
export type Severity = 'critical' | 'warning' | 'info';
export const severities: readonly Severity[] = ['critical', 'warning', 'info'];

export type AlertState = 'pending' | 'firing' | 'acknowledged' | 'resolved';
export const alertStates: readonly AlertState[] = ['pending', 'firing', 'acknowledged', 'resolved'];

export type Labels = Readonly<Record<string, string>>;

export interface AlertView {
  id: string;
  ruleId: string;
  labels: Labels;
  severity: Severity;
  summary: { vi: string; en: string };
  runbook?: string;
  state: AlertState;
  value: number | null;
  startedAt: string;
  firedAt?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  acknowledgementNote?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: 'cleared' | 'manual' | 'rule_removed';
  resolutionNote?: string;
  timeToAcknowledgeSeconds?: number;
  timeToResolveSeconds?: number;
  silencedBy?: string[];
  inhibited?: boolean;
}

export type AlertEventKind = 'pending' | 'firing' | 'acknowledged' | 'resolved' | 'notified' | 'silence_created' | 'silence_expired';

/** One entry of an alert's history; also what the live stream sends (`event: alert`). */
export interface AlertEvent {
  id: number;
  alertId: string | null;
  silenceId: string | null;
  kind: AlertEventKind;
  at: string;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

export interface NotificationSummary {
  id: string;
  receiverId: string;
  kind: string;
  createdAt: string;
  delivery: { state: string; attempts: number; deliveredAt?: string; lastError?: string };
}

export type AlertDetail = AlertView & { events: AlertEvent[]; notifications: NotificationSummary[] };

export interface AlertPage {
  items: AlertView[];
  next?: string;
}

export type MatcherOp = '=' | '!=' | '=~' | '!~';
export const matcherOps: readonly MatcherOp[] = ['=', '!=', '=~', '!~'];

export interface Matcher {
  name: string;
  op: MatcherOp;
  value: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';
export const silenceStates: readonly SilenceState[] = ['active', 'pending', 'expired'];

export interface SilenceView {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  createdAt: string;
  reason: string;
  expiredAt?: string;
  expiredBy?: string;
  state: SilenceState;
}

/** Body of POST /silences (src/alerting/schemas.ts silenceInputSchema). */
export interface SilenceInput {
  matchers: Matcher[];
  startsAt?: string;
  endsAt: string;
  reason: string;
}

/** What GET /alerts filters on (src/admin/alerts-router.ts). */
export interface AlertFilter {
  state?: AlertState | 'open';
  severity?: Severity;
  connector?: string;
  rule?: string;
  since?: string;
  until?: string;
  limit?: number;
  before?: string;
}

/*
 * The API's id patterns as HTML `pattern` attributes: anchored by the
 * browser, compiled with the `v` flag — where a bare `-` in a class is a
 * syntax error that silently switches the check off — so it is escaped.
 */
/** Label names a silence matcher may use (schemas.ts labelName). */
export const labelNameInputPattern = '[a-zA-Z_][a-zA-Z0-9_]{0,62}';
/** Alert rule ids (schemas.ts ruleIdPattern). */
export const ruleIdInputPattern = '[a-z0-9][a-z0-9._\\-]{0,99}';
