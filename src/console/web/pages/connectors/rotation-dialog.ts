import { api } from '../../api.js';
import { field, notice, openDialog } from '../../components.js';
import { h, uniqueId } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import { FieldErrors } from './field-errors.js';
import { propertiesOf } from './schema-fields.js';
import type { CredentialSchemaView, CredentialVersion, JsonSchema } from './types.js';

const t = defineMessages({
  vi: {
    title: 'Phiên bản thông tin xác thực mới — {name}',
    intro: 'Chỉ ghi: giá trị nhập ở đây được gửi một lần tới cổng, mã hoá trong kho bí mật và không bao giờ hiển thị lại (kể cả với quản trị viên). Phiên bản mới chưa được dùng cho tới khi bạn kiểm tra kết nối và kích hoạt nó.',
    loginLegend: 'Thông tin đăng nhập vào hệ thống nguồn',
    tlsLegend: 'TLS hai chiều (không bắt buộc)',
    secretHint: 'Giá trị bí mật: chỉ ghi, không bao giờ hiển thị lại.',
    pemHint: 'Dán nội dung PEM (bắt đầu bằng -----BEGIN …).',
    expiresAt: 'Hết hạn lúc (không bắt buộc)',
    expiresAtHint: 'Khi thông tin này ngừng hiệu lực; cổng cảnh báo trước 30, 7 và 1 ngày. Với chứng chỉ máy khách, ngày hết hạn của chứng chỉ được dùng nếu sớm hơn.',
    stage: 'Lưu phiên bản (chưa kích hoạt)',
    'label.clientId': 'Mã client OAuth2',
    'label.clientSecret': 'Khoá bí mật của client',
    'label.username': 'Tài khoản dịch vụ',
    'label.password': 'Mật khẩu',
    'label.scope': 'Phạm vi (scope)',
    'label.accessKey': 'AccessKey',
    'label.secretKey': 'SecretKey',
    'label.appName': 'Tên ứng dụng',
    'label.partnerCode': 'Mã đối tác',
    'label.partnerCodeCus': 'Mã đơn vị gọi',
    'label.dstcode': 'Mã hệ thống đích (dstcode)',
    'label.clientCertificate': 'Chứng chỉ máy khách (PEM)',
    'label.clientKey': 'Khoá riêng của chứng chỉ (PEM)',
    'label.caCertificate': 'Chứng chỉ CA của hệ thống nguồn (PEM)',
  },
  en: {
    title: 'New credential version — {name}',
    intro: 'Write-only: what you type here goes to the gateway once, is encrypted in the vault and is never shown again (to administrators neither). The new version is not used until you test the connection and activate it.',
    loginLegend: 'Login to the upstream',
    tlsLegend: 'Mutual TLS (optional)',
    secretHint: 'Secret value: write-only, never shown again.',
    pemHint: 'Paste the PEM text (starting with -----BEGIN …).',
    expiresAt: 'Expires at (optional)',
    expiresAtHint: 'When these credentials stop working; the gateway warns 30, 7 and 1 days before. With a client certificate, its own expiry is used when it is earlier.',
    stage: 'Save the version (not active yet)',
    'label.clientId': 'OAuth2 client id',
    'label.clientSecret': 'Client secret',
    'label.username': 'Service account',
    'label.password': 'Password',
    'label.scope': 'Scope',
    'label.accessKey': 'AccessKey',
    'label.secretKey': 'SecretKey',
    'label.appName': 'Application name',
    'label.partnerCode': 'Partner code',
    'label.partnerCodeCus': 'Calling unit code',
    'label.dstcode': 'Destination system (dstcode)',
    'label.clientCertificate': 'Client certificate (PEM)',
    'label.clientKey': 'Client certificate\'s private key (PEM)',
    'label.caCertificate': 'Upstream\'s CA certificate (PEM)',
  },
});

/** The transport's fields every connector accepts (src/connector-runtime/credential-schema.ts), shown apart from the login's. */
const transportFields = new Set(['clientCertificate', 'clientKey', 'caCertificate']);
const knownLabels = new Set(['clientId', 'clientSecret', 'username', 'password', 'scope', 'accessKey', 'secretKey', 'appName', 'partnerCode', 'partnerCodeCus', 'dstcode', 'clientCertificate', 'clientKey', 'caCertificate']);

