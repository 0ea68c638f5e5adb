import { badge } from '../../components.js';
import { currentLanguage, defineMessages, formatDateTime } from '../../i18n.js';
import type { BreakerState, ConnectionTestOutcome, CredentialSource, CredentialState, ProbeReport } from './types.js';

/** Words the connectors page's modules share: states, sources and outcomes, each shown as text (never by colour alone). */
export const t = defineMessages({
  vi: {
    'availability.available': 'Đang hoạt động',
    'availability.disabled': 'Đã tắt',
    'availability.maintenance': 'Đang bảo trì',
    'breaker.closed': 'Đóng (bình thường)',
    'breaker.half-open': 'Nửa mở (đang thử lại)',
    'breaker.open': 'Mở (ngắt kết nối)',
    'probe.pending': 'Chưa thăm dò',
    'probe.ok': 'Thăm dò thành công',
    'probe.failed': 'Thăm dò thất bại',
    'probe.disabled': 'Không thăm dò',
    probeAt: 'lúc {time}',
    'source.config': 'tệp cấu hình',
    'source.admin': 'quản trị viên',
    'credentialSource.vault': 'kho bí mật (vault)',
    'credentialSource.config': 'tệp cấu hình',
    'credentialSource.env': 'biến môi trường',
    'credentialSource.file': 'tệp gắn vào (mounted file)',
    'state.staged': 'Chờ kích hoạt',
    'state.active': 'Đang dùng',
    'state.previous': 'Phiên bản trước',
    'state.destroyed': 'Đã huỷ',
    'outcome.ok': 'Kết nối thành công',
    'outcome.refused': 'Bị từ chối đăng nhập',
    'outcome.unreachable': 'Không kết nối được',
    'outcome.tls_error': 'Lỗi TLS',
    'outcome.timeout': 'Quá thời gian chờ',
    'outcome.redirected': 'Bị chuyển hướng',
    'outcome.address_refused': 'Địa chỉ không được phép',
    'outcome.error': 'Lỗi',
    'name.population': 'CSDL quốc gia về dân cư',
    'name.social-insurance': 'CSDL quốc gia về bảo hiểm (BHXH Việt Nam)',
    'name.land': 'CSDL đất đai của tỉnh',
    'name.tax': 'Cơ quan thuế (tra cứu người nộp thuế)',
    'name.business-registry': 'CSDL quốc gia về đăng ký doanh nghiệp',
    'name.public-service-portal': 'Cổng Dịch vụ công quốc gia',
    'name.paygov': 'Nền tảng thanh toán trực tuyến (Paygov)',
    setBy: 'do {source} đặt',
    yes: 'Có',
    no: 'Không',
  },
  en: {
    'availability.available': 'Available',
    'availability.disabled': 'Switched off',
    'availability.maintenance': 'Under maintenance',
    'breaker.closed': 'Closed (normal)',
    'breaker.half-open': 'Half-open (trying again)',
    'breaker.open': 'Open (calls refused)',
    'probe.pending': 'Not probed yet',
    'probe.ok': 'Probe succeeded',
    'probe.failed': 'Probe failed',
    'probe.disabled': 'Not probed',
    probeAt: 'at {time}',
    'source.config': 'the configuration file',
    'source.admin': 'an administrator',
    'credentialSource.vault': 'the vault',
    'credentialSource.config': 'the configuration file',
    'credentialSource.env': 'environment variables',
    'credentialSource.file': 'a mounted file',
    'state.staged': 'Staged',
    'state.active': 'Active',
    'state.previous': 'Previous',
    'state.destroyed': 'Destroyed',
    'outcome.ok': 'Connected',
    'outcome.refused': 'Login refused',
    'outcome.unreachable': 'Unreachable',
    'outcome.tls_error': 'TLS error',
    'outcome.timeout': 'Timed out',
    'outcome.redirected': 'Redirected',
    'outcome.address_refused': 'Address not allowed',
    'outcome.error': 'Error',
    'name.population': 'National population database',
    'name.social-insurance': 'Social insurance (BHXH Việt Nam)',
    'name.land': 'Provincial land database',
    'name.tax': 'Tax authority (taxpayer lookup)',
    'name.business-registry': 'National business registration database',
    'name.public-service-portal': 'National Public Service Portal',
    'name.paygov': 'National payment platform (Paygov)',
    setBy: 'set by {source}',
    yes: 'Yes',
    no: 'No',
  },
});

const knownNames = new Set(['population', 'social-insurance', 'land', 'tax', 'business-registry', 'public-service-portal', 'paygov']);

/** The connector's name in the reader's language: the catalog's for the province's connectors, the descriptor's title otherwise. */
export function connectorName(id: string, title: string): string {
  if (!knownNames.has(id)) return title;
  // English uses the descriptor's own title (it is written in English), so a renamed connector shows its new name.
  return currentLanguage() === 'en' ? title : t(`name.${id}` as Parameters<typeof t>[0]);
}

export function availabilityBadge(availability: string): HTMLElement {
  const kind = availability === 'available' ? 'ok' : availability === 'maintenance' ? 'warn' : 'off';
  return badge(kind, knownKey('availability', availability, ['available', 'disabled', 'maintenance']));
}

export function breakerBadge(state: BreakerState): HTMLElement {
  return badge(state === 'closed' ? 'ok' : state === 'half-open' ? 'warn' : 'bad', knownKey('breaker', state, ['closed', 'half-open', 'open']));
}

export function probeBadge(probe: ProbeReport): HTMLElement {
  const kind = probe.status === 'ok' ? 'ok' : probe.status === 'failed' ? 'bad' : probe.status === 'pending' ? 'info' : 'off';
  return badge(kind, knownKey('probe', probe.status, ['pending', 'ok', 'failed', 'disabled']));
}

export function probeTime(probe: ProbeReport): string {
  return probe.checkedAt ? t('probeAt', { time: formatDateTime(probe.checkedAt) }) : '';
}

export function stateBadge(state: CredentialState): HTMLElement {
  const kind = state === 'active' ? 'ok' : state === 'staged' ? 'info' : state === 'previous' ? 'warn' : 'off';
  return badge(kind, knownKey('state', state, ['staged', 'active', 'previous', 'destroyed']));
}

export function outcomeBadge(outcome: ConnectionTestOutcome): HTMLElement {
  return badge(outcome === 'ok' ? 'ok' : 'bad', outcomeText(outcome));
}

export function outcomeText(outcome: ConnectionTestOutcome): string {
  return knownKey('outcome', outcome, ['ok', 'refused', 'unreachable', 'tls_error', 'timeout', 'redirected', 'address_refused', 'error']);
}

export function sourceText(source: 'config' | 'admin'): string {
  return t('setBy', { source: t(`source.${source}`) });
}

export function credentialSourceText(source: CredentialSource): string {
  return knownKey('credentialSource', source, ['vault', 'config', 'env', 'file']);
}

/** A catalog entry for a value the API names; a value this console does not know yet is shown as the API spells it. */
function knownKey(prefix: string, value: string, known: readonly string[]): string {
  return known.includes(value) ? t(`${prefix}.${value}` as Parameters<typeof t>[0]) : value;
}
