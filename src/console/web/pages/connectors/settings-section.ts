import { api } from '../../api.js';
import { button, dataTable, field, notice, openDialog, problemNotice } from '../../components.js';
import { h, uniqueId } from '../../dom.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
import { changesBetween, confirmChanges, diffTable } from './change-diff.js';
import type { DetailContext, DetailData } from './detail-context.js';
import { FieldErrors } from './field-errors.js';
import { connectorName } from '../../connector-names.js';
import { sourceText } from './labels.js';
import { settingsControl, propertiesOf, type SchemaControl } from './schema-fields.js';
import { facts } from './section.js';
import type { ConnectorView, JsonSchema, ProbeSetting, SettingsPatch } from './types.js';

const t = defineMessages({
  vi: {
    baseUrl: 'Địa chỉ gốc của hệ thống nguồn (baseUrl)',
    settingsCaption: 'Cấu hình không bí mật ({source})',
    name: 'Tên',
    value: 'Giá trị',
    noSettings: 'Kết nối này không có cấu hình nào khác.',
    probe: 'Thăm dò chủ động',
    appliedAt: 'Áp dụng lúc',
    applyError: 'Thay đổi gần nhất chưa áp dụng được ({at}): {message}. Kết nối vẫn dùng cấu hình trước đó.',
    editTitle: 'Sửa cấu hình',
    editLead: 'Các giá trị được cổng kiểm tra theo lược đồ của kết nối khi lưu. Ô để trống nghĩa là không đặt.',
    settingsLegend: 'Cấu hình của kết nối (settings)',
    probeLegend: 'Thăm dò chủ động (probe)',
    probeCall: 'Kiểu thăm dò',
    'call.default': 'Lệnh thăm dò riêng của kết nối (default)',
    'call.login': 'Chỉ đăng nhập vào hệ thống nguồn (login)',
    'call.operation': 'Gọi một thao tác đọc (operation)',
    'call.none': 'Không thăm dò (none)',
    probeOperation: 'Thao tác dùng để thăm dò',
    probeOperationHint: 'Chỉ với kiểu “operation”: một thao tác đọc không có dữ liệu cá nhân.',
    probeInput: 'Tham số của thao tác (JSON)',
    probeInputHint: 'Chỉ với kiểu “operation”, ví dụ {"query": {"maSo": "0100109106"}}.',
    none: '(không chọn)',
    review: 'Xem thay đổi trước khi lưu',
    noChange: 'Chưa có thay đổi nào so với cấu hình hiện tại.',
    confirmTitle: 'Lưu cấu hình của {name}?',
    saved: 'Đã lưu cấu hình. Thay đổi được áp dụng trên mọi máy chủ của cổng trong vòng một chu kỳ làm mới.',
    revert: 'Trở về tệp cấu hình',
    revertTitle: 'Trở về giá trị trong tệp cấu hình?',
    revertText: 'Các giá trị do quản trị viên đặt sau đây sẽ bị bỏ, kết nối dùng lại giá trị trong tệp cấu hình:',
    reverted: 'Đã trở về giá trị trong tệp cấu hình.',
    fromConfig: '(giá trị trong tệp cấu hình)',
  },
  en: {
    baseUrl: 'Upstream base URL (baseUrl)',
    settingsCaption: 'Non-secret settings ({source})',
    name: 'Name',
    value: 'Value',
    noSettings: 'This connector has no other settings.',
    probe: 'Active probe',
    appliedAt: 'Applied at',
    applyError: 'The last change could not be applied ({at}): {message}. The connector keeps its previous settings.',
    editTitle: 'Edit settings',
    editLead: 'The gateway checks the values against the connector\'s schema when you save. An empty box means not set.',
    settingsLegend: 'Connector settings (settings)',
    probeLegend: 'Active probe (probe)',
    probeCall: 'Probe call',
    'call.default': 'The connector\'s own probe (default)',
    'call.login': 'Only the upstream login (login)',
    'call.operation': 'A read operation (operation)',
    'call.none': 'No probe (none)',
    probeOperation: 'Operation to probe with',
    probeOperationHint: 'Only with “operation”: a read without personal data.',
    probeInput: 'Operation input (JSON)',
    probeInputHint: 'Only with “operation”, e.g. {"query": {"maSo": "0100109106"}}.',
    none: '(none)',
    review: 'Review changes before saving',
    noChange: 'Nothing differs from the current settings yet.',
    confirmTitle: 'Save the settings of {name}?',
    saved: 'Settings saved. Every gateway replica applies them within one refresh interval.',
    revert: 'Back to the configuration file',
    revertTitle: 'Back to the configuration file\'s values?',
    revertText: 'These values set by an administrator are dropped; the connector uses the configuration file\'s again:',
    reverted: 'Back to the configuration file\'s values.',
    fromConfig: '(the configuration file\'s value)',
  },
});

