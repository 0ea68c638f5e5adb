import { api } from '../../api.js';
import { button, consoleLink, dataTable, notice, problemNotice } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { defineMessages, formatDateTime, formatNumber } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { acknowledgeAlert } from '../alerts/acknowledge-dialog.js';
import type { AlertPage, AlertView, Severity } from '../alerts/alert-model.js';
import { agoText, alertPath, muteBadges, severityBadge, sinceOf, stateBadge, summaryOf } from '../alerts/alert-format.js';
import { watchAlerts } from '../alerts/alert-stream.js';
import { liveIndicator } from '../alerts/live-indicator.js';
import { every } from '../alerts/page-timer.js';

const t = defineMessages({
  vi: {
    heading: 'Cảnh báo đang phát',
    headingCount: 'Cảnh báo đang phát ({count})',
    none: 'Không có cảnh báo nào đang phát.',
    caption: 'Cảnh báo đang phát, nghiêm trọng nhất trước',
    colSeverity: 'Mức độ',
    colAlert: 'Cảnh báo',
    colConnector: 'Kết nối',
    colSince: 'Từ lúc',
    colState: 'Trạng thái',
    colActions: 'Thao tác',
    acknowledge: 'Tiếp nhận',
    acknowledgeLabel: 'Tiếp nhận: {summary}',
    acknowledgedBy: 'Tiếp nhận bởi {who}',
    note: 'Ghi chú: {note}',
    resolvedHeading: 'Đã khắc phục trong một giờ qua',
    resolvedCaption: 'Cảnh báo đã khắc phục trong một giờ qua, mới nhất trước',
    colResolvedAt: 'Khắc phục lúc',
    allAlerts: 'Xem mọi cảnh báo',
  },
  en: {
    heading: 'Firing alerts',
    headingCount: 'Firing alerts ({count})',
    none: 'No alert is firing.',
    caption: 'Firing alerts, most severe first',
    colSeverity: 'Severity',
    colAlert: 'Alert',
    colConnector: 'Connector',
    colSince: 'Since',
    colState: 'State',
    colActions: 'Actions',
    acknowledge: 'Acknowledge',
    acknowledgeLabel: 'Acknowledge: {summary}',
    acknowledgedBy: 'Acknowledged by {who}',
    note: 'Note: {note}',
    resolvedHeading: 'Resolved in the last hour',
    resolvedCaption: 'Alerts resolved in the last hour, newest first',
    colResolvedAt: 'Resolved at',
    allAlerts: 'See every alert',
  },
});

const severityOrder: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const recentMs = 60 * 60_000;
/** The stream brings every change at once; this only catches what a broken stream would miss. */
const safetyRefreshMs = 60_000;

/**
 * The overview's top: alerts firing now (and acknowledged ones, still
 * firing), kept live over the alert stream, with the ones resolved in the
 * last hour below so a resolution is seen, not just a row gone.
 */
export function firingAlerts(context: PageContext): HTMLElement {
  const live = liveIndicator();
  const heading = h('h2', { id: 'firing-heading' }, t('heading'));
  const firing = h('div', { class: 'firing-alerts' });
  const resolved = h('div', { class: 'resolved-alerts' });
  const section = h(
    'section',
    { class: 'section alerts-now', 'aria-labelledby': 'firing-heading' },
    h('div', { class: 'section-head' }, heading, live.element),
    firing,
    resolved,
    h('p', null, consoleLink(context.navigate, '/console/alerts?state=all', t('allAlerts'))),
  );

  const load = async () => {
    try {
      const [open, closed] = await Promise.all([
        api.get<AlertPage>('/alerts', { state: 'open', limit: 200 }, context.signal),
        api.get<AlertPage>('/alerts', { state: 'resolved', limit: 50 }, context.signal),
      ]);
      // Pending alerts have not fired yet (their `for` is running): not shown as firing.
      const now = open.items
        .filter((alert) => alert.state === 'firing' || alert.state === 'acknowledged')
        .sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || Date.parse(sinceOf(b)) - Date.parse(sinceOf(a)));
      const recent = closed.items.filter((alert) => alert.resolvedAt && Date.now() - Date.parse(alert.resolvedAt) < recentMs).sort((a, b) => Date.parse(b.resolvedAt!) - Date.parse(a.resolvedAt!)).slice(0, 5);
      heading.textContent = now.length > 0 ? t('headingCount', { count: formatNumber(now.length) }) : t('heading');
      replaceChildren(firing, now.length > 0 ? firingTable(now, context, load) : notice('success', t('none')));
      replaceChildren(resolved, recent.length > 0 ? [h('h3', null, t('resolvedHeading')), resolvedTable(recent, context)] : null);
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(firing, problemNotice(error));
    }
  };
  void load();
  watchAlerts({ signal: context.signal, onChange: () => void load(), onLiveChange: live.set });
  every(safetyRefreshMs, context.signal, load);
  return section;
}

function firingTable(alerts: readonly AlertView[], context: PageContext, reload: () => Promise<void>): HTMLElement {
  const mayAcknowledge = context.can('lgsp-admin', 'lgsp-operator');
  return dataTable(
    t('caption'),
    [
      { label: t('colSeverity'), cell: (alert) => severityBadge(alert.severity) },
      { label: t('colAlert'), cell: (alert) => consoleLink(context.navigate, alertPath(alert.id), summaryOf(alert)) },
      { label: t('colConnector'), cell: (alert) => alert.labels.connector ?? alert.labels.target ?? '—' },
      { label: t('colSince'), cell: (alert) => [formatDateTime(sinceOf(alert)), h('br'), h('span', { class: 'muted' }, agoText(sinceOf(alert)))] },
      {
        label: t('colState'),
        cell: (alert) => [
          h('span', { class: 'badges' }, stateBadge(alert.state), ...muteBadges(alert)),
          alert.acknowledgedBy ? h('div', { class: 'muted' }, t('acknowledgedBy', { who: alert.acknowledgedBy })) : null,
          alert.acknowledgementNote ? h('div', { class: 'ack-note' }, t('note', { note: alert.acknowledgementNote })) : null,
        ],
      },
      ...(mayAcknowledge
        ? [
            {
              label: t('colActions'),
              cell: (alert: AlertView) =>
                alert.state === 'firing' ? acknowledgeButton(alert, reload) : null,
            },
          ]
        : []),
    ],
    alerts,
  );
}

/** One per row: its name says which alert (the visible word alone would repeat down the table). */
function acknowledgeButton(alert: AlertView, reload: () => Promise<void>): HTMLButtonElement {
  const element = button(t('acknowledge'), () => void acknowledgeAlert(alert).then((done) => done && reload()), { kind: 'primary' });
  element.setAttribute('aria-label', t('acknowledgeLabel', { summary: summaryOf(alert) }));
  return element;
}

function resolvedTable(alerts: readonly AlertView[], context: PageContext): HTMLElement {
  return dataTable(
    t('resolvedCaption'),
    [
      { label: t('colSeverity'), cell: (alert) => severityBadge(alert.severity) },
      { label: t('colAlert'), cell: (alert) => consoleLink(context.navigate, alertPath(alert.id), summaryOf(alert)) },
      { label: t('colConnector'), cell: (alert) => alert.labels.connector ?? alert.labels.target ?? '—' },
      { label: t('colState'), cell: (alert) => stateBadge(alert.state) },
      { label: t('colResolvedAt'), cell: (alert) => formatDateTime(alert.resolvedAt) },
    ],
    alerts,
    { captionHidden: true },
  );
}
