import { badge } from '../../components.js';
import { defineMessages, formatDateTime, formatNumber } from '../../i18n.js';
import { allFields, type ConsumerStatus, type RatePolicy } from './model.js';

/** Words the consumer, grant and purpose views share. */
export const common = defineMessages({
  vi: {
    'status.active': 'Đang hoạt động',
    'status.suspended': 'Tạm ngừng',
    ratePolicy: '{limit} yêu cầu / {window}',
    ratePolicyBurst: '{limit} yêu cầu / {window}, thêm {burst} khi cao điểm',
    seconds: '{count} giây',
    none: '—',
    required: '(bắt buộc)',
    noLimit: 'Không giới hạn riêng',
    allFields: 'Tất cả các trường (*)',
    fieldCount: '{count} trường',
    validAlways: 'Không giới hạn thời gian',
    validFrom: 'từ {from}',
    validUntil: 'đến {until}',
    validBetween: '{from} – {until}',
    yes: 'Có',
    no: 'Không',
    tabConsumers: 'Hệ thống khai thác',
    tabPurposes: 'Mục đích xử lý dữ liệu',
    tabs: 'Các phần của trang',
    readOnly: 'Bạn đang xem ở chế độ chỉ đọc: chỉ quản trị viên được thay đổi hệ thống khai thác, quyền truy cập và mục đích.',
    personalData: 'Dữ liệu cá nhân',
    referenceData: 'Dữ liệu dùng chung',
    'kind.code': 'Mã mục đích',
    'kind.dossier': 'Mã hồ sơ TTHC',
  },
  en: {
    'status.active': 'Active',
    'status.suspended': 'Suspended',
    ratePolicy: '{limit} requests / {window}',
    ratePolicyBurst: '{limit} requests / {window}, {burst} more at peaks',
    seconds: '{count} s',
    none: '—',
    required: '(required)',
    noLimit: 'No limit of its own',
    allFields: 'All fields (*)',
    fieldCount: '{count} fields',
    validAlways: 'No time limit',
    validFrom: 'from {from}',
    validUntil: 'until {until}',
    validBetween: '{from} – {until}',
    yes: 'Yes',
    no: 'No',
    tabConsumers: 'Consumer systems',
    tabPurposes: 'Processing purposes',
    tabs: 'Sections of this page',
    readOnly: 'You are viewing read-only: only administrators change consumers, grants and purposes.',
    personalData: 'Personal data',
    referenceData: 'Reference data',
    'kind.code': 'Purpose code',
    'kind.dossier': 'Dossier code',
  },
});

export function statusBadge(status: ConsumerStatus): HTMLElement {
  return badge(status === 'active' ? 'ok' : 'bad', common(`status.${status}`));
}

export function ratePolicyText(policy: RatePolicy | undefined): string {
  if (!policy) return common('noLimit');
  const window = common('seconds', { count: formatNumber(policy.windowSeconds) });
  const limit = formatNumber(policy.limit);
  return policy.burst ? common('ratePolicyBurst', { limit, window, burst: formatNumber(policy.burst) }) : common('ratePolicy', { limit, window });
}

export function validityText(validFrom: string | undefined, validUntil: string | undefined): string {
  if (validFrom && validUntil) return common('validBetween', { from: formatDateTime(validFrom), until: formatDateTime(validUntil) });
  if (validFrom) return common('validFrom', { from: formatDateTime(validFrom) });
  if (validUntil) return common('validUntil', { until: formatDateTime(validUntil) });
  return common('validAlways');
}

export function isAllFields(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0] === allFields;
}
