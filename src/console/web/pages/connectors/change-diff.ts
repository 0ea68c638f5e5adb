import { openDialog } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages } from '../../i18n.js';

const t = defineMessages({
  vi: {
    caption: 'Những gì sẽ thay đổi',
    field: 'Trường',
    before: 'Hiện tại',
    after: 'Sau khi lưu',
    unset: '(không đặt)',
    intro: 'Kiểm tra lại trước khi lưu. Thay đổi được ghi vào nhật ký quản trị (trước/sau) và áp dụng trên mọi máy chủ của cổng trong vòng một chu kỳ làm mới.',
    save: 'Lưu thay đổi',
  },
  en: {
    caption: 'What will change',
    field: 'Field',
    before: 'Now',
    after: 'After saving',
    unset: '(not set)',
    intro: 'Check before saving. The change is recorded in the admin audit log (before/after) and applied by every gateway replica within one refresh interval.',
    save: 'Save changes',
  },
});

export interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * The leaves that differ between two values, by dotted path (objects are
 * walked, anything else compared as JSON): what an administrator changed,
 * not the whole object the API will receive.
 */
export function changesBetween(before: unknown, after: unknown, path = ''): Change[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => changesBetween(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (isPlainObject(before) && after === undefined) return changesBetween(before, {}, path);
  if (before === undefined && isPlainObject(after)) return changesBetween({}, after, path);
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: path, before, after }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): Node {
  if (value === undefined || value === null) return h('span', { class: 'muted' }, t('unset'));
  // An empty text is a value too (e.g. "let the payer choose"): shown as such, not as a blank cell.
  if (value === '') return h('code', null, '""');
  return h('code', null, typeof value === 'string' ? value : JSON.stringify(value));
}

/** A before/after table of the changes (the column headers say which is which; colour is a help, not the signal). */
export function diffTable(changes: readonly Change[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap connector-diff' },
    h(
      'table',
      null,
      h('caption', null, t('caption')),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('field')), h('th', { scope: 'col' }, t('before')), h('th', { scope: 'col' }, t('after')))),
      h(
        'tbody',
        null,
        ...changes.map((change) => h('tr', null, h('th', { scope: 'row' }, h('code', null, change.field)), h('td', { class: 'diff-before' }, shown(change.before)), h('td', { class: 'diff-after' }, shown(change.after)))),
      ),
    ),
  );
}

/**
 * Shows the changes and saves them when the administrator confirms. The
 * dialog closes either way once the API has answered: a refusal is shown
 * next to the form (its field errors under their controls), not in here.
 */
export async function confirmChanges<T>(title: string, changes: readonly Change[], save: () => Promise<T>): Promise<{ saved: T } | { error: unknown } | undefined> {
  return openDialog(title, h('div', { class: 'connector-dialog' }, h('p', null, t('intro')), diffTable(changes)), async () => {
    try {
      return { saved: await save() };
    } catch (error) {
      return { error };
    }
  }, { confirmLabel: t('save') });
}
