import { api } from '../../api.js';
import { announce, button, dataTable, field, loading, pager, problemNotice, type Column } from '../../components.js';
import { h, replaceChildren, uniqueId } from '../../dom.js';
import { formatDateTime, formatDuration, formatNumber } from '../../i18n.js';
import { t } from './audit-messages.js';
import { auditOutcomes, type AuditPage, type AuditRecordView, type AuditSearchFilter, type ConsumerSummary } from './audit-types.js';
import { saveAsFile } from './download.js';
import { outcomeBadge, outcomeLabel } from './outcome-badge.js';
import { localDateTimeToIso } from './province-time.js';

/** What one CSV holds: the API's largest page. */
const csvRowCap = 500;
const pageSizes = [10, 25, 50, 100, 200] as const;

/**
 * The data-access search: the filters as a labelled form, one page of
 * records, keyset paging, a record's detail, and the CSV of the search.
 * Searches go by POST /audit/search so the subject filter (a personal id)
 * never sits in a URL; the CSV is a plain link unless the search has one.
 */
export function renderSearchPanel(panel: HTMLElement, signal: AbortSignal): void {
  const headingId = uniqueId('search-title');
  const consumers = h('datalist', { id: uniqueId('consumers') });
  const inputs = {
    from: h('input', { type: 'datetime-local', name: 'from', step: '1' }),
    to: h('input', { type: 'datetime-local', name: 'to', step: '1' }),
    consumer: h('input', { type: 'text', name: 'consumer', list: consumers.id, maxlength: '200', autocomplete: 'off' }),
    endUser: h('input', { type: 'text', name: 'endUser', maxlength: '200', autocomplete: 'off' }),
    operation: h('input', { type: 'text', name: 'operation', maxlength: '200', autocomplete: 'off', spellcheck: 'false' }),
    purpose: h('input', { type: 'text', name: 'purpose', maxlength: '200', autocomplete: 'off', spellcheck: 'false' }),
    outcome: h('select', { name: 'outcome' }, h('option', { value: '' }, t('anyOutcome')), ...auditOutcomes.map((outcome) => h('option', { value: outcome }, outcomeLabel(outcome)))),
    // Never remembered by the browser's form history: it is a personal id.
    subject: h('input', { type: 'text', name: 'subject', maxlength: '64', pattern: '[0-9A-Za-z.\\-]{1,64}', autocomplete: 'off', spellcheck: 'false' }),
    limit: h('select', { name: 'limit' }, ...pageSizes.map((size) => h('option', { value: String(size), selected: size === 50 }, formatNumber(size)))),
  };
  const results = h('div', { class: 'audit-results', tabindex: '-1' });
  // method=post: should a script ever fail to stop the native submit, the subject still stays out of the URL.
  const form = h(
    'form',
    { method: 'post', class: 'audit-filters', 'aria-labelledby': headingId },
    h(
      'fieldset',
      null,
      h('legend', null, t('filtersLegend')),
      h(
        'div',
        { class: 'filters' },
        field(t('from'), inputs.from, { hint: t('timeHint') }),
        field(t('to'), inputs.to, { hint: t('timeHint') }),
        field(t('consumer'), inputs.consumer),
        field(t('endUser'), inputs.endUser),
        field(t('operation'), inputs.operation, { hint: t('operationHint') }),
        field(t('purpose'), inputs.purpose),
        field(t('outcome'), inputs.outcome),
        field(t('subject'), inputs.subject, { hint: t('subjectHint') }),
        field(t('pageSize'), inputs.limit),
      ),
      h(
        'div',
        { class: 'audit-form-actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('search')),
        button(t('clear'), () => {
          form.reset();
          void run(readFilter(), undefined, []);
        }),
      ),
    ),
    consumers,
  );

  const readFilter = (): AuditSearchFilter => {
    const text = (input: HTMLInputElement) => input.value.trim() || undefined;
    const filter: AuditSearchFilter = {
      from: localDateTimeToIso(inputs.from.value),
      to: localDateTimeToIso(inputs.to.value),
      consumer: text(inputs.consumer),
      endUser: text(inputs.endUser),
      operation: text(inputs.operation),
      purpose: text(inputs.purpose),
      outcome: (inputs.outcome.value || undefined) as AuditSearchFilter['outcome'],
      subject: text(inputs.subject),
    };
    return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as AuditSearchFilter;
  };

  async function run(filter: AuditSearchFilter, cursor: string | undefined, previous: string[], focusResults = false): Promise<void> {
    const limit = Number(inputs.limit.value);
    replaceChildren(results, loading());
    results.setAttribute('aria-busy', 'true');
    try {
      const page = await api.post<AuditPage>('/audit/search', { ...filter, limit, ...(cursor && { cursor }) });
      if (signal.aborted) return;
      showPage(filter, page, { previous, ...(cursor && { current: cursor }), ...(page.nextCursor && { next: page.nextCursor }) });
      announce(t('found', { count: page.items.length }));
    } catch (error) {
      if (signal.aborted) return;
      replaceChildren(results, problemNotice(error));
    } finally {
      results.removeAttribute('aria-busy');
    }
    if (focusResults) results.focus();
  }

  function showPage(filter: AuditSearchFilter, page: AuditPage, paging: { previous: string[]; current?: string; next?: string }): void {
    const detailSlot = h('div', { class: 'audit-detail-slot' });
    const columns: Array<Column<AuditRecordView>> = [
      { label: t('col.time'), cell: (record) => h('time', { datetime: record.occurredAt }, formatDateTime(record.occurredAt)) },
      { label: t('col.consumer'), cell: (record) => record.consumer },
      { label: t('col.endUser'), cell: (record) => record.endUser },
      { label: t('col.operation'), cell: (record) => h('code', null, record.operation) },
      { label: t('col.purpose'), cell: (record) => record.purpose },
      { label: t('col.subject'), cell: (record) => (record.subject ? h('code', null, record.subject) : '—') },
      { label: t('col.outcome'), cell: (record) => outcomeBadge(record.outcome) },
      { label: t('col.status'), cell: (record) => record.httpStatus, numeric: true },
      { label: t('col.latency'), cell: (record) => formatDuration(record.latencyMs), numeric: true },
      {
        label: t('col.detail'),
        cell: (record) => h('button', { type: 'button', class: 'button', 'aria-label': t('showDetailOf', { id: record.id }), onclick: (event: MouseEvent) => showDetail(detailSlot, record, event.currentTarget as HTMLElement) }, t('showDetail')),
      },
    ];
    replaceChildren(
      results,
      h('div', { class: 'audit-results-bar' }, h('p', { class: 'audit-count' }, t('found', { count: formatNumber(page.items.length) })), csvExport(filter)),
      dataTable(t('resultsCaption'), columns, page.items, { empty: t('noRecords') }),
      pager(paging, (cursor, previous) => void run(filter, cursor, previous, true)),
      detailSlot,
    );
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void run(readFilter(), undefined, []);
  });

  replaceChildren(panel, h('h2', { id: headingId }, t('searchTitle')), form, results);
  void run({}, undefined, []);
  // Suggestions only: the search works without them (and the consumer list may be refused).
  api.get<{ items: ConsumerSummary[] }>('/consumers', undefined, signal).then(
    ({ items }) => replaceChildren(consumers, ...items.map((consumer) => h('option', { value: consumer.clientId }, `${consumer.name} — ${consumer.agency}`))),
    () => undefined,
  );
}

