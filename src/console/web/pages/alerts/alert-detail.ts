import { api, ApiError } from '../../api.js';
import { button, consoleLink, dataTable, loading, pageHeader, problemNotice } from '../../components.js';
import { h, replaceChildren, withAttributes, type Child } from '../../dom.js';
import { defineMessages, formatDateTime, formatDuration, formatNumber } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { acknowledgeAlert } from './acknowledge-dialog.js';
import type { AlertDetail, AlertEvent } from './alert-model.js';
import { muteBadges, severityBadge, stateBadge, summaryOf } from './alert-format.js';
import { watchAlerts } from './alert-stream.js';
import { alertsNav } from './alerts-nav.js';
import { liveIndicator } from './live-indicator.js';
import { createSilence, matchersFromLabels } from './silence-dialog.js';

const t = defineMessages({
  vi: {
    title: 'Chi tiết cảnh báo',
    notFound: 'Không có cảnh báo này (mã không đúng, hoặc đã bị xoá theo thời hạn lưu lịch sử).',
    acknowledge: 'Tiếp nhận',
    silence: 'Tạm tắt thông báo',
    back: 'Về danh sách cảnh báo',
    status: 'Tình trạng',
    rule: 'Quy tắc',
    severity: 'Mức độ',
    state: 'Trạng thái',
    value: 'Giá trị đo',
    startedAt: 'Bắt đầu',
    firedAt: 'Phát cảnh báo lúc',
    acknowledgedAt: 'Tiếp nhận lúc',
    acknowledgedBy: 'Người tiếp nhận',
    acknowledgementNote: 'Ghi chú tiếp nhận',
    resolvedAt: 'Khắc phục lúc',
    resolvedBy: 'Người đóng',
    resolution: 'Cách kết thúc',
    resolutionNote: 'Ghi chú khi đóng',
    timeToAcknowledge: 'Thời gian đến khi tiếp nhận',
    timeToResolve: 'Thời gian đến khi khắc phục',
    silencedBy: 'Lệnh tạm tắt đang áp dụng',
    'resolution.cleared': 'Tự hết (điều kiện không còn đúng)',
    'resolution.manual': 'Đóng thủ công',
    'resolution.rule_removed': 'Quy tắc đã bị gỡ',
    labels: 'Nhãn',
    labelsCaption: 'Nhãn của cảnh báo',
    labelName: 'Tên',
    labelValue: 'Giá trị',
    runbook: 'Hướng dẫn xử lý',
    events: 'Diễn biến',
    eventsCaption: 'Diễn biến của cảnh báo, cũ nhất trước',
    noEvents: 'Chưa có diễn biến nào.',
    eventAt: 'Thời điểm',
    eventKind: 'Sự kiện',
    eventActor: 'Người thực hiện',
    eventDetail: 'Chi tiết',
    system: 'hệ thống',
    'kind.pending': 'Điều kiện bắt đầu đúng (đang chờ)',
    'kind.firing': 'Phát cảnh báo',
    'kind.acknowledged': 'Tiếp nhận',
    'kind.resolved': 'Khắc phục',
    'kind.notified': 'Gửi thông báo',
    'kind.silence_created': 'Tạo lệnh tạm tắt',
    'kind.silence_expired': 'Kết thúc lệnh tạm tắt',
    detailValue: 'Giá trị: {value}',
    detailNote: 'Ghi chú: {note}',
    detailReceiver: 'Tới {receiver} ({kind})',
    notifications: 'Thông báo đã gửi',
    notificationsCaption: 'Thông báo về cảnh báo này, mới nhất trước',
    noNotifications: 'Chưa gửi thông báo nào (chưa có nơi nhận phù hợp, đang gom nhóm, hoặc đang tạm tắt).',
    sentAt: 'Lúc',
    receiver: 'Nơi nhận',
    noticeKind: 'Loại',
    delivery: 'Gửi đi',
    attempts: 'Số lần thử',
  },
  en: {
    title: 'Alert detail',
    notFound: 'There is no such alert (a wrong id, or removed when its history expired).',
    acknowledge: 'Acknowledge',
    silence: 'Silence notices',
    back: 'Back to the alert list',
    status: 'Status',
    rule: 'Rule',
    severity: 'Severity',
    state: 'State',
    value: 'Measured value',
    startedAt: 'Started',
    firedAt: 'Fired at',
    acknowledgedAt: 'Acknowledged at',
    acknowledgedBy: 'Acknowledged by',
    acknowledgementNote: 'Acknowledgement note',
    resolvedAt: 'Resolved at',
    resolvedBy: 'Closed by',
    resolution: 'How it ended',
    resolutionNote: 'Closing note',
    timeToAcknowledge: 'Time to acknowledge',
    timeToResolve: 'Time to resolve',
    silencedBy: 'Silences applying',
    'resolution.cleared': 'Cleared by itself (the condition no longer holds)',
    'resolution.manual': 'Closed by hand',
    'resolution.rule_removed': 'The rule was removed',
    labels: 'Labels',
    labelsCaption: 'The alert’s labels',
    labelName: 'Name',
    labelValue: 'Value',
    runbook: 'What to do',
    events: 'History',
    eventsCaption: 'What happened to the alert, oldest first',
    noEvents: 'Nothing has happened yet.',
    eventAt: 'Time',
    eventKind: 'Event',
    eventActor: 'By',
    eventDetail: 'Detail',
    system: 'system',
    'kind.pending': 'Condition started to hold (pending)',
    'kind.firing': 'Fired',
    'kind.acknowledged': 'Acknowledged',
    'kind.resolved': 'Resolved',
    'kind.notified': 'Notice sent',
    'kind.silence_created': 'Silence created',
    'kind.silence_expired': 'Silence ended',
    detailValue: 'Value: {value}',
    detailNote: 'Note: {note}',
    detailReceiver: 'To {receiver} ({kind})',
    notifications: 'Notices sent',
    notificationsCaption: 'Notices about this alert, newest first',
    noNotifications: 'No notice sent yet (no matching receiver, being grouped, or silenced).',
    sentAt: 'At',
    receiver: 'Receiver',
    noticeKind: 'Kind',
    delivery: 'Delivery',
    attempts: 'Attempts',
  },
});

