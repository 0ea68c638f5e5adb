import { api } from '../../api.js';
import { announce, button, field, openDialog } from '../../components.js';
import { h, uniqueId } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import { labelNameInputPattern, matcherOps, type Matcher, type MatcherOp, type SilenceInput, type SilenceView } from './alert-model.js';
import { matcherOpName } from './alert-format.js';
import { fromProvinceInput, toProvinceInput } from './province-time.js';

const t = defineMessages({
  vi: {
    title: 'Tạm tắt thông báo',
    intro: 'Trong thời gian tạm tắt, các cảnh báo khớp mọi điều kiện dưới đây vẫn được ghi nhận và hiển thị nhưng không gửi thông báo. Hãy bỏ bớt điều kiện nếu muốn tạm tắt rộng hơn.',
    matchers: 'Điều kiện khớp (nhãn của cảnh báo)',
    matcherName: 'Tên nhãn, điều kiện {n}',
    matcherOp: 'Phép so sánh, điều kiện {n}',
    matcherValue: 'Giá trị, điều kiện {n}',
    remove: 'Bỏ',
    removeMatcher: 'Bỏ điều kiện {n}',
    addMatcher: 'Thêm điều kiện',
    nameHint: 'Chữ cái, chữ số hoặc dấu gạch dưới, không bắt đầu bằng chữ số.',
    startsAt: 'Bắt đầu',
    startsAtHint: 'Để trống: bắt đầu ngay. Giờ Việt Nam (UTC+7).',
    endsAt: 'Hết hạn',
    endsAtHint: 'Bắt buộc: lệnh tạm tắt nào cũng phải có hạn. Giờ Việt Nam (UTC+7).',
    quick: 'Chọn nhanh thời hạn',
    in1h: 'Sau 1 giờ',
    in4h: 'Sau 4 giờ',
    in1d: 'Sau 1 ngày',
    endsAfterStart: 'Thời điểm hết hạn phải sau thời điểm bắt đầu và sau hiện tại.',
    reason: 'Lý do',
    reasonHint: 'Ví dụ: bảo trì theo lịch của đơn vị vận hành (3–1000 ký tự).',
    confirm: 'Tạm tắt',
    done: 'Đã tạo lệnh tạm tắt thông báo.',
  },
  en: {
    title: 'Silence notices',
    intro: 'While the silence lasts, alerts matching every condition below are still recorded and shown, but no notice is sent. Remove conditions to silence more broadly.',
    matchers: 'Conditions (the alert’s labels)',
    matcherName: 'Label name, condition {n}',
    matcherOp: 'Comparison, condition {n}',
    matcherValue: 'Value, condition {n}',
    remove: 'Remove',
    removeMatcher: 'Remove condition {n}',
    addMatcher: 'Add a condition',
    nameHint: 'Letters, digits or underscores, not starting with a digit.',
    startsAt: 'Starts',
    startsAtHint: 'Empty: starts now. Vietnam time (UTC+7).',
    endsAt: 'Expires',
    endsAtHint: 'Required: every silence ends. Vietnam time (UTC+7).',
    quick: 'Quick expiry',
    in1h: 'In 1 hour',
    in4h: 'In 4 hours',
    in1d: 'In 1 day',
    endsAfterStart: 'The expiry must be after the start and in the future.',
    reason: 'Reason',
    reasonHint: 'For example: the operator’s scheduled maintenance (3–1000 characters).',
    confirm: 'Silence',
    done: 'Silence created.',
  },
});

const hour = 60 * 60_000;

/**
 * POST /silences from a dialog: the matchers start as `prefill` (an alert's
 * labels), every one editable or removable; the expiry is required (the form
 * refuses to send without one). Resolves with the created silence, or
 * undefined when cancelled.
 */
