import type { Notice, NoticeAlert, Severity } from '../types.js';

/**
 * A notice as plain text, Vietnamese first then English, for e-mail and
 * Telegram (the webhook sends the Notice itself). Only what a Notice is made
 * of is shown, and of the labels only those that name a place in the
 * gateway (connector, operation, target, reason): a rule's extra labels are
 * routing data, not part of the message.
 */
export interface RenderedNotice {
  subject: string;
  text: string;
}

export interface RenderOptions {
  /** Linked at the end (the console's alert list). */
  consoleUrl?: string;
  /** Longest text (UTF-16 code units, as Telegram counts); cut at a line, never inside a character. */
  maxLength?: number;
}

const severityWords: Record<Severity, { vi: string; en: string }> = {
  critical: { vi: 'NGHIÊM TRỌNG', en: 'CRITICAL' },
  warning: { vi: 'CẢNH BÁO', en: 'WARNING' },
  info: { vi: 'THÔNG TIN', en: 'INFO' },
};
const severityRank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const shownLabels = ['connector', 'operation', 'target', 'reason'] as const;
/** Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset needs no time-zone data. */
const vietnamOffsetMs = 7 * 3_600_000;

export function renderNotice(notice: Notice, options: RenderOptions = {}): RenderedNotice {
  const subject = normalize(subjectOf(notice));
  const body = normalize([...section(notice, 'vi'), '', '———', '', ...section(notice, 'en')].join('\n'));
  const footer = options.consoleUrl ? normalize(`\n\nBảng điều khiển / Console: ${options.consoleUrl}`) : '';
  const text = body + footer;
  if (options.maxLength === undefined || text.length <= options.maxLength) return { subject, text };
  return { subject, text: truncate(body, footer, options.maxLength) };
}

function subjectOf(notice: Notice): string {
  const group = groupName(notice);
  const where = group ? ` · ${group}` : '';
  const firing = notice.firing.length;
  const resolved = notice.resolved.length;
  if (firing === 0) {
    return `[LGSP] ĐÃ KHẮC PHỤC${where}: ${resolved} cảnh báo đã hết / RESOLVED · ${resolved} resolved`;
  }
  const severity = severityWords[highestSeverity(notice.firing)];
  const vi = notice.kind === 'repeat' ? `${firing} cảnh báo vẫn đang kích hoạt` : `${firing} cảnh báo đang kích hoạt`;
  const en = notice.kind === 'repeat' ? `${firing} still firing` : `${firing} firing`;
  const viResolved = resolved > 0 ? `, ${resolved} đã khắc phục` : '';
  const enResolved = resolved > 0 ? `, ${resolved} resolved` : '';
  return `[LGSP] ${severity.vi}${where}: ${vi}${viResolved} / ${severity.en} · ${en}${enResolved}`;
}

function groupName(notice: Notice): string {
  return Object.values(notice.groupLabels).filter((value) => value !== '').join(', ');
}

function highestSeverity(alerts: readonly NoticeAlert[]): Severity {
  return alerts.reduce<Severity>((highest, alert) => (severityRank[alert.severity] < severityRank[highest] ? alert.severity : highest), 'info');
}

const words = {
  vi: {
    title: 'LGSP — thông báo cảnh báo vận hành',
    kind: { firing: 'cảnh báo mới', resolved: 'đã khắc phục', mixed: 'cảnh báo mới và đã khắc phục', repeat: 'nhắc lại: chưa ai xác nhận' },
    kindLabel: 'Loại',
    group: 'Nhóm',
    firing: 'ĐANG KÍCH HOẠT',
    resolved: 'ĐÃ KHẮC PHỤC',
    rule: 'Quy tắc',
    labels: 'Vị trí',
    since: 'Từ lúc',
    resolvedAt: 'Khắc phục lúc',
    runbook: 'Hướng xử lý',
    acknowledged: 'Đã xác nhận bởi',
    silenced: 'Đang bị tắt tiếng (vẫn gửi thông báo khắc phục)',
  },
  en: {
    title: 'LGSP — operations alert notice',
    kind: { firing: 'new alerts', resolved: 'resolved', mixed: 'new and resolved alerts', repeat: 'reminder: not acknowledged yet' },
    kindLabel: 'Kind',
    group: 'Group',
    firing: 'FIRING',
    resolved: 'RESOLVED',
    rule: 'Rule',
    labels: 'Where',
    since: 'Since',
    resolvedAt: 'Resolved at',
    runbook: 'Runbook',
    acknowledged: 'Acknowledged by',
    silenced: 'Silenced (the resolved notice is sent anyway)',
  },
} as const;

