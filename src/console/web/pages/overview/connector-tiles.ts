import { badge, consoleLink } from '../../components.js';
import { connectorName } from '../../connector-names.js';
import { h, type Child } from '../../dom.js';
import { defineMessages, formatDateTime, formatDuration, formatNumber, formatPercent } from '../../i18n.js';
import { agoText } from '../alerts/alert-format.js';
import type { ConnectorHealth } from './connector-model.js';
import { connectorStatus, type StatusReason } from './connector-status.js';

const t = defineMessages({
  vi: {
    'status.healthy': 'Hoạt động tốt',
    'status.degraded': 'Suy giảm',
    'status.breaker-open': 'Cầu dao mở',
    'status.disabled': 'Đã tắt',
    'status.maintenance': 'Đang bảo trì',
    'breaker.closed': 'đóng',
    'breaker.half-open': 'nửa mở (đang thử lại)',
    'breaker.open': 'mở',
    probeFailed: 'Kiểm tra sức khoẻ thất bại {count} lần liên tiếp',
    halfOpen: 'Cầu dao đang cho lời gọi thử đi qua',
    errorRate: 'Tỷ lệ lỗi {rate}',
    requestsPerMinute: 'Yêu cầu/phút',
    errorRateLabel: 'Tỷ lệ lỗi',
    p95: 'Độ trễ p95',
    lastProbe: 'Kiểm tra gần nhất',
    breaker: 'Cầu dao',
    'probe.ok': 'đạt',
    'probe.failed': 'lỗi',
    'probe.pending': 'chưa kiểm tra',
    'probe.disabled': 'không kiểm tra',
    probeAt: '{when} ({result})',
    detail: 'Chi tiết {title}',
    noData: 'chưa có',
  },
  en: {
    'status.healthy': 'Healthy',
    'status.degraded': 'Degraded',
    'status.breaker-open': 'Breaker open',
    'status.disabled': 'Disabled',
    'status.maintenance': 'Maintenance',
    'breaker.closed': 'closed',
    'breaker.half-open': 'half-open (trying again)',
    'breaker.open': 'open',
    probeFailed: 'Health probe failed {count} times in a row',
    halfOpen: 'The breaker lets trial calls through',
    errorRate: 'Error rate {rate}',
    requestsPerMinute: 'Requests/min',
    errorRateLabel: 'Error rate',
    p95: 'p95 latency',
    lastProbe: 'Last probe',
    breaker: 'Breaker',
    'probe.ok': 'passed',
    'probe.failed': 'failed',
    'probe.pending': 'not yet probed',
    'probe.disabled': 'not probed',
    probeAt: '{when} ({result})',
    detail: '{title}: details',
    noData: 'none yet',
  },
});

/** The status names the tiles use (the overview's legend and tests read the same words). */
export function statusName(status: ReturnType<typeof connectorStatus>['status']): string {
  return t(`status.${status}`);
}

/** One tile per connector: status in words and colour, this replica's newest traffic window, the last probe. */
export function connectorTiles(items: readonly ConnectorHealth[], navigate: (path: string) => void): HTMLElement {
  return h('div', { class: 'grid connector-tiles' }, ...items.map((item) => connectorTile(item, navigate)));
}

function connectorTile(health: ConnectorHealth, navigate: (path: string) => void): HTMLElement {
  const verdict = connectorStatus(health);
  const titleId = `tile-${health.connector}`;
  const traffic = health.traffic ?? null;
  const row = (label: string, value: Child) => [h('dt', null, label), h('dd', null, value)];
  const probe = health.probe;
  const probeText = probe.checkedAt
    ? h('span', { title: formatDateTime(probe.checkedAt) }, t('probeAt', { when: agoText(probe.checkedAt), result: t(`probe.${probe.status}`) }))
    : t(`probe.${probe.status}`);
  return h(
    'article',
    { class: `tile tile-${verdict.tone}`, 'aria-labelledby': titleId },
    h('h3', { id: titleId }, connectorName(health.connector, health.title)),
    h('p', { class: 'tile-status' }, badge(verdict.tone, statusName(verdict.status)), ' ', h('code', null, health.connector)),
    verdict.reasons.length > 0 ? h('ul', { class: 'tile-reasons' }, ...verdict.reasons.map((reason) => h('li', null, reasonText(reason)))) : null,
    h(
      'dl',
      null,
      ...row(t('requestsPerMinute'), traffic ? formatNumber(traffic.requestsPerMinute, { maximumFractionDigits: 1 }) : t('noData')),
      ...row(t('errorRateLabel'), traffic && traffic.errorRate !== null ? formatPercent(traffic.errorRate) : '—'),
      ...row(t('p95'), traffic && traffic.p95Ms !== null ? formatDuration(traffic.p95Ms) : '—'),
      ...row(t('breaker'), t(`breaker.${health.breaker}`)),
      ...row(t('lastProbe'), probeText),
    ),
    h('p', { class: 'tile-link' }, consoleLink(navigate, `/console/connectors/${encodeURIComponent(health.connector)}`, t('detail', { title: connectorName(health.connector, health.title) }))),
  );
}

function reasonText(reason: StatusReason): string {
  switch (reason.kind) {
    case 'probe-failed':
      return `${t('probeFailed', { count: reason.failures })}${reason.error ? `: ${reason.error}` : ''}`;
    case 'half-open':
      return t('halfOpen');
    case 'error-rate':
      return t('errorRate', { rate: formatPercent(reason.rate) });
  }
}
