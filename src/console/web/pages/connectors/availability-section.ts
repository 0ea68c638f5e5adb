import { api } from '../../api.js';
import { button, field, openDialog, problemNotice } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages, formatNumber } from '../../i18n.js';
import type { DetailContext, DetailData } from './detail-context.js';
import { FieldErrors } from './field-errors.js';
import { connectorName } from '../../connector-names.js';
import { availabilityBadge, sourceText, t as shared } from './labels.js';
import { facts } from './section.js';
import type { ConnectorView, SettingsPatch } from './types.js';

const t = defineMessages({
  vi: {
    now: 'Hiện tại',
    enabled: 'Bật',
    maintenance: 'Bảo trì',
    maintenanceNone: 'Không',
    maintenanceValue: '“{message}” — thử lại sau {seconds} giây',
    disable: 'Tắt kết nối',
    disableTitle: 'Tắt kết nối {name}?',
    disableText: 'Mọi lệnh gọi tới kết nối này sẽ nhận ngay lỗi 503 LGSP_CONNECTOR_DISABLED, việc thăm dò tạm dừng và không có gì được gửi tới hệ thống nguồn cho tới khi bật lại. Hồ sơ đã nhận vẫn chờ trong hàng đợi gửi đi.',
    disabled: 'Đã tắt kết nối.',
    enable: 'Bật kết nối',
    enabledDone: 'Đã bật kết nối.',
    followConfig: 'Theo tệp cấu hình',
    followConfigDone: 'Trạng thái bật/tắt đã trở về giá trị trong tệp cấu hình.',
    startMaintenance: 'Bắt đầu bảo trì',
    maintenanceLegend: 'Thông báo bảo trì',
    message: 'Thông báo cho hệ thống khai thác',
    messageHint: 'Được trả về kèm lỗi 503 LGSP_CONNECTOR_MAINTENANCE (tối đa 500 ký tự).',
    retryAfter: 'Thử lại sau (giây)',
    retryAfterHint: 'Giá trị của tiêu đề Retry-After, từ 1 đến 86400.',
    maintenanceStarted: 'Đã chuyển kết nối sang chế độ bảo trì.',
    endMaintenance: 'Kết thúc bảo trì',
    maintenanceEnded: 'Đã kết thúc bảo trì.',
  },
  en: {
    now: 'Now',
    enabled: 'Switched on',
    maintenance: 'Maintenance',
    maintenanceNone: 'No',
    maintenanceValue: '“{message}” — retry after {seconds} seconds',
    disable: 'Switch off',
    disableTitle: 'Switch off {name}?',
    disableText: 'Every call to this connector gets 503 LGSP_CONNECTOR_DISABLED at once, its probe pauses and nothing reaches the upstream until it is switched on again. Dossiers already accepted wait in the outbox.',
    disabled: 'The connector is switched off.',
    enable: 'Switch on',
    enabledDone: 'The connector is switched on.',
    followConfig: 'Follow the configuration file',
    followConfigDone: 'On/off is back to the configuration file\'s value.',
    startMaintenance: 'Start maintenance',
    maintenanceLegend: 'Maintenance notice',
    message: 'Message to consumers',
    messageHint: 'Returned with 503 LGSP_CONNECTOR_MAINTENANCE (at most 500 characters).',
    retryAfter: 'Retry after (seconds)',
    retryAfterHint: 'The Retry-After header, from 1 to 86400.',
    maintenanceStarted: 'The connector is under maintenance.',
    endMaintenance: 'End maintenance',
    maintenanceEnded: 'Maintenance has ended.',
  },
});

/** On, off and maintenance: what PATCH /connectors/{id} offers for availability (enabled, maintenance). */
export function renderAvailability(data: DetailData, detail: DetailContext): HTMLElement {
  const { view } = data;
  const state = facts([
    [t('now'), availabilityBadge(view.availability)],
    [t('enabled'), h('span', null, view.enabled.value ? shared('yes') : shared('no'), ' ', h('span', { class: 'muted' }, `(${sourceText(view.enabled.source)})`))],
    [t('maintenance'), view.maintenance ? t('maintenanceValue', { message: view.maintenance.message, seconds: formatNumber(view.maintenance.retryAfterSeconds) }) : t('maintenanceNone')],
  ]);
  if (!detail.isAdmin) return h('div', null, state);

  const problemSlot = h('div');
  const patch = async (body: SettingsPatch, message: string) => {
    problemSlot.replaceChildren();
    try {
      await api.patch<ConnectorView>(`/connectors/${encodeURIComponent(detail.id)}`, body);
    } catch (error) {
      problemSlot.replaceChildren(problemNotice(error));
      return;
    }
    await detail.refresh('availability', message);
  };
  const onOff = view.enabled.value
    ? button(t('disable'), () => void confirmDisable(view, () => patch({ enabled: false }, t('disabled'))), { kind: 'danger' })
    : button(t('enable'), () => void patch({ enabled: true }, t('enabledDone')), { kind: 'primary' });
  const followConfig = view.enabled.source === 'admin' ? button(t('followConfig'), () => void patch({ enabled: null }, t('followConfigDone'))) : null;

  return h('div', null, state, h('div', { class: 'actions' }, onOff, followConfig), problemSlot, view.maintenance ? h('div', { class: 'actions' }, button(t('endMaintenance'), () => void patch({ maintenance: null }, t('maintenanceEnded')))) : maintenanceForm(detail));
}

async function confirmDisable(view: ConnectorView, disable: () => Promise<void>): Promise<void> {
  const confirmed = await openDialog(t('disableTitle', { name: connectorName(view.connector, view.title) }), h('p', null, t('disableText')), async () => true, { confirmLabel: t('disable'), danger: true });
  if (confirmed) await disable();
}

function maintenanceForm(detail: DetailContext): HTMLElement {
  const errors = new FieldErrors();
  const problemSlot = h('div');
  const message = h('textarea', { name: 'message', rows: 2, maxlength: 500 });
  const retryAfter = h('input', { name: 'retryAfterSeconds', type: 'text', inputmode: 'numeric', autocomplete: 'off', value: '900' });
  const messageField = field(t('message'), message, { hint: t('messageHint'), required: true });
  messageField.append(errors.register('maintenance.message', message));
  const retryField = field(t('retryAfter'), retryAfter, { hint: t('retryAfterHint'), required: true });
  retryField.append(errors.register('maintenance.retryAfterSeconds', retryAfter));
  errors.register('maintenance', message);
  const form = h(
    'form',
    { class: 'subform', novalidate: true },
    h('fieldset', null, h('legend', null, t('maintenanceLegend')), messageField, retryField),
    problemSlot,
    h('button', { type: 'submit', class: 'button button-secondary' }, t('startMaintenance')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      problemSlot.replaceChildren();
      errors.clear();
      const seconds = Number(retryAfter.value.trim());
      const body = { maintenance: { message: message.value, retryAfterSeconds: retryAfter.value.trim() !== '' && Number.isFinite(seconds) ? seconds : retryAfter.value } };
      try {
        await api.patch<ConnectorView>(`/connectors/${encodeURIComponent(detail.id)}`, body);
      } catch (error) {
        errors.show(error);
        problemSlot.replaceChildren(problemNotice(error));
        return;
      }
      await detail.refresh('availability', t('maintenanceStarted'));
    })();
  });
  return form;
}
