import { api } from '../../api.js';
import { button, consoleLink, dataTable, field, loading, pageHeader, pager, problemNotice } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { alertStates, ruleIdInputPattern, severities, type AlertFilter, type AlertPage, type AlertView } from './alert-model.js';
import { alertPath, muteBadges, severityBadge, severityName, sinceOf, stateBadge, stateName, summaryOf } from './alert-format.js';
import { watchAlerts } from './alert-stream.js';
import { alertsNav, sectionOf } from './alerts-nav.js';
import { liveIndicator } from './live-indicator.js';
import { fromProvinceInput, toProvinceInput } from './province-time.js';

const t = defineMessages({
  vi: {
    title: 'Cảnh báo',
    lead: 'Cảnh báo do cổng tự phát hiện (kiểm tra sức khoẻ, cầu dao, tỷ lệ lỗi, độ trễ, hồ sơ đồng bộ...). Danh sách tự cập nhật khi có thay đổi.',
    filters: 'Lọc cảnh báo',
    state: 'Trạng thái',
    allStates: 'Mọi trạng thái',
    severity: 'Mức độ',
    allSeverities: 'Mọi mức độ',
    connector: 'Kết nối',
    allConnectors: 'Mọi kết nối',
    rule: 'Quy tắc',
    ruleHint: 'Mã quy tắc, ví dụ population.probe-down',
    since: 'Bắt đầu từ',
    until: 'Bắt đầu trước',
    timeHint: 'Giờ Việt Nam (UTC+7)',
    apply: 'Lọc',
    clear: 'Xoá bộ lọc',
    caption: 'Cảnh báo, mới nhất trước',
    empty: 'Không có cảnh báo nào khớp bộ lọc.',
    colSeverity: 'Mức độ',
    colState: 'Trạng thái',
    colAlert: 'Cảnh báo',
    colConnector: 'Kết nối',
    colSince: 'Từ lúc',
    colAcknowledged: 'Tiếp nhận',
    colResolved: 'Khắc phục lúc',
    by: '{who}, {when}',
  },
  en: {
    title: 'Alerts',
    lead: 'Alerts the gateway raises by itself (health probes, breakers, error rate, latency, dossier sync...). The list updates itself when something changes.',
    filters: 'Filter alerts',
    state: 'State',
    allStates: 'Any state',
    severity: 'Severity',
    allSeverities: 'Any severity',
    connector: 'Connector',
    allConnectors: 'Any connector',
    rule: 'Rule',
    ruleHint: 'Rule id, for example population.probe-down',
    since: 'Started from',
    until: 'Started before',
    timeHint: 'Vietnam time (UTC+7)',
    apply: 'Filter',
    clear: 'Clear filters',
    caption: 'Alerts, newest first',
    empty: 'No alert matches the filters.',
    colSeverity: 'Severity',
    colState: 'State',
    colAlert: 'Alert',
    colConnector: 'Connector',
    colSince: 'Since',
    colAcknowledged: 'Acknowledged',
    colResolved: 'Resolved at',
    by: '{who}, {when}',
  },
});

const pageSize = 50;

/** GET /alerts query from the console URL (`state=all` is the console's own word for "no state filter"). */
export function filterFromQuery(query: URLSearchParams): AlertFilter {
  const state = query.get('state') ?? 'open';
  const text = (name: string) => query.get(name)?.trim() || undefined;
  const time = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : (fromProvinceInput(value)?.toISOString() ?? value);
  };
  return {
    ...(state !== 'all' && { state: state as AlertFilter['state'] }),
    ...(text('severity') !== undefined && { severity: text('severity') as AlertFilter['severity'] }),
    ...(text('connector') !== undefined && { connector: text('connector')! }),
    ...(text('rule') !== undefined && { rule: text('rule')! }),
    ...(time('since') !== undefined && { since: time('since')! }),
    ...(time('until') !== undefined && { until: time('until')! }),
  };
}