const probeCalls = ['default', 'login', 'operation', 'none'] as const;

/** Base URL, settings and probe as they run (GET /connectors/{id}); for admins, the form that changes them (PATCH), diff first. */
export function renderSettings(data: DetailData, detail: DetailContext): HTMLElement {
  const { view } = data;
  const settingsRows = Object.entries(view.settings.value).map(([name, value]) => ({ name, value }));
  const current = h(
    'div',
    null,
    view.lastApplyError ? notice('warning', t('applyError', { at: formatDateTime(view.lastApplyError.at), message: view.lastApplyError.message })) : null,
    facts([
      [t('baseUrl'), h('span', null, h('code', null, view.baseUrl.value), ' ', h('span', { class: 'muted' }, `(${sourceText(view.baseUrl.source)})`))],
      [t('probe'), h('span', null, h('code', null, probeText(view.probe.value)), ' ', h('span', { class: 'muted' }, `(${sourceText(view.probe.source)})`))],
      [t('appliedAt'), formatDateTime(view.appliedAt)],
    ]),
    dataTable(
      t('settingsCaption', { source: sourceText(view.settings.source) }),
      [
        { label: t('name'), cell: (row) => h('code', null, row.name) },
        { label: t('value'), cell: (row) => h('code', null, typeof row.value === 'string' ? row.value : JSON.stringify(row.value)) },
      ],
      settingsRows,
      { empty: t('noSettings') },
    ),
  );
  if (!detail.isAdmin) return current;
  return h('div', null, current, editForm(data, detail));
}

function probeText(probe: ProbeSetting | null): string {
  const setting = normalizedProbe(probe);
  return [setting.call, setting.operation, setting.input ? JSON.stringify(setting.input) : undefined].filter(Boolean).join(' · ');
}

/** null (the configuration has none) and {} both mean the connector's own probe. */
function normalizedProbe(probe: ProbeSetting | null | undefined): ProbeSetting {
  return { call: probe?.call ?? 'default', ...(probe?.operation !== undefined && { operation: probe.operation }), ...(probe?.input !== undefined && { input: probe.input }) };
}