interface CredentialControl {
  name: string;
  control: HTMLInputElement | HTMLTextAreaElement;
  secret: boolean;
  element: HTMLElement;
}

function labelOf(name: string): string {
  return knownLabels.has(name) ? `${t(`label.${name}` as Parameters<typeof t>[0])} (${name})` : name;
}

/**
 * A control that never holds a value from the server (there is none to
 * hold): secrets are password inputs the browser neither fills nor offers
 * to remember, a secret PEM key a masked text area.
 */
function credentialControl(name: string, property: JsonSchema, required: boolean, secret: boolean, errors: FieldErrors): CredentialControl {
  const id = uniqueId(`credential-${name}`);
  const pem = typeof property.pattern === 'string' && property.pattern.includes('BEGIN');
  const common = { id, name: `credentials.${name}`, autocomplete: secret ? 'new-password' : 'off', spellcheck: 'false', autocapitalize: 'off' };
  const control = pem ? h('textarea', { ...common, rows: 4, class: secret ? 'code secret-text' : 'code' }) : h('input', { ...common, type: secret ? 'password' : 'text', class: 'wide' });
  const hint = [secret ? t('secretHint') : '', pem ? t('pemHint') : ''].filter(Boolean).join(' ');
  const element = field(labelOf(name), control, { ...(hint && { hint }), ...(required && { required: true }) });
  element.append(errors.register(`credentials.${name}`, control));
  return { name, control, secret, element };
}

/**
 * The rotation's first step: the write-only form built from the connector's
 * credential schema, staging a new version (POST /connectors/{id}/credentials).
 * Whatever happens, the secret boxes are emptied once the gateway has
 * answered; on success every box is, and the dialog goes.
 */
export async function openRotationDialog(connectorId: string, name: string, schemaView: CredentialSchemaView): Promise<CredentialVersion | undefined> {
  const errors = new FieldErrors();
  const secrets = new Set(schemaView.secretFields);
  const controls = propertiesOf(schemaView.schema).map(({ name: fieldName, property, required }) => credentialControl(fieldName, property, required, secrets.has(fieldName), errors));
  const expiresAt = h('input', { type: 'datetime-local', name: 'expiresAt', autocomplete: 'off' });
  const expiresField = field(t('expiresAt'), expiresAt, { hint: t('expiresAtHint') });
  expiresField.append(errors.register('expiresAt', expiresAt));
  const login = controls.filter((control) => !transportFields.has(control.name));
  const transport = controls.filter((control) => transportFields.has(control.name));

  const clear = (which: 'secrets' | 'all') => {
    for (const control of controls) if (which === 'all' || control.secret) control.control.value = '';
    if (which === 'all') expiresAt.value = '';
  };
  const body = h(
    'div',
    { class: 'connector-dialog' },
    notice('info', t('intro')),
    h('fieldset', null, h('legend', null, t('loginLegend')), ...login.map((control) => control.element)),
    transport.length ? h('fieldset', null, h('legend', null, t('tlsLegend')), ...transport.map((control) => control.element)) : null,
    expiresField,
  );
  try {
    return await openDialog(
      t('title', { name }),
      body,
      async () => {
        errors.clear();
        const credentials: Record<string, string> = {};
        for (const control of controls) if (control.control.value !== '') credentials[control.name] = control.control.value;
        const expiry = expiresAt.value ? new Date(expiresAt.value) : undefined;
        try {
          return await api.post<CredentialVersion>(`/connectors/${encodeURIComponent(connectorId)}/credentials`, {
            credentials,
            // A date the browser cannot read goes as typed: the API names the field it refuses.
            ...(expiry && { expiresAt: Number.isNaN(expiry.getTime()) ? expiresAt.value : expiry.toISOString() }),
          });
        } catch (error) {
          errors.show(error);
          throw error;
        } finally {
          clear('secrets');
        }
      },
      { confirmLabel: t('stage') },
    );
  } finally {
    clear('all');
  }
}
