import { badge } from '../../components.js';
import { currentLanguage, defineMessages, formatDuration } from '../../i18n.js';
import type { AlertState, AlertView, Matcher, MatcherOp, Severity, SilenceState } from './alert-model.js';

/** Names of severities, states and matcher operators, shared by the overview and the alerts pages. */
const t = defineMessages({
  vi: {
    'severity.critical': 'Nghiêm trọng',
    'severity.warning': 'Cảnh báo',
    'severity.info': 'Thông tin',
    'state.pending': 'Đang chờ',
    'state.firing': 'Đang phát',
    'state.acknowledged': 'Đã tiếp nhận',
    'state.resolved': 'Đã khắc phục',
    'state.open': 'Chưa khắc phục',
    'silence.pending': 'Chưa bắt đầu',
    'silence.active': 'Đang hiệu lực',
    'silence.expired': 'Đã kết thúc',
    'op.=': 'bằng',
    'op.!=': 'khác',
    'op.=~': 'khớp biểu thức',
    'op.!~': 'không khớp biểu thức',
    silenced: 'Đang tạm tắt thông báo',
    inhibited: 'Bị cảnh báo khác che',
    ago: '{duration} trước',
  },
  en: {
    'severity.critical': 'Critical',
    'severity.warning': 'Warning',
    'severity.info': 'Info',
    'state.pending': 'Pending',
    'state.firing': 'Firing',
    'state.acknowledged': 'Acknowledged',
    'state.resolved': 'Resolved',
    'state.open': 'Not resolved',
    'silence.pending': 'Not started',
    'silence.active': 'Active',
    'silence.expired': 'Ended',
    'op.=': 'equals',
    'op.!=': 'differs from',
    'op.=~': 'matches pattern',
    'op.!~': 'does not match pattern',
    silenced: 'Notices silenced',
    inhibited: 'Muted by another alert',
    ago: '{duration} ago',
  },
});

export function severityName(severity: Severity): string {
  return t(`severity.${severity}`);
}

export function stateName(state: AlertState | 'open'): string {
  return t(`state.${state}`);
}

export function silenceStateName(state: SilenceState): string {
  return t(`silence.${state}`);
}

export function matcherOpName(op: MatcherOp): string {
  return t(`op.${op}`);
}

export function severityBadge(severity: Severity): HTMLElement {
  return badge(severity === 'critical' ? 'bad' : severity === 'warning' ? 'warn' : 'info', severityName(severity));
}

export function stateBadge(state: AlertState): HTMLElement {
  const kind = state === 'firing' ? 'bad' : state === 'acknowledged' ? 'warn' : state === 'resolved' ? 'ok' : 'info';
  return badge(kind, stateName(state));
}

export function silenceStateBadge(state: SilenceState): HTMLElement {
  return badge(state === 'active' ? 'warn' : state === 'pending' ? 'info' : 'off', silenceStateName(state));
}

/** Silenced / inhibited markers of an open alert (none for a resolved one). */
export function muteBadges(alert: AlertView): HTMLElement[] {
  const marks: HTMLElement[] = [];
  if (alert.silencedBy && alert.silencedBy.length > 0) marks.push(badge('off', t('silenced')));
  if (alert.inhibited) marks.push(badge('off', t('inhibited')));
  return marks;
}

/** The rule's summary in the console's language (the server renders both). */
export function summaryOf(alert: Pick<AlertView, 'summary'>): string {
  return alert.summary[currentLanguage()] || alert.summary.vi;
}

/** When the alert began asking for attention: fired, or started for a pending one. */
export function sinceOf(alert: AlertView): string {
  return alert.firedAt ?? alert.startedAt;
}

/** "12 s ago", to the second at best (the page refreshes every few seconds; milliseconds would only flicker). */
export function agoText(iso: string, now = Date.now()): string {
  const seconds = Math.max(1, Math.round((now - Date.parse(iso)) / 1000));
  return t('ago', { duration: formatDuration(seconds * 1000) });
}

export function alertPath(id: string): string {
  return `/console/alerts/${encodeURIComponent(id)}`;
}

export function matcherText(matcher: Matcher): string {
  return `${matcher.name}${matcher.op}"${matcher.value}"`;
}