function section(notice: Notice, language: 'vi' | 'en'): string[] {
  const w = words[language];
  const lines = [w.title, `${w.kindLabel}: ${w.kind[notice.kind]}`];
  const group = Object.entries(notice.groupLabels).map(([name, value]) => `${name}=${value || '—'}`).join(', ');
  if (group) lines.push(`${w.group}: ${group}`);
  if (notice.firing.length > 0) {
    lines.push('', `${w.firing} (${notice.firing.length})`);
    notice.firing.forEach((alert, index) => lines.push(...alertLines(alert, index, language, 'firing')));
  }
  if (notice.resolved.length > 0) {
    lines.push('', `${w.resolved} (${notice.resolved.length})`);
    notice.resolved.forEach((alert, index) => lines.push(...alertLines(alert, index, language, 'resolved')));
  }
  return lines;
}

function alertLines(alert: NoticeAlert, index: number, language: 'vi' | 'en', list: 'firing' | 'resolved'): string[] {
  const w = words[language];
  const lines = [`${index + 1}. [${severityWords[alert.severity][language]}] ${oneLine(alert.summary[language])}`, `   ${w.rule}: ${alert.ruleId}`];
  const where = shownLabels.filter((name) => alert.labels[name]).map((name) => `${name}=${oneLine(alert.labels[name]!)}`);
  if (where.length > 0) lines.push(`   ${w.labels}: ${where.join(', ')}`);
  if (alert.firedAt) lines.push(`   ${w.since}: ${formatTime(alert.firedAt)}`);
  if (list === 'resolved' && alert.resolvedAt) lines.push(`   ${w.resolvedAt}: ${formatTime(alert.resolvedAt)}`);
  if (alert.runbook) lines.push(`   ${w.runbook}: ${oneLine(alert.runbook)}`);
  if (alert.acknowledgedBy) lines.push(`   ${w.acknowledged}: ${oneLine(alert.acknowledgedBy)}`);
  if (list === 'resolved' && alert.silenced) lines.push(`   ${w.silenced}`);
  return lines;
}

/** `2026-03-01 15:00:00 (UTC+7)`: the operators' clock, unambiguous to anyone else. */
function formatTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  return `${new Date(at + vietnamOffsetMs).toISOString().slice(0, 19).replace('T', ' ')} (UTC+7)`;
}

/** A value cannot add lines of its own (a summary with a newline would look like another alert). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

/** Precomposed Vietnamese: the same letters whatever the rule's author typed, and a length that counts what shows. */
function normalize(text: string): string {
  return text.normalize('NFC');
}

const truncationNote = '\n… (đã rút gọn / truncated)';

/** Keeps the head of the body (at a line end when one is near), then the note and the footer, within maxLength. */
function truncate(body: string, footer: string, maxLength: number): string {
  const tail = truncationNote + footer;
  const room = maxLength - tail.length;
  if (room <= 0) return cutGraphemes(truncationNote.trimStart() + footer, maxLength);
  let head = cutGraphemes(body, room);
  const lineEnd = head.lastIndexOf('\n');
  if (lineEnd > room / 2) head = head.slice(0, lineEnd);
  return head.trimEnd() + tail;
}

const segmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** The longest prefix of whole characters (a base letter with its marks, a surrogate pair) within `limit` code units. */
function cutGraphemes(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    if (index + segment.length > limit) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
