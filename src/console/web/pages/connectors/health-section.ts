import { button, problemNotice } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages, formatDateTime, formatDuration, formatNumber, formatPercent } from '../../i18n.js';
import type { DetailContext, DetailData } from './detail-context.js';
import { availabilityBadge, breakerBadge, probeBadge } from './labels.js';
import { facts } from './section.js';

const t = defineMessages({
  vi: {
    identity: 'Mã kết nối',
    protocol: 'Giao thức',
    authScheme: 'Cách xác thực với hệ thống nguồn',
    availability: 'Trạng thái',
    breaker: 'Cầu dao ngắt mạch (máy chủ này)',
    probe: 'Thăm dò chủ động',
    probeCheckedAt: 'Lần thăm dò gần nhất',
    probedBy: 'Máy chủ đã thăm dò',
    probeLatency: 'Thời gian phản hồi',
    probeError: 'Lỗi thăm dò',
    probeFailures: 'Số lần thất bại liên tiếp',
    errorRate: 'Tỷ lệ lỗi gần đây',
    errorRateValue: '{rate} trên {calls} lệnh gọi trong {window} gần nhất',
    noCalls: 'Chưa có lệnh gọi nào trong {window} gần nhất',
    bulkhead: 'Vách ngăn (bulkhead)',
    bulkheadValue: '{inFlight}/{maxConcurrent} đang xử lý, {queued}/{maxQueue} đang chờ',
    traffic: 'Lưu lượng (máy chủ này)',
    trafficValue: '{rpm} yêu cầu/phút, lỗi {errorRate}, p95 {p95}',
    trafficNone: 'Chưa có số liệu',
    refresh: 'Làm mới tình trạng',
    refreshed: 'Đã cập nhật tình trạng.',
  },
  en: {
    identity: 'Connector id',
    protocol: 'Protocol',
    authScheme: 'Authentication with the upstream',
    availability: 'Availability',
    breaker: 'Circuit breaker (this replica)',
    probe: 'Active probe',
    probeCheckedAt: 'Last probe',
    probedBy: 'Probed by',
    probeLatency: 'Response time',
    probeError: 'Probe error',
    probeFailures: 'Consecutive failures',
    errorRate: 'Recent error rate',
    errorRateValue: '{rate} of {calls} calls in the last {window}',
    noCalls: 'No call in the last {window}',
    bulkhead: 'Bulkhead',
    bulkheadValue: '{inFlight}/{maxConcurrent} in flight, {queued}/{maxQueue} queued',
    traffic: 'Traffic (this replica)',
    trafficValue: '{rpm} requests/min, errors {errorRate}, p95 {p95}',
    trafficNone: 'No data yet',
    refresh: 'Refresh health',
    refreshed: 'Health updated.',
  },
});

/** Breaker, probe, recent error rate, bulkhead and traffic (GET /connectors/{id}/health); the policy is in the resilience section. */
export function renderHealth(data: DetailData, detail: DetailContext): HTMLElement {
  const { view } = data;
  const identity = facts([
    [t('identity'), h('code', null, view.connector)],
    [t('protocol'), view.protocol.toUpperCase()],
    [t('authScheme'), h('code', null, view.authScheme)],
  ]);
  if (!data.health.ok) return h('div', null, identity, problemNotice(data.health.error));
  const health = data.health.value;
  const { probe, policy } = health;
  const window = formatDuration(health.recentWindowMs);
  return h(
    'div',
    null,
    identity,
    facts(
      [
        [t('availability'), availabilityBadge(health.availability)],
        [t('breaker'), breakerBadge(health.breaker)],
        [t('probe'), probeBadge(probe)],
        [t('probeCheckedAt'), formatDateTime(probe.checkedAt)],
        // Replicas share their probes: the one that ran the last probe, which may not be the one answering this page.
        ...(probe.probedBy !== undefined ? ([[t('probedBy'), h('code', null, probe.probedBy)]] as Array<[string, Node]>) : []),
        [t('probeLatency'), formatDuration(probe.latencyMs)],
        ...(probe.status === 'failed' ? ([[t('probeError'), h('span', null, probe.errorKind ? h('code', null, probe.errorKind) : null, ' ', probe.error ?? '')]] as Array<[string, Node]>) : []),
        [t('probeFailures'), formatNumber(probe.consecutiveFailures)],
        [t('errorRate'), health.recentErrorRate === null ? t('noCalls', { window }) : t('errorRateValue', { rate: formatPercent(health.recentErrorRate), calls: formatNumber(health.recentCalls), window })],
        [
          t('bulkhead'),
          t('bulkheadValue', {
            inFlight: formatNumber(health.bulkhead.inFlight),
            maxConcurrent: formatNumber(policy.bulkhead.maxConcurrent),
            queued: formatNumber(health.bulkhead.queued),
            maxQueue: formatNumber(policy.bulkhead.maxQueue),
          }),
        ],
        [
          t('traffic'),
          health.traffic
            ? t('trafficValue', {
                rpm: formatNumber(health.traffic.requestsPerMinute, { maximumFractionDigits: 1 }),
                errorRate: health.traffic.errorRate === null ? '—' : formatPercent(health.traffic.errorRate),
                p95: formatDuration(health.traffic.p95Ms),
              })
            : t('trafficNone'),
        ],
      ],
      'facts facts-wide',
    ),
    h('p', null, button(t('refresh'), () => void detail.refresh('health', t('refreshed')))),
  );
}
