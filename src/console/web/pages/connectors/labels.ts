import { badge } from '../../components.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
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
    setBy: 'set by {source}',
    yes: 'Yes',
    no: 'No',
  },
});


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