/** The CSV of the applied search: a link the browser downloads, or (with a subject) a POST saved as a file. */
function csvExport(filter: AuditSearchFilter): HTMLElement {
  const hint = h('span', { class: 'hint', id: uniqueId('csv-hint') }, t('exportHint', { max: formatNumber(csvRowCap) }));
  const errorSlot = h('div');
  const query = { ...filter, limit: csvRowCap, format: 'csv' };
  const control = filter.subject
    ? h(
        'button',
        {
          type: 'button',
          class: 'button',
          'aria-describedby': hint.id,
          onclick: () => {
            errorSlot.replaceChildren();
            api.post<string>('/audit/search', query).then(
              (csv) => {
                saveAsFile(csv, 'audit-records.csv', 'text/csv;charset=utf-8');
                announce(t('exported'));
              },
              (error: unknown) => errorSlot.replaceChildren(problemNotice(error)),
            );
          },
        },
        t('exportCsv'),
      )
    : h('a', { class: 'button', href: api.href('/audit', query), download: 'audit-records.csv', 'aria-describedby': hint.id }, t('exportCsv'));
  return h('div', { class: 'audit-export' }, control, hint, errorSlot);
}

/** A record's every field under the table; closing it gives focus back to the button that opened it. */
function showDetail(slot: HTMLElement, record: AuditRecordView, opener: HTMLElement): void {
  const headingId = uniqueId('record-title');
  const heading = h('h3', { id: headingId, tabindex: '-1' }, t('detailTitle', { id: record.id }));
  const rows: Array<[string, string | Node]> = [
    [t('col.time'), formatDateTime(record.occurredAt)],
    [t('detail.requestId'), h('code', null, record.requestId)],
    [t('col.consumer'), record.consumer],
    [t('col.endUser'), record.endUser],
    [t('col.purpose'), record.purpose],
    [t('col.operation'), h('code', null, record.operation)],
    [t('detail.connector'), record.connector],
    [t('col.subject'), record.subject ?? '—'],
    [t('detail.fields'), record.fieldsReleased.length ? record.fieldsReleased.join(', ') : '—'],
    [t('col.outcome'), outcomeBadge(record.outcome)],
    [t('col.status'), String(record.httpStatus)],
    [t('col.latency'), formatDuration(record.latencyMs)],
    [t('detail.upstreamReference'), record.upstreamReference ?? '—'],
  ];
  replaceChildren(
    slot,
    h(
      'section',
      { class: 'section audit-detail', 'aria-labelledby': headingId },
      heading,
      h('dl', { class: 'audit-detail-list' }, ...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)])),
      button(t('closeDetail'), () => {
        slot.replaceChildren();
        opener.focus();
      }),
    ),
  );
  heading.focus();
}
