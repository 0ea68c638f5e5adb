import { api } from '../../api.js';
import { badge, button, dataTable, notice, openDialog, problemNotice } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages, formatDateTime, formatNumber } from '../../i18n.js';
import type { DetailContext, DetailData } from './detail-context.js';
import { connectorName } from '../../connector-names.js';
import { credentialSourceText, outcomeBadge, outcomeText, stateBadge } from './labels.js';
import { openRotationDialog } from './rotation-dialog.js';
import { facts } from './section.js';
import type { ConnectionTestResult, CredentialSchemaView, CredentialsInUse, CredentialVersion, CredentialsView } from './types.js';

const t = defineMessages({
  vi: {
    lead: 'Cổng không bao giờ hiển thị giá trị bí mật: chỉ tên các trường đã đặt, dấu vân tay (HMAC) để so sánh các phiên bản, người tạo, thời điểm và hạn dùng.',
    source: 'Nguồn đang dùng',
    activeVersion: 'Phiên bản đang dùng',
    previousVersion: 'Phiên bản trước (còn dùng được)',
    previousValue: 'phiên bản {version}, đến {until}',
    fieldsSet: 'Các trường đã đặt',
    readOnly: 'Thông tin xác thực của kết nối này do nơi triển khai quản lý ({source}); thay đổi chúng ở đó, không qua bảng điều khiển.',
    stage: 'Tạo phiên bản mới…',
    rollback: 'Quay lại phiên bản {version}',
    rollbackTitle: 'Quay lại phiên bản {version}?',
    rollbackText: 'Phiên bản {version} trở thành phiên bản đang dùng; phiên bản hiện tại vẫn được chấp nhận trong thời gian chuyển tiếp.',
    rolledBack: 'Đã quay lại phiên bản {version}.',
    caption: 'Các phiên bản trong kho bí mật',
    empty: 'Kho bí mật chưa có phiên bản nào cho kết nối này: thông tin xác thực lấy từ tệp cấu hình.',
    version: 'Phiên bản',
    state: 'Trạng thái',
    created: 'Tạo',
    activated: 'Kích hoạt',
    byAt: '{by}, {at}',
    expires: 'Hết hạn',
    expired: 'Đã hết hạn',
    expiresSoon: 'Còn {days} ngày',
    fingerprint: 'Dấu vân tay',
    lastTest: 'Kiểm tra kết nối gần nhất',
    untested: 'Chưa kiểm tra',
    actions: 'Thao tác',
    test: 'Kiểm tra kết nối',
    testLabel: 'Kiểm tra kết nối phiên bản {version}',
    tested: 'Phiên bản {version}: {outcome}.',
    testedDetail: 'Phiên bản {version}: {outcome} ({detail}).',
    activate: 'Kích hoạt',
    activateLabel: 'Kích hoạt phiên bản {version}',
    activateTitle: 'Kích hoạt phiên bản {version}?',
    activateText: 'Mọi lệnh gọi mới tới hệ thống nguồn dùng phiên bản này. Phiên bản đang dùng vẫn được chấp nhận trong thời gian chuyển tiếp, và có thể quay lại.',
    forceTitle: 'Kích hoạt phiên bản {version} khi chưa kiểm tra kết nối thành công?',
    forceText: 'Lần kiểm tra gần nhất: {last}. Chỉ kích hoạt khi chắc chắn hệ thống nguồn đã nhận thông tin mới (ví dụ: cổng chưa tới được hệ thống nguồn từ mạng này).',
    forceConfirm: 'Vẫn kích hoạt',
    activatedDone: 'Đã kích hoạt phiên bản {version}: đây là thông tin xác thực đang dùng.',
    discard: 'Huỷ bỏ',
    discardLabel: 'Huỷ bỏ phiên bản {version}',
    discardTitle: 'Huỷ bỏ phiên bản {version}?',
    discardText: 'Bản mã hoá của phiên bản này bị xoá; không thể khôi phục.',
    discarded: 'Đã huỷ bỏ phiên bản {version}.',
    staged: 'Đã lưu phiên bản {version} (chưa dùng). Hãy kiểm tra kết nối rồi kích hoạt.',
    schemaMissing: 'Không đọc được lược đồ thông tin xác thực nên không tạo được phiên bản mới.',
  },
  en: {
    lead: 'The gateway never shows a secret value: only which fields are set, a fingerprint (HMAC) to compare versions, who created them, when, and their expiry.',
    source: 'Source in use',
    activeVersion: 'Active version',
    previousVersion: 'Previous version (still usable)',
    previousValue: 'version {version}, until {until}',
    fieldsSet: 'Fields set',
    readOnly: 'This connector\'s credentials are managed by the deployment ({source}); change them there, not in the console.',
    stage: 'New version…',
    rollback: 'Roll back to version {version}',
    rollbackTitle: 'Roll back to version {version}?',
    rollbackText: 'Version {version} becomes the active one; the current one stays accepted during the overlap window.',
    rolledBack: 'Rolled back to version {version}.',
    caption: 'Versions in the vault',
    empty: 'The vault holds no version for this connector: its credentials come from the configuration file.',
    version: 'Version',
    state: 'State',
    created: 'Created',
    activated: 'Activated',
    byAt: '{by}, {at}',
    expires: 'Expires',
    expired: 'Expired',
    expiresSoon: '{days} days left',
    fingerprint: 'Fingerprint',
    lastTest: 'Last connection test',
    untested: 'Not tested',
    actions: 'Actions',
    test: 'Test connection',
    testLabel: 'Test connection with version {version}',
    tested: 'Version {version}: {outcome}.',
    testedDetail: 'Version {version}: {outcome} ({detail}).',
    activate: 'Activate',
    activateLabel: 'Activate version {version}',
    activateTitle: 'Activate version {version}?',
    activateText: 'Every new upstream call uses this version. The current one stays accepted during the overlap window, and you can roll back.',
    forceTitle: 'Activate version {version} without a successful connection test?',
    forceText: 'Last test: {last}. Activate only when you are sure the upstream has the new credentials (e.g. the gateway cannot reach it from this network yet).',
    forceConfirm: 'Activate anyway',
    activatedDone: 'Version {version} is active: these are the credentials in use.',
    discard: 'Discard',
    discardLabel: 'Discard version {version}',
    discardTitle: 'Discard version {version}?',
    discardText: 'Its ciphertext is wiped; this cannot be undone.',
    discarded: 'Version {version} discarded.',
    staged: 'Version {version} saved (not in use). Test the connection, then activate it.',
    schemaMissing: 'The credential schema could not be read, so no new version can be made.',
  },
});

