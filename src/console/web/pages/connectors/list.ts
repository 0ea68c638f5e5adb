import { api } from '../../api.js';
import { dataTable, pageHeader } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages, formatNumber, formatPercent } from '../../i18n.js';
import { consoleLink } from '../../components.js';
import { connectorName } from '../../connector-names.js';
import { availabilityBadge, breakerBadge, probeBadge, probeTime } from './labels.js';
import type { PageContext } from '../page-context.js';
import type { ConnectorHealth } from './types.js';

const t = defineMessages({
  vi: {
    title: 'Kết nối',
    lead: 'Các hệ thống nguồn mà cổng kết nối tới: trạng thái, cầu dao ngắt mạch và lần thăm dò gần nhất. Chọn một kết nối để xem chi tiết, cấu hình và thông tin xác thực.',
    caption: 'Danh sách kết nối',
    connector: 'Kết nối',
    availability: 'Trạng thái',
    breaker: 'Cầu dao',
    probe: 'Thăm dò gần nhất',
    errorRate: 'Tỷ lệ lỗi gần đây',
    requestsPerMinute: 'Yêu cầu/phút',
    noCalls: 'chưa có lệnh gọi',
    empty: 'Cổng chưa gắn kết nối nào.',
  },
  en: {
    title: 'Connectors',
    lead: 'The upstream systems the gateway connects to: availability, circuit breaker and last probe. Pick one for its detail, settings and credentials.',
    caption: 'Connectors',
    connector: 'Connector',
    availability: 'Availability',
    breaker: 'Breaker',
    probe: 'Last probe',
    errorRate: 'Recent error rate',
    requestsPerMinute: 'Requests/min',
    noCalls: 'no calls yet',
    empty: 'The gateway has no connector mounted.',
  },
});

export async function renderConnectorList(root: HTMLElement, context: PageContext): Promise<void> {
  const { items } = await api.get<{ items: ConnectorHealth[] }>('/connectors', undefined, context.signal);
  if (context.signal.aborted) return;
  root.append(
    pageHeader(t('title'), t('lead')),
    dataTable(
      t('caption'),
      [
        {
          label: t('connector'),
          cell: (item) => h('span', null, consoleLink(context.navigate, `/console/connectors/${encodeURIComponent(item.connector)}`, connectorName(item.connector, item.title)), h('br'), h('code', { class: 'muted' }, item.connector)),
        },
        { label: t('availability'), cell: (item) => availabilityBadge(item.availability) },
        { label: t('breaker'), cell: (item) => breakerBadge(item.breaker) },
        { label: t('probe'), cell: (item) => h('span', null, probeBadge(item.probe), ' ', h('span', { class: 'muted' }, probeTime(item.probe))) },
        { label: t('errorRate'), numeric: true, cell: (item) => (item.recentErrorRate === null ? h('span', { class: 'muted' }, t('noCalls')) : formatPercent(item.recentErrorRate)) },
        { label: t('requestsPerMinute'), numeric: true, cell: (item) => (item.traffic ? formatNumber(item.traffic.requestsPerMinute, { maximumFractionDigits: 1 }) : '—') },
      ],
      items,
      { empty: t('empty') },
    ),
  );
}
