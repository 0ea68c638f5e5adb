import { field } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import { FormErrors } from './form-errors.js';
import type { Consumer, ConsumerStatus, RatePolicy } from './model.js';
import { common } from './texts.js';
import { numberInput, numberOf, textInput, textOf } from './ui.js';

const t = defineMessages({
  vi: {
    id: 'Mã hệ thống',
    idHint: 'Chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ mot-cua-tinh. Không đổi được sau khi tạo.',
    clientId: 'Mã client trên Keycloak',
    clientIdHint: 'Mã client mà token của hệ thống mang (azp / client_id).',
    name: 'Tên hệ thống',
    agency: 'Cơ quan chủ quản',
    status: 'Trạng thái',
    contact: 'Đầu mối liên hệ',
    contactName: 'Họ và tên',
    contactEmail: 'Thư điện tử',
    contactPhone: 'Điện thoại',
    phoneHint: 'Chữ số, dấu cách và + ( ) . -, từ 6 đến 20 ký tự.',
    rateLimit: 'Hạn mức chung của hệ thống',
    rateLimitHint: 'Áp dụng cho mọi lời gọi của hệ thống; để trống cả nhóm nếu không giới hạn riêng.',
    limit: 'Số yêu cầu tối đa',
    windowSeconds: 'Trong khoảng (giây)',
    burst: 'Thêm khi cao điểm',
    burstWindowSeconds: 'Chu kỳ nạp lại phần cao điểm (giây)',
  },
  en: {
    id: 'System id',
    idHint: 'Lower-case letters, digits and hyphens, e.g. province-one-stop. Cannot change once created.',
    clientId: 'Keycloak client id',
    clientIdHint: 'The client id the system’s tokens carry (azp / client_id).',
    name: 'System name',
    agency: 'Owning agency',
    status: 'Status',
    contact: 'Contact',
    contactName: 'Name',
    contactEmail: 'Email',
    contactPhone: 'Phone',
    phoneHint: 'Digits, spaces and + ( ) . -, 6 to 20 characters.',
    rateLimit: 'Overall quota of the system',
    rateLimitHint: 'Applies to every call of the system; leave the group empty for no quota of its own.',
    limit: 'Maximum requests',
    windowSeconds: 'Per (seconds)',
    burst: 'Extra at peaks',
    burstWindowSeconds: 'Peak reserve refill (seconds)',
  },
});

export interface ConsumerForm {
  body: HTMLElement;
  errors: FormErrors;
  read(): Consumer;
}

/** The fields of a consumer (contracts/admin/v1/consumer.json), for the create and edit dialogs. */
export function consumerForm(existing?: Consumer): ConsumerForm {
  const errors = new FormErrors();
  const id = textInput({ name: 'id', value: existing?.id ?? '', maxlength: '63', readonly: existing ? true : undefined, spellcheck: 'false' });
  const clientId = textInput({ name: 'clientId', value: existing?.clientId ?? '', maxlength: '255', spellcheck: 'false' });
  const name = textInput({ name: 'name', value: existing?.name ?? '', maxlength: '200' });
  const agency = textInput({ name: 'agency', value: existing?.agency ?? '', maxlength: '200' });
  const status = h(
    'select',
    { name: 'status' },
    ...(['active', 'suspended'] as const).map((value) => h('option', { value, selected: (existing?.status ?? 'active') === value }, common(`status.${value}`))),
  );
  const contactName = textInput({ name: 'contact.name', value: existing?.contact?.name ?? '', maxlength: '200', autocomplete: 'off' });
  const contactEmail = h('input', { type: 'email', name: 'contact.email', value: existing?.contact?.email ?? '', autocomplete: 'off' });
  const contactPhone = h('input', { type: 'tel', name: 'contact.phone', value: existing?.contact?.phone ?? '', autocomplete: 'off' });
  const rate = {
    limit: numberInput(existing?.rateLimit?.limit, { name: 'rateLimit.limit', min: '1' }),
    windowSeconds: numberInput(existing?.rateLimit?.windowSeconds, { name: 'rateLimit.windowSeconds', min: '1', max: '86400' }),
    burst: numberInput(existing?.rateLimit?.burst, { name: 'rateLimit.burst', min: '0' }),
    burstWindowSeconds: numberInput(existing?.rateLimit?.burstWindowSeconds, { name: 'rateLimit.burstWindowSeconds', min: '1' }),
  };

  // A new system's client id is usually its id: follow the id until someone types a client id of their own.
  let clientIdTouched = Boolean(existing);
  clientId.addEventListener('input', () => (clientIdTouched = true));
  id.addEventListener('input', () => {
    if (!clientIdTouched) clientId.value = id.value;
  });

  const withError = (fieldName: string, wrapper: HTMLElement) => {
    wrapper.append(errors.slot(fieldName, wrapper.querySelector('input, select') as HTMLElement));
    return wrapper;
  };
  const rateSet = h(
    'fieldset',
    null,
    h('legend', null, t('rateLimit')),
    h('p', { class: 'hint' }, t('rateLimitHint')),
    h('div', { class: 'form-row' }, ...(Object.keys(rate) as Array<keyof typeof rate>).map((key) => withError(`rateLimit.${key}`, field(t(key), rate[key])))),
  );
  rateSet.querySelector('legend')!.after(errors.slot('rateLimit', rateSet));
  const contactSet = h(
    'fieldset',
    null,
    h('legend', null, t('contact')),
    h(
      'div',
      { class: 'form-row' },
      withError('contact.name', field(t('contactName'), contactName)),
      withError('contact.email', field(t('contactEmail'), contactEmail)),
      withError('contact.phone', field(t('contactPhone'), contactPhone, { hint: t('phoneHint') })),
    ),
  );

  const body = h(
    'div',
    { class: 'consumer-form' },
    h(
      'div',
      { class: 'form-row' },
      withError('id', field(t('id'), id, { required: true, hint: existing ? undefined : t('idHint') })),
      withError('clientId', field(t('clientId'), clientId, { required: true, hint: t('clientIdHint') })),
    ),
    h('div', { class: 'form-row' }, withError('name', field(t('name'), name, { required: true })), withError('agency', field(t('agency'), agency, { required: true }))),
    existing ? null : withError('status', field(t('status'), status)),
    contactSet,
    rateSet,
  );

  return {
    body,
    errors,
    read() {
      const contact = { name: textOf(contactName), email: textOf(contactEmail), phone: textOf(contactPhone) };
      const rateLimit = { limit: numberOf(rate.limit), windowSeconds: numberOf(rate.windowSeconds), burst: numberOf(rate.burst), burstWindowSeconds: numberOf(rate.burstWindowSeconds) };
      return {
        id: id.value.trim(),
        clientId: clientId.value.trim(),
        name: name.value.trim(),
        agency: agency.value.trim(),
        status: existing ? existing.status : (status.value as ConsumerStatus),
        ...(Object.values(contact).some((value) => value !== undefined) && { contact }),
        ...(Object.values(rateLimit).some((value) => value !== undefined) && { rateLimit: rateLimit as RatePolicy }),
      };
    },
  };
}
