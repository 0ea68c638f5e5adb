/**
 * The alerting channel's shared shapes (issue 14). Each part lives in its own
 * folder: signals/ (what the gateway observes, per replica, merged through
 * the store), rules/ (conditions over signals, defaults, Prometheus export),
 * engine/ (leader lease, lifecycle, silences, inhibition, grouping, the
 * notification log), channels/ (receivers, e-mail, webhook, Telegram) and
 * the admin routes in src/admin/alerts-router.ts.
 *
 * Nothing here carries personal data: labels name connectors, operations and
 * outbox targets only, and notices are built from labels and rule texts.
 */

export type Severity = 'critical' | 'warning' | 'info';
export const severities: readonly Severity[] = ['critical', 'warning', 'info'];

/**
 * The gateway's own signals a rule can watch. Each replica reads them from
 * its metrics registry (and a few direct readings), publishes them to the
 * store, and the leader merges every fresh replica's samples:
 *
 * | signal                            | labels               | merged across replicas                       |
 * | probe_up                          | connector            | min (one replica that cannot reach it: 0)    |
 * | breaker_open                      | connector            | max (1 = open on some replica)               |
 * | error_ratio                       | connector, operation | sum(errors) / sum(requests) over the window  |
 * | latency_p95_seconds               | connector, operation | p95 of the summed histogram over the window  |
 * | contract_violations               | connector, operation | sum of increases over the window             |
 * | upstream_rejections               | connector, reason    | sum of increases over the window             |
 * | audit_unavailable                 | (none)               | max (1 = audit gate closed or a failed commit in the window) |
 * | outbox_dead_messages              | target               | max (read from the shared store)             |
 * | outbox_oldest_pending_age_seconds | target               | max                                          |
 * | credential_expires_in_seconds     | connector            | min (seconds until the active version expires; absent when none within 30 days) |
 * | rate_limit_fallback               | (none)               | sum of local-fallback decisions over the window |
 * | cache_stale_serves                | connector, operation | sum of increases over the window             |
 * | payment_anomalies                 | kind                 | sum of increases over the window (late failure after paid, paid after closed, ...) |
 * | payment_ipn_unauthentic           | verdict              | sum of IPNs refused as refused_checksum or refused_partner over the window |
 */
/** One list of names: the type, the rule schema's enum (schemas.ts), and the signal catalog's keys (each one required). */
export const signalNames = [
  'probe_up',
  'breaker_open',
  'error_ratio',
  'latency_p95_seconds',
  'contract_violations',
  'upstream_rejections',
  'audit_unavailable',
  'outbox_dead_messages',
  'outbox_oldest_pending_age_seconds',
  'credential_expires_in_seconds',
  'rate_limit_fallback',
  'cache_stale_serves',
  'payment_anomalies',
  'payment_ipn_unauthentic',
] as const;
export type SignalName = (typeof signalNames)[number];

export type Labels = Readonly<Record<string, string>>;

/**
 * One replica's reading of one series. Exactly one of the component groups is
 * set, by the signal's kind: `value` (gauges and increases), `num`/`den`
 * (ratios: errors and requests in the window), `buckets` (histogram counts
 * per upper bound observed in the window, cumulative like Prometheus `le`).
 */
export interface SignalSample {
  signal: SignalName;
  labels: Labels;
  /** Windowed signals: the window (seconds) the components cover; 0 for instant readings. */
  windowSeconds: number;
  value?: number;
  num?: number;
  den?: number;
  buckets?: ReadonlyArray<readonly [upperBound: number, cumulativeCount: number]>;
}

/** A merged series as the leader evaluates it: every fresh replica's samples combined. */
export interface SignalSeries {
  signal: SignalName;
  labels: Labels;
  windowSeconds: number;
  value: number;
  /** Ratios and histograms: the observations behind the value (requests in the window), for a rule's minSamples. */
  observations?: number;
}

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** An alert rule: its JSON Schema is alertRuleSchema (schemas.ts); rules/rule-validation.ts adds what a schema cannot say, for the admin API and, at start, the config file (config-check.ts). */
export interface AlertRule {
  /** Stable id, also the alert's `alertname` label: `population.probe-down`, `audit-unavailable`. */
  id: string;
  signal: SignalName;
  /** Label equality the series must have (e.g. { connector: 'land' }); absent: every series of the signal. */
  matchers?: Labels;
  op: ComparisonOperator;
  threshold: number;
  /** Windowed signals only (error_ratio, latency_p95_seconds, the increases): default 300. */
  windowSeconds?: number;
  /** Ratios and histograms: fewer observations than this in the window is no evidence (default 10). */
  minSamples?: number;
  /** How long the condition must hold before the alert fires (0: at once). */
  forSeconds: number;
  severity: Severity;
  /** Added to the alert's labels (a team, a site...). */
  labels?: Labels;
  /** Notice texts; `{connector}`, `{operation}`, `{target}`, `{reason}` and `{value}` are replaced. */
  summary: { vi: string; en: string };
  /** What to do first: a sentence or a link to the runbook. */
  runbook?: string;
  /** false: kept but not evaluated. Default true. */
  enabled?: boolean;
}

