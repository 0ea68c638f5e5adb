import type { Notice, NoticeAlert } from '../../types.js';

/** Alerts as the engine would put them in a notice: labels and rule texts only. */
export const probeDown: NoticeAlert = {
  alertId: '0b6f7c1e-3c1a-4a8e-9d55-1f0c2a9e7a01',
  ruleId: 'population.probe-down',
  severity: 'critical',
  labels: { alertname: 'population.probe-down', severity: 'critical', scope: 'connector', connector: 'population', team: 'ops-hn' },
  summary: { vi: 'Không kết nối được Cơ sở dữ liệu quốc gia về dân cư', en: 'The national population database is unreachable' },
  runbook: 'Kiểm tra đường truyền tới trung tâm dữ liệu / check the link to the data centre',
  firedAt: '2026-03-01T08:00:00.000Z',
};

export const errorRatio: NoticeAlert = {
  alertId: '0b6f7c1e-3c1a-4a8e-9d55-1f0c2a9e7a02',
  ruleId: 'population.error-ratio',
  severity: 'warning',
  labels: { alertname: 'population.error-ratio', severity: 'warning', scope: 'operation', connector: 'population', operation: 'lookupCitizen' },
  summary: { vi: 'Tỷ lệ lỗi của lookupCitizen vượt 5% (hiện 12%)', en: 'lookupCitizen error ratio above 5% (now 12%)' },
  firedAt: '2026-03-01T08:02:00.000Z',
  acknowledgedBy: 'operator-7',
};

export const resolvedBreaker: NoticeAlert = {
  alertId: '0b6f7c1e-3c1a-4a8e-9d55-1f0c2a9e7a03',
  ruleId: 'population.breaker-open',
  severity: 'critical',
  labels: { alertname: 'population.breaker-open', severity: 'critical', scope: 'connector', connector: 'population' },
  summary: { vi: 'Cầu dao của population đang mở', en: 'The population breaker is open' },
  firedAt: '2026-03-01T07:40:00.000Z',
  resolvedAt: '2026-03-01T08:05:00.000Z',
  silenced: true,
};

export function sampleNotice(overrides: Partial<Notice> = {}): Notice {
  return {
    notificationId: '5d2c8f4a-7b1e-4c3d-9a6f-2e8b1c0d9f11',
    receiverId: 'ops-mail',
    groupKey: '["population"]',
    groupLabels: { connector: 'population' },
    kind: 'mixed',
    createdAt: '2026-03-01T08:06:00.000Z',
    firing: [probeDown, errorRatio],
    resolved: [resolvedBreaker],
    ...overrides,
  };
}
