import { api, withQuery } from '../../api.js';
import { dataTable, field, loading, pager, problemNotice, type Column } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { paymentStates, type PaymentListItem, type PaymentPage, type PaymentState } from './payment-types.js';
import { consoleLink, vietnamDayStart } from './payments-parts.js';
import { formatAmount, stateBadge, stateLabel, t } from './payments-text.js';

export interface PaymentFilter {
  state?: PaymentState;
  dossierCode?: string;
  /** Vietnam days, YYYY-MM-DD, both included. */
  fromDay?: string;
  toDay?: string;
  limit: number;
}

const pageSizes = [25, 50, 100, 200] as const;
const defaultPageSize = 50;
const dayShape = /^\d{4}-\d{2}-\d{2}$/;

/** The filter the URL names (?state=&dossierCode=&from=&to=&limit=). */
export function filterFromQuery(query: URLSearchParams): PaymentFilter {
  const state = query.get('state');
  const limit = Number(query.get('limit'));
  const day = (name: string) => (dayShape.test(query.get(name) ?? '') ? query.get(name)! : undefined);
  const fromDay = day('from');
  const toDay = day('to');
  return {
    ...(paymentStates.includes(state as PaymentState) && { state: state as PaymentState }),
    ...(query.get('dossierCode') && { dossierCode: query.get('dossierCode')! }),
    ...(fromDay && { fromDay }),
    ...(toDay && { toDay }),
    limit: (pageSizes as readonly number[]).includes(limit) ? limit : defaultPageSize,
  };
}

/** The API's query: days become the instants that bound them in Vietnam time (`to` exclusive, so the last day counts whole). */
function apiQuery(filter: PaymentFilter, cursor: string | undefined) {
  return {
    state: filter.state,
    dossierCode: filter.dossierCode,
    from: filter.fromDay && vietnamDayStart(filter.fromDay),
    to: filter.toDay && vietnamDayStart(filter.toDay, 1),
    limit: filter.limit,
    cursor,
  };
}

/** Filters, the table and keyset paging over GET /admin/v1/payments; filtering reloads in place and the URL follows. */
export function paymentList(context: PageContext, initial: PaymentFilter): HTMLElement {
  let filter = initial;
  let paging: { previous: string[]; current?: string } = { previous: [] };
  let generation = 0;

  const stateSelect = h('select', { name: 'state' }, h('option', { value: '' }, t('allStates')), ...paymentStates.map((state) => h('option', { value: state }, stateLabel(state))));
  const dossierInput = h('input', { name: 'dossierCode', type: 'search', maxlength: '200', autocomplete: 'off', spellcheck: 'false' });
  const fromInput = h('input', { name: 'from', type: 'date' });
  const toInput = h('input', { name: 'to', type: 'date' });
  const sizeSelect = h('select', { name: 'limit' }, ...pageSizes.map((size) => h('option', { value: String(size) }, formatNumber(size))));
  const showFilter = () => {
    stateSelect.value = filter.state ?? '';
    dossierInput.value = filter.dossierCode ?? '';
    fromInput.value = filter.fromDay ?? '';
    toInput.value = filter.toDay ?? '';
    sizeSelect.value = String(filter.limit);
  };

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters') },
    field(t('state'), stateSelect),
    field(t('dossierCode'), dossierInput),
    field(t('fromDay'), fromInput),
    field(t('toDay'), toInput),
    field(t('pageSize'), sizeSelect),
    h('div', { class: 'payments-filter-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('apply')), h('button', { type: 'reset', class: 'button button-secondary' }, t('reset'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply({
      ...(stateSelect.value && { state: stateSelect.value as PaymentState }),
      ...(dossierInput.value.trim() && { dossierCode: dossierInput.value.trim() }),
      ...(fromInput.value && { fromDay: fromInput.value }),
      ...(toInput.value && { toDay: toInput.value }),
      limit: Number(sizeSelect.value) || defaultPageSize,
    });
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    apply({ limit: filter.limit });
  });

  const results = h('div');
  const columns: Column<PaymentListItem>[] = [
    {
      label: t('reference'),
      cell: (payment) => {
        const link = consoleLink(context, `/console/payments/${encodeURIComponent(payment.reference)}`, h('code', null, payment.reference));
        link.setAttribute('aria-label', t('openLabel', { reference: payment.reference }));
        return link;
      },
    },
    { label: t('dossierCode'), cell: (payment) => payment.dossierCode },
    { label: t('procedure'), cell: (payment) => h('code', null, payment.procedureCode) },
    { label: t('payer'), cell: (payment) => payment.payerMasked },
    { label: t('amount'), numeric: true, cell: (payment) => formatAmount(payment.totalAmount, payment.currency) },
    { label: t('state'), cell: (payment) => stateBadge(payment.state) },
    { label: t('createdAt'), cell: (payment) => formatDateTime(payment.createdAt) },
    { label: t('finalAt'), cell: (payment) => formatDateTime(payment.finalAt) },
  ];

  function load(cursor: string | undefined, previous: string[]): void {
    const mine = ++generation;
    paging = { previous, ...(cursor !== undefined && { current: cursor }) };
    replaceChildren(results, loading());
    api
      .get<PaymentPage>('/payments', apiQuery(filter, cursor), context.signal)
      .then((page) => {
        if (mine !== generation || context.signal.aborted) return;
        replaceChildren(
          results,
          dataTable(t('listCaption'), columns, page.items, { empty: t('listEmpty') }),
          pager({ ...paging, ...(page.nextCursor && { next: page.nextCursor }) }, (next, before) => load(next || undefined, before)),
        );
      })
      .catch((error: unknown) => {
        if (mine !== generation || context.signal.aborted) return;
        replaceChildren(results, problemNotice(error));
      });
  }

  function apply(next: PaymentFilter): void {
    filter = next;
    showFilter();
    history.replaceState(
      null,
      '',
      withQuery('/console/payments', { state: filter.state, dossierCode: filter.dossierCode, from: filter.fromDay, to: filter.toDay, limit: filter.limit === defaultPageSize ? undefined : filter.limit }),
    );
    load(undefined, []);
  }

  showFilter();
  load(undefined, []);
  return h('section', { class: 'section payments-section', 'aria-label': t('tabList') }, form, results);
}