function editForm(data: DetailData, detail: DetailContext): HTMLElement {
  const { view } = data;
  const errors = new FieldErrors();
  const problemSlot = h('div');
  const titleId = uniqueId('settings-edit');

  const baseUrl = h('input', { name: 'baseUrl', type: 'text', inputmode: 'url', autocomplete: 'off', spellcheck: 'false', value: view.baseUrl.value, class: 'wide' });
  const baseUrlField = field(t('baseUrl'), baseUrl, { required: true });
  baseUrlField.append(errors.register('baseUrl', baseUrl));

  // Without the schema (an older gateway), the form still offers the settings it can see, as text.
  const schema: JsonSchema = data.settingsSchema.ok ? data.settingsSchema.value.settings : { properties: Object.fromEntries(Object.keys(view.settings.value).map((name) => [name, {}])) };
  const controls: SchemaControl[] = propertiesOf(schema).map(({ name, property, required }) => settingsControl(`settings.${name}`, name, property, view.settings.value[name], errors, { required }));

  const probe = normalizedProbe(view.probe.value);
  const call = h('select', { name: 'probe.call' }, ...probeCalls.map((value) => h('option', { value, selected: probe.call === value }, t(`call.${value}`))));
  const operations = data.settingsSchema.ok ? data.settingsSchema.value.probeableOperations : [];
  const operation = h(
    'select',
    { name: 'probe.operation' },
    h('option', { value: '' }, t('none')),
    ...[...new Set([...operations, ...(probe.operation ? [probe.operation] : [])])].map((id) => h('option', { value: id, selected: probe.operation === id }, id)),
  );
  const input = h('textarea', { name: 'probe.input', rows: 2, spellcheck: 'false', class: 'code' });
  input.value = probe.input === undefined ? '' : JSON.stringify(probe.input);
  const followCall = () => {
    operation.disabled = call.value !== 'operation';
    input.disabled = call.value !== 'operation';
  };
  call.addEventListener('change', followCall);
  followCall();
  const callField = field(t('probeCall'), call);
  callField.append(errors.register('probe', call));
  const operationField = field(t('probeOperation'), operation, { hint: t('probeOperationHint') });
  operationField.append(errors.register('probe.operation', operation));
  const inputField = field(t('probeInput'), input, { hint: t('probeInputHint') });
  inputField.append(errors.register('probe.input', input));

  const after = () => {
    const settings: Record<string, unknown> = {};
    for (const control of controls) {
      const value = control.read();
      if (value !== undefined) settings[control.name] = value;
    }
    const probeAfter: ProbeSetting = { call: call.value as ProbeSetting['call'] };
    if (call.value === 'operation') {
      if (operation.value) probeAfter.operation = operation.value;
      if (input.value.trim()) probeAfter.input = parsedOrText(input.value) as ProbeSetting['input'];
    }
    return { baseUrl: baseUrl.value, settings, probe: probeAfter };
  };
  const before = { baseUrl: view.baseUrl.value, settings: view.settings.value, probe };

  const form = h(
    'form',
    { class: 'subform', novalidate: true, 'aria-labelledby': titleId },
    h('h3', { id: titleId }, t('editTitle')),
    h('p', { class: 'muted' }, t('editLead')),
    baseUrlField,
    controls.length ? h('fieldset', null, h('legend', null, t('settingsLegend')), ...controls.map((control) => control.element)) : null,
    h('fieldset', null, h('legend', null, t('probeLegend')), callField, operationField, inputField),
    problemSlot,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('review')), revertButton(view, detail, problemSlot)),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      problemSlot.replaceChildren();
      errors.clear();
      const next = after();
      const changes = changesBetween(before, next);
      if (changes.length === 0) {
        problemSlot.replaceChildren(notice('info', t('noChange')));
        return;
      }
      const patch: SettingsPatch = {};
      if (changes.some((change) => change.field === 'baseUrl')) patch.baseUrl = next.baseUrl;
      if (changes.some((change) => change.field.startsWith('settings'))) patch.settings = next.settings;
      if (changes.some((change) => change.field.startsWith('probe'))) patch.probe = next.probe;
      const outcome = await confirmChanges(t('confirmTitle', { name: connectorName(view.connector, view.title) }), changes, () => api.patch<ConnectorView>(`/connectors/${encodeURIComponent(detail.id)}`, patch));
      if (!outcome) return;
      if ('error' in outcome) {
        errors.show(outcome.error);
        problemSlot.replaceChildren(problemNotice(outcome.error));
        return;
      }
      await detail.refresh('settings', t('saved'));
    })();
  });
  return form;
}

/** Drops what administrators set (baseUrl, settings, probe), back to the configuration file's values. */
function revertButton(view: ConnectorView, detail: DetailContext, problemSlot: HTMLElement): HTMLElement | null {
  const adminSet = (['baseUrl', 'settings', 'probe'] as const).filter((key) => view[key].source === 'admin');
  if (adminSet.length === 0) return null;
  return button(t('revert'), () => {
    void (async () => {
      const changes = adminSet.map((key) => ({ field: key, before: view[key].value, after: t('fromConfig') }));
      const patch = Object.fromEntries(adminSet.map((key) => [key, null])) as SettingsPatch;
      const outcome = await openDialog(t('revertTitle'), h('div', { class: 'connector-dialog' }, h('p', null, t('revertText')), diffTable(changes)), async () => {
        try {
          return { saved: await api.patch<ConnectorView>(`/connectors/${encodeURIComponent(detail.id)}`, patch) };
        } catch (error) {
          return { error };
        }
      }, { confirmLabel: t('revert') });
      if (!outcome) return;
      if ('error' in outcome) {
        problemSlot.replaceChildren(problemNotice(outcome.error));
        return;
      }
      await detail.refresh('settings', t('reverted'));
    })();
  });
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