export async function renderAlertList(root: HTMLElement, context: PageContext): Promise<void> {
  const live = liveIndicator();
  root.append(pageHeader(t('title'), t('lead'), live.element), alertsNav(context, sectionOf(context)));
  const connectors = await api.get<{ items: Array<{ connector: string; title: string }> }>('/connectors', undefined, context.signal).catch(() => ({ items: [] }));
  if (context.signal.aborted) return;
  root.append(filterForm(context, connectors.items));

  const results = h('div', { class: 'alert-results' }, loading());
  root.append(results);
  const filter = filterFromQuery(context.query);
  const paging: { previous: string[]; current?: string; next?: string } = { previous: [] };

  const load = async () => {
    try {
      const page = await api.get<AlertPage>('/alerts', { ...filter, limit: pageSize, before: paging.current }, context.signal);
      paging.next = page.next;
      replaceChildren(
        results,
        alertTable(page.items, context),
        page.next !== undefined || paging.previous.length > 0
          ? pager(paging, (cursor, previous) => {
              paging.current = cursor;
              paging.previous = previous;
              void load();
            })
          : null,
      );
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(results, problemNotice(error));
    }
  };
  await load();
  // Live: whatever changes (a new alert, an acknowledgement, a resolution), the page shown is read again.
  watchAlerts({ signal: context.signal, onChange: () => void load(), onLiveChange: live.set });
}

function alertTable(alerts: readonly AlertView[], context: PageContext): HTMLElement {
  return dataTable(
    t('caption'),
    [
      { label: t('colSeverity'), cell: (alert) => severityBadge(alert.severity) },
      { label: t('colState'), cell: (alert) => h('span', { class: 'badges' }, stateBadge(alert.state), ...muteBadges(alert)) },
      { label: t('colAlert'), cell: (alert) => consoleLink(context.navigate, alertPath(alert.id), summaryOf(alert)) },
      { label: t('colConnector'), cell: (alert) => alert.labels.connector ?? alert.labels.target ?? '—' },
      { label: t('colSince'), cell: (alert) => formatDateTime(sinceOf(alert)) },
      { label: t('colAcknowledged'), cell: (alert) => (alert.acknowledgedBy ? t('by', { who: alert.acknowledgedBy, when: formatDateTime(alert.acknowledgedAt) }) : '—') },
      { label: t('colResolved'), cell: (alert) => formatDateTime(alert.resolvedAt) },
    ],
    alerts,
    { empty: t('empty') },
  );
}

/** A GET-style form: applying it changes the URL (shareable, Back works) and the page reads it. */
function filterForm(context: PageContext, connectors: ReadonlyArray<{ connector: string; title: string }>): HTMLElement {
  const query = context.query;
  const option = (value: string, label: string, current: string | null) => h('option', { value, selected: value === (current ?? '') }, label);
  const currentState = query.get('state') ?? 'open';
  const state = h('select', { name: 'state' }, option('all', t('allStates'), currentState), option('open', stateName('open'), currentState), ...alertStates.map((value) => option(value, stateName(value), currentState)));
  const severity = h('select', { name: 'severity' }, option('', t('allSeverities'), query.get('severity')), ...severities.map((value) => option(value, severityName(value), query.get('severity'))));
  const connectorControl =
    connectors.length > 0
      ? h('select', { name: 'connector' }, option('', t('allConnectors'), query.get('connector')), ...connectors.map((item) => option(item.connector, `${item.title} (${item.connector})`, query.get('connector'))))
      : h('input', { name: 'connector', value: query.get('connector') ?? '', maxlength: '100' });
  const rule = h('input', { name: 'rule', value: query.get('rule') ?? '', pattern: ruleIdInputPattern, maxlength: '100', spellcheck: 'false' });
  const timeInput = (name: string) => {
    const given = query.get(name) ?? '';
    // A time in the URL may be a full ISO instant (a shared link) or the form's own value.
    const asDate = given && !fromProvinceInput(given) ? new Date(given) : undefined;
    return h('input', { type: 'datetime-local', name, value: asDate && !Number.isNaN(asDate.getTime()) ? toProvinceInput(asDate) : given });
  };
  const since = timeInput('since');
  const until = timeInput('until');

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters') },
    field(t('state'), state),
    field(t('severity'), severity),
    field(t('connector'), connectorControl),
    field(t('rule'), rule, { hint: t('ruleHint') }),
    field(t('since'), since, { hint: t('timeHint') }),
    field(t('until'), until, { hint: t('timeHint') }),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('apply')), button(t('clear'), () => context.navigate('/console/alerts'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') params.set(name, value.trim());
    context.navigate(`/console/alerts?${params.toString()}`);
  });
  return form;
}