const day = 86_400_000;

/** What is in use, every vault version's metadata, and for admins the rotation: stage, test, activate, roll back, discard. */
export function renderCredentials(data: DetailData, detail: DetailContext): HTMLElement {
  if (!data.credentials.ok) return problemNotice(data.credentials.error);
  const view = data.credentials.value;
  const name = connectorName(data.view.connector, data.view.title);
  const inUse = view.inUse;
  const writable = detail.isAdmin && inUse?.readOnly !== true;
  return h(
    'div',
    null,
    h('p', { class: 'muted' }, t('lead')),
    inUse ? inUseFacts(inUse) : null,
    inUse?.readOnly ? notice('info', t('readOnly', { source: credentialSourceText(inUse.source) })) : null,
    writable ? adminActions(data.credentialSchema.ok ? data.credentialSchema.value : undefined, data.credentialSchema.ok ? undefined : data.credentialSchema.error, inUse, name, detail) : null,
    versionsTable(view, detail, writable),
  );
}

function inUseFacts(inUse: CredentialsInUse): HTMLElement {
  return facts([
    [t('source'), credentialSourceText(inUse.source)],
    [t('activeVersion'), inUse.activeVersion === undefined ? '—' : formatNumber(inUse.activeVersion)],
    ...(inUse.previousVersion !== undefined ? ([[t('previousVersion'), t('previousValue', { version: inUse.previousVersion, until: formatDateTime(inUse.previousUsableUntil) })]] as Array<[string, string]>) : []),
    [t('fieldsSet'), h('span', null, ...inUse.fieldsSet.flatMap((field, index) => [index ? ', ' : '', h('code', null, field)]))],
  ]);
}

function adminActions(schema: CredentialSchemaView | undefined, schemaError: unknown, inUse: CredentialsInUse | null, name: string, detail: DetailContext): HTMLElement {
  const stage = async () => {
    if (!schema) return;
    const staged = await openRotationDialog(detail.id, name, schema);
    if (staged) await detail.refresh('credentials', t('staged', { version: staged.version }));
  };
  const previous = inUse?.previousVersion;
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'actions' },
      schema ? button(t('stage'), () => void stage(), { kind: 'primary' }) : null,
      previous !== undefined ? button(t('rollback', { version: previous }), () => void rollback(previous, detail)) : null,
    ),
    schema ? null : h('div', null, notice('warning', t('schemaMissing')), problemNotice(schemaError)),
  );
}

const credentialsPath = (detail: DetailContext) => `/connectors/${encodeURIComponent(detail.id)}/credentials`;

