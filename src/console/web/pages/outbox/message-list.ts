import { api, withQuery } from '../../api.js';
import { dataTable, field, loading, pager, problemNotice, type Column } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { mayRedrive, redriveButton } from './message-actions.js';
import { consoleLink } from './outbox-parts.js';
import { stateBadge, stateLabel, t } from './outbox-text.js';
import { outboxStates, type MessagePage, type OutboxMessage, type OutboxState } from './outbox-types.js';

export interface ListFilter {
  state?: OutboxState;
  target?: string;
  key?: string;
  limit: number;
}

const pageSizes = [25, 50, 100, 200] as const;
const defaultPageSize = 50;

/** The filter the URL names (?state=dead&target=…&key=…&limit=…): a filtered list can be bookmarked and shared. */
export function filterFromQuery(query: URLSearchParams): ListFilter {
  const state = query.get('state');
  const limit = Number(query.get('limit'));
  return {
    ...(outboxStates.includes(state as OutboxState) && { state: state as OutboxState }),
    ...(query.get('target') && { target: query.get('target')! }),
    ...(query.get('key') && { key: query.get('key')! }),
    limit: (pageSizes as readonly number[]).includes(limit) ? limit : defaultPageSize,
  };
}

export interface MessageList {
  element: HTMLElement;
  /** Shows the list for this filter from its first page (the URL follows). */
  apply(filter: ListFilter): void;
}

/**
 * Filters, the table and keyset paging over GET /admin/v1/outbox/messages.
 * Filtering reloads the list in place (focus stays where the user is); the
 * cursors already passed are kept to go back a page.
 */
export function messageList(context: PageContext, targets: readonly string[], initial: ListFilter, onChanged: () => void): MessageList {
  let filter = initial;
  let paging: { previous: string[]; current?: string } = { previous: [] };
  let generation = 0;

  const stateSelect = h('select', { name: 'state' }, h('option', { value: '' }, t('allStates')), ...outboxStates.map((state) => h('option', { value: state }, stateLabel(state))));
  const knownTargets = [...new Set([...targets, ...(initial.target ? [initial.target] : [])])].sort();
  const targetSelect = h('select', { name: 'target' }, h('option', { value: '' }, t('allTargets')), ...knownTargets.map((target) => h('option', { value: target }, target)));
  const keyInput = h('input', { name: 'key', type: 'search', maxlength: '200', autocomplete: 'off', spellcheck: 'false' });
  const sizeSelect = h('select', { name: 'limit' }, ...pageSizes.map((size) => h('option', { value: String(size) }, formatNumber(size))));
  const showFilter = (shown: ListFilter) => {
    stateSelect.value = shown.state ?? '';
    targetSelect.value = shown.target ?? '';
    keyInput.value = shown.key ?? '';
    sizeSelect.value = String(shown.limit);
  };

  const form = h(
    'form',
    { class: 'filters outbox-filters', role: 'search', 'aria-label': t('filters') },
    field(t('state'), stateSelect),
    field(t('target'), targetSelect),
    field(t('key'), keyInput, { hint: t('keyHint') }),
    field(t('pageSize'), sizeSelect),
    h('div', { class: 'outbox-filter-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('apply')), h('button', { type: 'reset', class: 'button button-secondary' }, t('reset'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next: ListFilter = {
      ...(stateSelect.value && { state: stateSelect.value as OutboxState }),
      ...(targetSelect.value && { target: targetSelect.value }),
      ...(keyInput.value.trim() && { key: keyInput.value.trim() }),
      limit: Number(sizeSelect.value) || defaultPageSize,
    };
    apply(next);
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    apply({ limit: filter.limit });
  });

  const heading = h('h2', { id: 'outbox-list-heading', tabindex: '-1' }, t('listHeading'));
  const results = h('div');
  const element = h('section', { class: 'section outbox-section', 'aria-labelledby': 'outbox-list-heading' }, heading, form, results);

  const columns: Column<OutboxMessage>[] = [
    {
      label: t('message'),
      cell: (message: OutboxMessage) =>
        consoleLink(context, `/console/outbox/${encodeURIComponent(message.id)}`, h('span', { class: 'outbox-key' }, message.key), ` #${message.sequence}`),
    },
    { label: t('target'), cell: (message: OutboxMessage) => h('code', null, message.target) },
    { label: t('state'), cell: (message: OutboxMessage) => stateBadge(message.state) },
    { label: t('attempts'), numeric: true, cell: (message: OutboxMessage) => formatNumber(message.attempts) },
    { label: t('createdAt'), cell: (message: OutboxMessage) => formatDateTime(message.createdAt) },
    { label: t('lastAttemptAt'), cell: (message: OutboxMessage) => formatDateTime(message.lastAttemptAt) },
    { label: t('lastError'), cell: (message: OutboxMessage) => (message.lastError ? h('code', null, message.lastError.kind) : t('none')) },
  ];
  // Only for roles that may act: an auditor's list has no empty column.
  if (context.can('lgsp-admin', 'lgsp-operator')) {
    columns.push({
      label: t('actions'),
      cell: (message: OutboxMessage) =>
        mayRedrive(context, message)
          ? redriveButton(message, () => {
              load(paging.current, paging.previous);
              onChanged();
            })
          : null,
    });
  }

  function load(cursor: string | undefined, previous: string[]): void {
    const mine = ++generation;
    paging = { previous, ...(cursor !== undefined && { current: cursor }) };
    replaceChildren(results, loading());
    api
      .get<MessagePage>('/outbox/messages', { ...filter, cursor }, context.signal)
      .then((page) => {
        if (mine !== generation || context.signal.aborted) return;
        replaceChildren(
          results,
          dataTable(filter.key ? t('listCaptionKey', { key: filter.key }) : t('listCaption'), columns, page.items, { empty: t('listEmpty') }),
          pager({ ...paging, ...(page.nextCursor && { next: page.nextCursor }) }, (next, before) => load(next || undefined, before)),
        );
      })
      .catch((error: unknown) => {
        if (mine !== generation || context.signal.aborted) return;
        replaceChildren(results, problemNotice(error));
      });
  }

  function apply(next: ListFilter): void {
    filter = next;
    showFilter(filter);
    // The URL names the filter (not the page: a cursor is a position, stale once new messages arrive).
    const { limit, ...rest } = filter;
    history.replaceState(null, '', withQuery('/console/outbox', { ...rest, limit: limit === defaultPageSize ? undefined : limit }));
    load(undefined, []);
  }

  showFilter(filter);
  load(undefined, []);
  return {
    element,
    apply(next) {
      apply(next);
      heading.focus();
    },
  };
}
