import { api } from '../../api.js';
import { button, dataTable, field, openDialog, problemNotice } from '../../components.js';
import { h, uniqueId } from '../../dom.js';
import { defineMessages, formatDateTime, formatNumber } from '../../i18n.js';
import { changesBetween, confirmChanges } from './change-diff.js';
import type { DetailContext, DetailData } from './detail-context.js';
import { FieldErrors } from './field-errors.js';
import { connectorName } from '../../connector-names.js';
import type { EffectivePolicy, ResilienceOverride, ResilienceView } from './types.js';

const t = defineMessages({
  vi: {
    lead: 'Chính sách đang áp dụng là kết quả của mặc định, khai báo của kết nối, tệp cấu hình và ghi đè của quản trị viên (nếu có).',
    caption: 'Chính sách chung của kết nối',
    setting: 'Thiết lập',
    effective: 'Đang áp dụng',
    override: 'Ghi đè của quản trị viên',
    operationsCaption: 'Theo từng thao tác',
    operation: 'Thao tác',
    timeout: 'Thời gian chờ',
    attempts: 'Số lần thử',
    overrideBy: 'Ghi đè do {by} đặt lúc {at}.',
    noOverride: 'Chưa có ghi đè: chính sách lấy từ mặc định và tệp cấu hình.',
    timeoutMs: 'Thời gian chờ mỗi lần gọi (ms)',
    connectTimeoutMs: 'Thời gian chờ mở kết nối (ms)',
    'breaker.errorThresholdPercentage': 'Cầu dao: tỷ lệ lỗi để mở (%)',
    'breaker.volumeThreshold': 'Cầu dao: số lệnh gọi tối thiểu trong cửa sổ',
    'breaker.rollingWindowMs': 'Cầu dao: cửa sổ thống kê (ms)',
    'breaker.resetTimeoutMs': 'Cầu dao: thời gian mở trước khi thử lại (ms)',
    'retry.maxAttempts': 'Thử lại: số lần gọi tối đa (kể cả lần đầu)',
    'retry.baseDelayMs': 'Thử lại: độ trễ cơ sở (ms)',
    'retry.maxDelayMs': 'Thử lại: độ trễ tối đa (ms)',
    'bulkhead.maxConcurrent': 'Vách ngăn: số lệnh gọi đồng thời tối đa',
    'bulkhead.maxQueue': 'Vách ngăn: số lệnh gọi chờ tối đa',
    editTitle: 'Sửa ghi đè',
    editLead: 'Để trống một ô để dùng giá trị từ tệp cấu hình hoặc mặc định. Thời gian chờ mở kết nối chỉ đổi được trong tệp cấu hình (áp dụng khi khởi động lại).',
    nowValue: 'Đang áp dụng: {value}',
    review: 'Xem thay đổi trước khi lưu',
    noChange: 'Chưa có thay đổi nào so với ghi đè hiện tại.',
    confirmTitle: 'Lưu ghi đè chính sách chịu lỗi của {name}?',
    saved: 'Đã lưu ghi đè. Mọi máy chủ của cổng áp dụng trong vòng một chu kỳ làm mới.',
    remove: 'Xoá ghi đè',
    removeTitle: 'Xoá ghi đè chính sách chịu lỗi?',
    removeText: 'Kết nối sẽ dùng lại chính sách từ mặc định và tệp cấu hình.',
    removed: 'Đã xoá ghi đè.',
    unavailable: 'Không đọc được chính sách chịu lỗi.',
  },
  en: {
    lead: 'The policy in force resolves the defaults, the connector\'s declarations, the configuration file and an administrator\'s override (if any).',
    caption: 'Connector-wide policy',
    setting: 'Setting',
    effective: 'In force',
    override: 'Administrator override',
    operationsCaption: 'Per operation',
    operation: 'Operation',
    timeout: 'Timeout',
    attempts: 'Attempts',
    overrideBy: 'Override set by {by} at {at}.',
    noOverride: 'No override: the policy comes from the defaults and the configuration file.',
    timeoutMs: 'Timeout of one attempt (ms)',
    connectTimeoutMs: 'Connect timeout (ms)',
    'breaker.errorThresholdPercentage': 'Breaker: error percentage that opens it',
    'breaker.volumeThreshold': 'Breaker: calls in the window before it counts',
    'breaker.rollingWindowMs': 'Breaker: rolling window (ms)',
    'breaker.resetTimeoutMs': 'Breaker: time open before a trial call (ms)',
    'retry.maxAttempts': 'Retry: attempts in all (first included)',
    'retry.baseDelayMs': 'Retry: base delay (ms)',
    'retry.maxDelayMs': 'Retry: maximum delay (ms)',
    'bulkhead.maxConcurrent': 'Bulkhead: calls in flight at most',
    'bulkhead.maxQueue': 'Bulkhead: calls waiting at most',
    editTitle: 'Edit the override',
    editLead: 'Leave a box empty to use the configuration file\'s or the default value. The connect timeout changes only in the configuration file (at the next start).',
    nowValue: 'In force: {value}',
    review: 'Review changes before saving',
    noChange: 'Nothing differs from the current override yet.',
    confirmTitle: 'Save the resilience override of {name}?',
    saved: 'Override saved. Every gateway replica applies it within one refresh interval.',
    remove: 'Remove the override',
    removeTitle: 'Remove the resilience override?',
    removeText: 'The connector goes back to the policy of the defaults and the configuration file.',
    removed: 'Override removed.',
    unavailable: 'The resilience policy could not be read.',
  },
});

