import { ApiError } from './api.js';
import { h, uniqueId, type Child } from './dom.js';
import { defineMessages } from './i18n.js';

const t = defineMessages({
  vi: {
    loading: 'Đang tải…',
    empty: 'Không có mục nào.',
    errorTitle: 'Không thực hiện được',
    fieldErrors: 'Các trường cần sửa:',
    forbidden: 'Vai trò của bạn không được phép thao tác này.',
    signInAgain: 'Phiên làm việc đã hết. Đang chuyển đến trang đăng nhập…',
    unreachable: 'Không kết nối được với cổng. Kiểm tra mạng rồi thử lại.',
    next: 'Trang sau',
    previous: 'Trang trước',
    close: 'Đóng',
    cancel: 'Huỷ',
    confirm: 'Xác nhận',
    required: '(bắt buộc)',
  },
  en: {
    loading: 'Loading…',
    empty: 'Nothing to show.',
    errorTitle: 'That did not work',
    fieldErrors: 'Fields to correct:',
    forbidden: 'Your role is not allowed to do this.',
    signInAgain: 'Your session has ended. Taking you to sign-in…',
    unreachable: 'The gateway could not be reached. Check the network and try again.',
    next: 'Next page',
    previous: 'Previous page',
    close: 'Close',
    cancel: 'Cancel',
    confirm: 'Confirm',
    required: '(required)',
  },
});

/** The page's one h1 and an optional lead paragraph; the h1 takes focus after navigation (screen readers announce the page). */
export function pageHeader(title: string, lead?: string, ...actions: Child[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', null, h('h1', { tabindex: '-1', id: 'page-title' }, title), lead ? h('p', { class: 'lead' }, lead) : null),
    actions.length ? h('div', { class: 'page-actions' }, ...actions) : null,
  );
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

/** A problem from the API, with its field errors, as an alert region (announced at once). */
export function problemNotice(error: unknown): HTMLElement {
  if (error instanceof ApiError) {
    const text = error.status === 401 ? t('signInAgain') : error.status === 403 && error.code === 'LGSP_ROLE_REQUIRED' ? t('forbidden') : (error.detail ?? error.title);
    return h(
      'div',
      { class: 'notice notice-error', role: 'alert' },
      // The API's own words are English: marked so, for screen readers and translators.
      h('p', null, h('strong', null, t('errorTitle')), ' ', h('span', { lang: text === error.detail || text === error.title ? 'en' : undefined }, text), ' ', h('code', null, error.code)),
      error.errors.length
        ? h('div', null, h('p', null, t('fieldErrors')), h('ul', null, ...error.errors.map((item) => h('li', null, h('code', null, item.field), ' ', h('span', { lang: 'en' }, item.message)))))
        : null,
    );
  }
  return h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, h('strong', null, t('errorTitle')), ' ', t('unreachable')));
}

export function notice(kind: 'info' | 'success' | 'warning', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'warning' ? 'alert' : 'status' }, ...children);
}

/** A coloured state label whose text says the state (colour is never the only signal). */
export function badge(kind: 'ok' | 'warn' | 'bad' | 'off' | 'info', text: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export interface Column<Row> {
  label: string;
  cell: (row: Row) => Child;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

/** A table with a caption (its accessible name) and header cells; an empty list says so. */
export function dataTable<Row>(caption: string, columns: Column<Row>[], rows: readonly Row[], options: { empty?: string; captionHidden?: boolean } = {}): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, options.empty ?? t('empty'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: options.captionHidden ? 'visually-hidden' : undefined }, caption),
      h('thead', null, h('tr', null, ...columns.map((column) => h('th', { scope: 'col', class: column.numeric ? 'num' : undefined }, column.label)))),
      h('tbody', null, ...rows.map((row) => h('tr', null, ...columns.map((column) => h('td', { class: column.numeric ? 'num' : undefined }, column.cell(row)))))),
    ),
  );
}

/** A labelled form control; the hint and the error are tied to it with aria-describedby. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, options: { hint?: string; required?: boolean } = {}): HTMLElement {
  const id = control.id || uniqueId('field');
  control.id = id;
  const hintId = options.hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (options.required) control.required = true;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label, options.required ? h('span', { class: 'required' }, ` ${t('required')}`) : null),
    control,
    hintId ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
  );
}

export function button(label: string, onClick: (event: MouseEvent) => void, options: { kind?: 'primary' | 'secondary' | 'danger'; type?: 'button' | 'submit'; disabled?: boolean } = {}): HTMLButtonElement {
  return h('button', { type: options.type ?? 'button', class: `button button-${options.kind ?? 'secondary'}`, disabled: options.disabled, onclick: onClick }, label);
}

/** Keyset paging: the API gives a `next` cursor; the console keeps the ones it came through to go back. */
export function pager(state: { previous: string[]; current?: string; next?: string }, go: (cursor: string | undefined, previous: string[]) => void): HTMLElement {
  const back = state.previous.length > 0;
  return h(
    'nav',
    { class: 'pager', 'aria-label': `${t('previous')} / ${t('next')}` },
    button(t('previous'), () => go(state.previous.at(-1) || undefined, state.previous.slice(0, -1)), { disabled: !back }),
    button(t('next'), () => go(state.next, [...state.previous, state.current ?? '']), { disabled: !state.next }),
  );
}

/**
 * A modal dialog (the native <dialog>: focus is trapped and Escape closes
 * it); resolves with what `onConfirm` returned, or undefined when cancelled.
 */
export function openDialog<T>(title: string, body: Child, onConfirm: () => Promise<T>, options: { confirmLabel?: string; danger?: boolean } = {}): Promise<T | undefined> {
  return new Promise((resolve) => {
    const titleId = uniqueId('dialog-title');
    const errorSlot = h('div');
    const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'dialog' });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: titleId }, title),
      body,
      errorSlot,
      h(
        'div',
        { class: 'dialog-actions' },
        button(t('cancel'), () => dialog.close()),
        h('button', { type: 'submit', class: `button button-${options.danger ? 'danger' : 'primary'}` }, options.confirmLabel ?? t('confirm')),
      ),
    );
    let result: T | undefined;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      onConfirm().then(
        (value) => {
          result = value;
          dialog.close();
        },
        (error: unknown) => errorSlot.replaceChildren(problemNotice(error)),
      );
    });
    dialog.append(form);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A short confirmation in the polite live region of the layout. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (region) region.textContent = message;
}

/** A real link (ctrl/middle click opens a new tab) that moves inside the console without a reload. */
export function consoleLink(navigate: (path: string) => void, href: string, ...children: Child[]): HTMLAnchorElement {
  return h(
    'a',
    {
      href,
      onclick: (event: MouseEvent) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(href);
      },
    },
    ...children,
  );
}

/** Label/value pairs as a description list; a fact without a value (not applicable in this state) is left out. */
export function factList(facts: Array<[string, Child]>): HTMLElement {
  const present = facts.filter(([, value]) => value !== null && value !== undefined && value !== '' && value !== false);
  return h('dl', { class: 'facts' }, ...present.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]));
}