async function rollback(version: number, detail: DetailContext): Promise<void> {
  const done = await openDialog(t('rollbackTitle', { version }), h('p', null, t('rollbackText', { version })), () => api.post<CredentialVersion>(`${credentialsPath(detail)}/rollback`), { confirmLabel: t('rollback', { version }) });
  if (done) await detail.refresh('credentials', t('rolledBack', { version: done.version }));
}

function versionsTable(view: CredentialsView, detail: DetailContext, writable: boolean): HTMLElement {
  const now = Date.now();
  return dataTable(
    t('caption'),
    [
      { label: t('version'), numeric: true, cell: (item: CredentialVersion) => formatNumber(item.version) },
      { label: t('state'), cell: (item) => stateBadge(item.state) },
      { label: t('fieldsSet'), cell: (item) => h('span', null, ...item.fieldsSet.flatMap((field, index) => [index ? ', ' : '', h('code', null, field)])) },
      { label: t('created'), cell: (item) => t('byAt', { by: item.createdBy, at: formatDateTime(item.createdAt) }) },
      { label: t('activated'), cell: (item) => (item.activatedAt ? t('byAt', { by: item.activatedBy ?? '—', at: formatDateTime(item.activatedAt) }) : '—') },
      { label: t('expires'), cell: (item) => expiryCell(item, now) },
      { label: t('fingerprint'), cell: (item) => h('code', null, item.fingerprint) },
      {
        label: t('lastTest'),
        cell: (item) => (item.lastTest ? h('span', null, outcomeBadge(item.lastTest.outcome), item.lastTest.detail ? [' ', h('code', null, item.lastTest.detail)] : null, h('br'), h('span', { class: 'muted' }, t('byAt', { by: item.lastTest.by, at: formatDateTime(item.lastTest.at) }))) : h('span', { class: 'muted' }, t('untested'))),
      },
      ...(writable ? [{ label: t('actions'), cell: (item: CredentialVersion) => versionActions(item, detail) }] : []),
    ],
    view.versions,
    { empty: t('empty') },
  );
}

function expiryCell(item: CredentialVersion, now: number): Node | string {
  if (!item.expiresAt) return '—';
  const remaining = Date.parse(item.expiresAt) - now;
  const flag = item.state === 'destroyed' ? null : remaining <= 0 ? badge('bad', t('expired')) : remaining <= 30 * day ? badge('warn', t('expiresSoon', { days: Math.ceil(remaining / day) })) : null;
  return h('span', null, formatDateTime(item.expiresAt), flag ? [' ', flag] : null);
}

function versionActions(item: CredentialVersion, detail: DetailContext): HTMLElement | string {
  if (item.state !== 'staged') return '';
  const version = item.version;
  const path = `${credentialsPath(detail)}/${version}`;
  const action = (label: string, ariaLabel: string, kind: 'primary' | 'secondary' | 'danger', run: () => Promise<void>) => {
    const control = button(label, () => {
      control.disabled = true;
      run().finally(() => {
        control.disabled = false;
      });
    }, { kind });
    control.setAttribute('aria-label', ariaLabel);
    return control;
  };
  const test = async () => {
    let result: ConnectionTestResult;
    try {
      result = await api.post<ConnectionTestResult>(`${path}/test`);
    } catch (error) {
      await detail.refresh('credentials', problemText(error), 'warning');
      return;
    }
    const outcome = outcomeText(result.outcome);
    const message = result.detail ? t('testedDetail', { version, outcome, detail: result.detail }) : t('tested', { version, outcome });
    await detail.refresh('credentials', message, result.outcome === 'ok' ? 'success' : 'warning');
  };
  const activate = async () => {
    const tested = item.lastTest?.outcome === 'ok';
    const last = item.lastTest ? outcomeText(item.lastTest.outcome) : t('untested');
    const done = await openDialog(
      tested ? t('activateTitle', { version }) : t('forceTitle', { version }),
      h('p', null, tested ? t('activateText') : t('forceText', { last })),
      () => api.post<CredentialVersion>(`${path}/activate`, tested ? {} : { force: true }),
      tested ? { confirmLabel: t('activate') } : { confirmLabel: t('forceConfirm'), danger: true },
    );
    if (done) await detail.refresh('credentials', t('activatedDone', { version }));
  };
  const discard = async () => {
    const done = await openDialog(t('discardTitle', { version }), h('p', null, t('discardText')), async () => {
      await api.delete(path);
      return true;
    }, { confirmLabel: t('discard'), danger: true });
    if (done) await detail.refresh('credentials', t('discarded', { version }));
  };
  return h(
    'div',
    { class: 'row-actions' },
    action(t('test'), t('testLabel', { version }), 'secondary', test),
    action(t('activate'), t('activateLabel', { version }), 'primary', activate),
    action(t('discard'), t('discardLabel', { version }), 'danger', discard),
  );
}

function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