const responders = ['lgsp-admin', 'lgsp-operator'] as const;

/** /console/alerts/<id>: the alert, its labels, history and notices; acknowledge and silence for responders. Live. */
export async function renderAlertDetail(root: HTMLElement, context: PageContext, id: string): Promise<void> {
  const live = liveIndicator();
  const header = h('div');
  const body = h('div', { class: 'alert-detail' }, loading());
  root.append(header, alertsNav(context, 'detail'), body);

  let shown = '';
  const load = async () => {
    try {
      const alert = await api.get<AlertDetail>(`/alerts/${encodeURIComponent(id)}`, undefined, context.signal);
      // Re-rendering moves the keyboard focus: only when something changed.
      const text = JSON.stringify(alert);
      if (text === shown) return;
      shown = text;
      replaceChildren(header, pageHeader(summaryOf(alert), t('title'), live.element, ...actions(alert, context, load)));
      replaceChildren(body, ...details(alert, context));
    } catch (error) {
      if (context.signal.aborted) return;
      if (!shown) replaceChildren(header, pageHeader(t('title')));
      replaceChildren(body, error instanceof ApiError && error.code === 'LGSP_NOT_FOUND' ? h('p', { class: 'notice notice-warning', role: 'alert' }, t('notFound')) : problemNotice(error));
    }
  };
  await load();
  watchAlerts({
    signal: context.signal,
    // Events of this alert, silences (they change what mutes it), or a reconnect (empty: read again).
    onChange: (events) => {
      if (events.length === 0 || events.some((event) => event.alertId === id || event.silenceId !== null)) void load();
    },
    onLiveChange: live.set,
  });
}

function actions(alert: AlertDetail, context: PageContext, reload: () => Promise<void>): Child[] {
  const items: Child[] = [withAttributes(consoleLink(context.navigate, '/console/alerts', t('back')), { class: 'button button-secondary' })];
  if (!context.can(...responders)) return items;
  if (alert.state === 'firing') {
    items.push(
      button(t('acknowledge'), () => void acknowledgeAlert(alert).then((done) => done && reload()), { kind: 'primary' }),
    );
  }
  // Also from a resolved alert: one that keeps coming back is what an operator silences.
  items.push(button(t('silence'), () => void createSilence(matchersFromLabels(alert.labels)).then((done) => done && reload())));
  return items;
}