/** The connector-wide settings an override may change at run time (connectTimeoutMs is the transport's: config and restart). */
const editable = ['timeoutMs', 'breaker.errorThresholdPercentage', 'breaker.volumeThreshold', 'breaker.rollingWindowMs', 'breaker.resetTimeoutMs', 'retry.maxAttempts', 'retry.baseDelayMs', 'retry.maxDelayMs', 'bulkhead.maxConcurrent', 'bulkhead.maxQueue'] as const;
type PolicyKey = (typeof editable)[number] | 'connectTimeoutMs';
const shownKeys: readonly PolicyKey[] = ['connectTimeoutMs', ...editable];

function valueAt(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), source);
}

/** The effective policy, the override, and for admins the override's form (PUT) and removal (DELETE). */
export function renderResilience(data: DetailData, detail: DetailContext): HTMLElement {
  if (!data.resilience.ok) return h('div', null, data.health.ok ? policyTables(data.health.value.policy, null) : null, problemNotice(data.resilience.error));
  const view = data.resilience.value;
  return h(
    'div',
    null,
    h('p', { class: 'muted' }, t('lead')),
    h('p', null, view.override && view.updatedBy ? t('overrideBy', { by: view.updatedBy, at: formatDateTime(view.updatedAt) }) : t('noOverride')),
    policyTables(view.effective, view.override),
    detail.isAdmin ? overrideForm(view, detail, connectorName(data.view.connector, data.view.title)) : null,
  );
}

function policyTables(effective: EffectivePolicy, override: ResilienceOverride | null): HTMLElement {
  const shownValue = (value: unknown) => (typeof value === 'number' ? formatNumber(value) : '—');
  return h(
    'div',
    null,
    dataTable(t('caption'), [
      { label: t('setting'), cell: (key: PolicyKey) => h('span', null, t(key), ' ', h('code', { class: 'muted' }, key)) },
      { label: t('effective'), numeric: true, cell: (key: PolicyKey) => shownValue(valueAt(effective, key)) },
      { label: t('override'), numeric: true, cell: (key: PolicyKey) => shownValue(valueAt(override, key)) },
    ], shownKeys),
    dataTable(
      t('operationsCaption'),
      [
        { label: t('operation'), cell: ([id]: [string, EffectivePolicy['operations'][string]]) => h('code', null, id) },
        { label: t('timeout'), numeric: true, cell: ([, policy]) => `${formatNumber(policy.timeoutMs)} ms` },
        { label: t('attempts'), numeric: true, cell: ([, policy]) => formatNumber(policy.retry.maxAttempts) },
      ],
      Object.entries(effective.operations),
    ),
  );
}

function overrideForm(view: ResilienceView, detail: DetailContext, name: string): HTMLElement {
  const errors = new FieldErrors();
  const problemSlot = h('div');
  const titleId = uniqueId('resilience-edit');
  const inputs = editable.map((key) => {
    const current = valueAt(view.override, key);
    const input = h('input', { name: key, type: 'text', inputmode: 'numeric', autocomplete: 'off', value: typeof current === 'number' ? String(current) : '' });
    const wrapper = field(t(key), input, { hint: t('nowValue', { value: formatNumber(valueAt(view.effective, key) as number) }) });
    wrapper.append(errors.register(key, input));
    return { key, input, wrapper };
  });
  const after = (): ResilienceOverride => {
    // Per-operation entries are kept as they are: this form edits the connector-wide part.
    const next: Record<string, unknown> = view.override?.operations ? { operations: view.override.operations } : {};
    for (const { key, input } of inputs) {
      const text = input.value.trim();
      if (text === '') continue;
      const value = Number.isFinite(Number(text)) ? Number(text) : text;
      const [head, tail] = key.split('.') as [string, string | undefined];
      if (tail) next[head] = { ...(next[head] as Record<string, unknown> | undefined), [tail]: value };
      else next[head] = value;
    }
    return next as ResilienceOverride;
  };
  const path = `/connectors/${encodeURIComponent(detail.id)}/resilience`;
  const form = h(
    'form',
    { class: 'subform', novalidate: true, 'aria-labelledby': titleId },
    h('h3', { id: titleId }, t('editTitle')),
    h('p', { class: 'muted' }, t('editLead')),
    h('div', { class: 'field-grid' }, ...inputs.map((item) => item.wrapper)),
    problemSlot,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, t('review')),
      view.override ? button(t('remove'), () => void remove(), { kind: 'danger' }) : null,
    ),
  );
  const remove = async () => {
    const outcome = await openDialog(t('removeTitle'), h('p', null, t('removeText')), async () => {
      try {
        await api.delete(path);
        return { saved: true };
      } catch (error) {
        return { error };
      }
    }, { confirmLabel: t('remove'), danger: true });
    if (!outcome) return;
    if ('error' in outcome) {
      problemSlot.replaceChildren(problemNotice(outcome.error));
      return;
    }
    await detail.refresh('resilience', t('removed'));
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      problemSlot.replaceChildren();
      errors.clear();
      const next = after();
      const changes = changesBetween(view.override ?? {}, next);
      if (changes.length === 0) {
        problemSlot.replaceChildren(h('div', { class: 'notice notice-info', role: 'status' }, t('noChange')));
        return;
      }
      // Nothing left to override: the override goes, rather than an empty one staying.
      const save = Object.keys(next).length === 0 ? () => api.delete(path) : () => api.put(path, next);
      const outcome = await confirmChanges(t('confirmTitle', { name }), changes, save);
      if (!outcome) return;
      if ('error' in outcome) {
        errors.show(outcome.error);
        problemSlot.replaceChildren(problemNotice(outcome.error));
        return;
      }
      await detail.refresh('resilience', t('saved'));
    })();
  });
  return form;
}