export async function createSilence(prefill: readonly Matcher[]): Promise<SilenceView | undefined> {
  const rows = h('ol', { class: 'matcher-rows' });
  const relabel = () => {
    const items = [...rows.children] as HTMLElement[];
    items.forEach((row, index) => {
      const n = String(index + 1);
      row.querySelector('.matcher-name')!.setAttribute('aria-label', t('matcherName', { n }));
      row.querySelector('.matcher-op')!.setAttribute('aria-label', t('matcherOp', { n }));
      row.querySelector('.matcher-value')!.setAttribute('aria-label', t('matcherValue', { n }));
      const remove = row.querySelector<HTMLButtonElement>('.matcher-remove')!;
      // A short word on screen, the full name (which condition) for screen readers and voice control.
      remove.textContent = t('remove');
      remove.setAttribute('aria-label', t('removeMatcher', { n }));
      // The API needs at least one condition: the last one stays.
      remove.disabled = items.length === 1;
    });
  };
  const addRow = (matcher: Matcher) => {
    const row = h(
      'li',
      { class: 'matcher-row' },
      h('input', { class: 'matcher-name', name: 'matcher-name', value: matcher.name, required: true, pattern: labelNameInputPattern, maxlength: '63', autocomplete: 'off', spellcheck: 'false', title: t('nameHint') }),
      h('select', { class: 'matcher-op', name: 'matcher-op' }, ...matcherOps.map((op) => h('option', { value: op, selected: op === matcher.op }, `${op} (${matcherOpName(op)})`))),
      h('input', { class: 'matcher-value', name: 'matcher-value', value: matcher.value, maxlength: '200', autocomplete: 'off', spellcheck: 'false' }),
      button('', () => {
        row.remove();
        relabel();
      }, { kind: 'secondary' }),
    );
    row.querySelector('button')!.classList.add('matcher-remove');
    rows.append(row);
    relabel();
  };
  for (const matcher of prefill.length > 0 ? prefill : [{ name: '', op: '=' as const, value: '' }]) addRow(matcher);

  const startsAt = h('input', { type: 'datetime-local', name: 'startsAt' });
  const endsAt = h('input', { type: 'datetime-local', name: 'endsAt', min: toProvinceInput(new Date()) });
  const checkEnd = () => {
    const end = fromProvinceInput(endsAt.value);
    const start = fromProvinceInput(startsAt.value) ?? new Date();
    endsAt.setCustomValidity(end && end.getTime() <= Math.max(start.getTime(), Date.now()) ? t('endsAfterStart') : '');
  };
  startsAt.addEventListener('input', checkEnd);
  endsAt.addEventListener('input', checkEnd);
  const quick = (label: string, ms: number) =>
    button(label, () => {
      const start = fromProvinceInput(startsAt.value) ?? new Date();
      endsAt.value = toProvinceInput(new Date(Math.max(start.getTime(), Date.now()) + ms));
      checkEnd();
    });
  const reason = h('textarea', { name: 'reason', minlength: '3', maxlength: '1000', rows: '2' });

  const body = h(
    'div',
    { class: 'silence-form' },
    h('p', { class: 'hint' }, t('intro')),
    h(
      'fieldset',
      null,
      h('legend', null, t('matchers')),
      rows,
      button(t('addMatcher'), () => {
        addRow({ name: '', op: '=', value: '' });
        (rows.lastElementChild?.querySelector('input') as HTMLInputElement | null)?.focus();
      }),
    ),
    h(
      'div',
      { class: 'silence-times' },
      field(t('startsAt'), startsAt, { hint: t('startsAtHint') }),
      field(t('endsAt'), endsAt, { hint: t('endsAtHint'), required: true }),
      h('div', { class: 'quick-expiry', role: 'group', 'aria-label': t('quick'), id: uniqueId('quick') }, quick(t('in1h'), hour), quick(t('in4h'), 4 * hour), quick(t('in1d'), 24 * hour)),
    ),
    field(t('reason'), reason, { hint: t('reasonHint'), required: true }),
  );

  const created = await openDialog(
    t('title'),
    body,
    () => {
      const matchers = [...rows.children].map((row) => ({
        name: (row.querySelector('.matcher-name') as HTMLInputElement).value.trim(),
        op: (row.querySelector('.matcher-op') as HTMLSelectElement).value as MatcherOp,
        value: (row.querySelector('.matcher-value') as HTMLInputElement).value,
      }));
      const start = fromProvinceInput(startsAt.value);
      const input: SilenceInput = {
        matchers,
        // reportValidity has refused an empty expiry; an unreadable one goes as typed, for the API to name.
        endsAt: fromProvinceInput(endsAt.value)?.toISOString() ?? endsAt.value,
        reason: reason.value.trim(),
        ...(start && { startsAt: start.toISOString() }),
      };
      return api.post<SilenceView>('/silences', input);
    },
    { confirmLabel: t('confirm') },
  );
  if (created) announce(t('done'));
  return created;
}

/** An alert's labels as the silence's starting matchers (all of them, by equality, as Alertmanager offers). */
export function matchersFromLabels(labels: Readonly<Record<string, string>>): Matcher[] {
  return Object.entries(labels).map(([name, value]) => ({ name, op: '=', value }));
}