/** Where an effective rule comes from: shipped defaults < config file < admin (stored) by id. */
export type RuleSource = 'default' | 'config' | 'admin';

export interface EffectiveRule {
  rule: AlertRule;
  source: RuleSource;
}

/** One series for which a rule's condition holds right now. */
export interface ActiveCondition {
  ruleId: string;
  /** Stable id of the alert instance: hash of the rule id and its labels. */
  fingerprint: string;
  /** alertname, severity, scope and the series' labels, plus the rule's labels. */
  labels: Labels;
  severity: Severity;
  value: number;
  /** Rendered from the rule's summary with this series' labels. */
  summary: { vi: string; en: string };
  runbook?: string;
  forSeconds: number;
}

/** Alertmanager-style label matcher (regular expressions are anchored, like Alertmanager's). */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface InhibitRule {
  /** Alerts that mute others while firing (acknowledged counts as firing). */
  sourceMatchers: Matcher[];
  /** Alerts that are muted. */
  targetMatchers: Matcher[];
  /** Labels that must be equal on both (e.g. connector). */
  equal: string[];
}

export type AlertState = 'pending' | 'firing' | 'acknowledged' | 'resolved';

export interface AlertView {
  id: string;
  fingerprint: string;
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
  /** Absent when the condition cleared by itself. */
  resolvedBy?: string;
  resolution?: 'cleared' | 'manual' | 'rule_removed';
  resolutionNote?: string;
  timeToAcknowledgeSeconds?: number;
  timeToResolveSeconds?: number;
  /** Computed now: ids of the silences muting it, and whether an inhibiting alert mutes it. */
  silencedBy?: string[];
  inhibited?: boolean;
}

/** One entry of an alert's history (also what the live feed streams). */
export interface AlertEvent {
  /** Increasing id: the SSE event id (Last-Event-ID resumes after it). */
  id: number;
  alertId: string | null;
  silenceId: string | null;
  kind: 'pending' | 'firing' | 'acknowledged' | 'resolved' | 'notified' | 'silence_created' | 'silence_expired';
  at: string;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

export interface SilenceView {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  createdAt: string;
  reason: string;
  /** Set when expired by hand before endsAt. */
  expiredAt?: string;
  expiredBy?: string;
  state: 'pending' | 'active' | 'expired';
}

export type ReceiverKind = 'email' | 'webhook' | 'telegram';

/** Which alerts reach a receiver and how they are grouped (Alertmanager's route, one per receiver). */
export interface ReceiverRoute {
  /** Absent: every severity. */
  severities?: Severity[];
  /** All must match; absent: every alert. */
  matchers?: Matcher[];
  /** Absent: alerting.grouping.groupBy. */
  groupBy?: string[];
  groupWaitSeconds?: number;
  groupIntervalSeconds?: number;
  repeatIntervalSeconds?: number;
}

/**
 * A receiver without its secrets. Settings by kind:
 * email { to: string[] } · webhook { url } · telegram { chatId, baseUrl? }.
 * Secrets (webhook `secret`, telegram `botToken`) live in the credential vault
 * under the owner id `alert-receiver:<id>`, or, for receivers of the config
 * file, in `{ fromEnv }` / `{ fromFile }` references.
 */
export interface ReceiverView {
  id: string;
  kind: ReceiverKind;
  settings: Record<string, unknown>;
  route: ReceiverRoute;
  enabled: boolean;
  source: 'config' | 'admin';
  /** Names of the secret fields set (never their values). */
  secretsSet: string[];
  updatedAt?: string;
  updatedBy?: string;
}

export type Resolved = { vi: string; en: string };

/**
 * What one notification says, as stored in the notification log and carried
 * in the outbox payload: rendered per channel at delivery, never holding
 * personal data.
 */
export interface Notice {
  notificationId: string;
  receiverId: string;
  groupKey: string;
  groupLabels: Labels;
  /** firing: new alerts; resolved: only resolutions; mixed: both; repeat: still firing, not acknowledged. */
  kind: 'firing' | 'resolved' | 'mixed' | 'repeat';
  createdAt: string;
  firing: NoticeAlert[];
  resolved: NoticeAlert[];
}

export interface NoticeAlert {
  alertId: string;
  ruleId: string;
  severity: Severity;
  labels: Labels;
  summary: { vi: string; en: string };
  runbook?: string;
  firedAt?: string;
  resolvedAt?: string;
  /** True when the alert was silenced at resolution (the resolved notice is sent anyway). */
  silenced?: boolean;
  acknowledgedBy?: string;
}

/** The outbox targets that deliver notices, one per channel kind; the message key is the receiver id. */
export const noticeTargets: Readonly<Record<ReceiverKind, string>> = {
  email: 'alerts.email',
  webhook: 'alerts.webhook',
  telegram: 'alerts.telegram',
};