function details(alert: AlertDetail, context: PageContext): Child[] {
  const row = (label: string, value: Child) => [h('dt', null, label), h('dd', null, value)];
  const seconds = (value: number | undefined) => (value === undefined ? undefined : formatDuration(value * 1000));
  const optional = (label: string, value: Child | undefined) => (value === undefined || value === null || value === '' ? [] : row(label, value));
  return [
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'alert-status' },
      h('h2', { id: 'alert-status' }, t('status')),
      h(
        'dl',
        { class: 'facts' },
        ...row(t('state'), h('span', { class: 'badges' }, stateBadge(alert.state), ...muteBadges(alert))),
        ...row(t('severity'), severityBadge(alert.severity)),
        ...row(t('rule'), h('code', null, alert.ruleId)),
        ...optional(t('value'), alert.value === null ? undefined : formatNumber(alert.value, { maximumFractionDigits: 4 })),
        ...row(t('startedAt'), formatDateTime(alert.startedAt)),
        ...optional(t('firedAt'), alert.firedAt && formatDateTime(alert.firedAt)),
        ...optional(t('acknowledgedAt'), alert.acknowledgedAt && formatDateTime(alert.acknowledgedAt)),
        ...optional(t('acknowledgedBy'), alert.acknowledgedBy),
        ...optional(t('acknowledgementNote'), alert.acknowledgementNote),
        ...optional(t('timeToAcknowledge'), seconds(alert.timeToAcknowledgeSeconds)),
        ...optional(t('resolvedAt'), alert.resolvedAt && formatDateTime(alert.resolvedAt)),
        ...optional(t('resolvedBy'), alert.resolvedBy),
        ...optional(t('resolution'), alert.resolution && t(`resolution.${alert.resolution}`)),
        ...optional(t('resolutionNote'), alert.resolutionNote),
        ...optional(t('timeToResolve'), seconds(alert.timeToResolveSeconds)),
        ...optional(
          t('silencedBy'),
          alert.silencedBy && alert.silencedBy.length > 0 ? h('ul', { class: 'plain-list' }, ...alert.silencedBy.map((silenceId) => h('li', null, consoleLink(context.navigate, '/console/alerts/silences', silenceId)))) : undefined,
        ),
      ),
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'alert-labels' },
      h('h2', { id: 'alert-labels' }, t('labels')),
      dataTable(t('labelsCaption'), [{ label: t('labelName'), cell: ([name]) => h('code', null, name) }, { label: t('labelValue'), cell: ([, value]) => h('code', null, value) }], Object.entries(alert.labels), { captionHidden: true }),
    ),
    alert.runbook ? h('section', { class: 'section', 'aria-labelledby': 'alert-runbook' }, h('h2', { id: 'alert-runbook' }, t('runbook')), h('p', { class: 'runbook' }, alert.runbook)) : null,
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'alert-events' },
      h('h2', { id: 'alert-events' }, t('events')),
      dataTable(
        t('eventsCaption'),
        [
          { label: t('eventAt'), cell: (event) => formatDateTime(event.at) },
          { label: t('eventKind'), cell: (event) => t(`kind.${event.kind}`) },
          { label: t('eventActor'), cell: (event) => event.actor ?? t('system') },
          { label: t('eventDetail'), cell: (event) => eventDetail(event) },
        ],
        alert.events,
        { captionHidden: true, empty: t('noEvents') },
      ),
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'alert-notifications' },
      h('h2', { id: 'alert-notifications' }, t('notifications')),
      dataTable(
        t('notificationsCaption'),
        [
          { label: t('sentAt'), cell: (notice) => formatDateTime(notice.createdAt) },
          { label: t('receiver'), cell: (notice) => h('code', null, notice.receiverId) },
          { label: t('noticeKind'), cell: (notice) => notice.kind },
          { label: t('delivery'), cell: (notice) => [notice.delivery.state, notice.delivery.deliveredAt ? ` (${formatDateTime(notice.delivery.deliveredAt)})` : ''] },
          { label: t('attempts'), cell: (notice) => formatNumber(notice.delivery.attempts), numeric: true },
        ],
        alert.notifications,
        { captionHidden: true, empty: t('noNotifications') },
      ),
    ),
  ];
}

/** What an event's detail says, in words (values, notes, receivers); other keys are left out. */
function eventDetail(event: AlertEvent): string {
  const detail = event.detail ?? {};
  const parts: string[] = [];
  if (typeof detail.value === 'number') parts.push(t('detailValue', { value: formatNumber(detail.value, { maximumFractionDigits: 4 }) }));
  if (typeof detail.resolution === 'string' && ['cleared', 'manual', 'rule_removed'].includes(detail.resolution)) parts.push(t(`resolution.${detail.resolution as 'cleared' | 'manual' | 'rule_removed'}`));
  if (typeof detail.note === 'string') parts.push(t('detailNote', { note: detail.note }));
  if (typeof detail.receiverId === 'string') parts.push(t('detailReceiver', { receiver: detail.receiverId, kind: String(detail.kind ?? '') }));
  return parts.join(' · ') || '—';
}
