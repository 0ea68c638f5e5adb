import { api } from '../../api.js';
import { announce, button, dataTable, field, loading, problemNotice, type Column } from '../../components.js';
import { h, replaceChildren, uniqueId } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import { t } from './audit-messages.js';
import type { SubjectAccess, SubjectAccessReport } from './audit-types.js';
import { outcomeLabel } from './outcome-badge.js';
import { startOfDayIso, startOfNextDayIso } from './province-time.js';

const personalIdPattern = /^\d{12}$/;

/**
 * "Who looked at my data" for one citizen, as a page to print and hand
 * over. The officer types the personal id into a form; it goes to the API
 * in a POST body (POST /audit/subjects/report), never into a URL, the
 * console's address or the browser's form history, and the report shows it
 * masked as the API returns it.
 */
export function renderCitizenReportPanel(panel: HTMLElement): void {
  const headingId = uniqueId('report-form-title');
  const personalId = h('input', {
    type: 'text',
    name: 'personalId',
    inputmode: 'numeric',
    pattern: '[0-9]{12}',
    minlength: '12',
    maxlength: '12',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  personalId.addEventListener('input', () => personalId.setCustomValidity(personalIdPattern.test(personalId.value) || personalId.value === '' ? '' : t('personalIdInvalid')));
  const fromDate = h('input', { type: 'date', name: 'from' });
  const toDate = h('input', { type: 'date', name: 'to' });
  const output = h('div', { class: 'audit-report-output' });
  // method=post: should a script ever fail to stop the native submit, the id still stays out of the URL.
  const form = h(
    'form',
    { method: 'post', class: 'audit-report-form no-print', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('reportFormTitle')),
    h('p', { class: 'lead' }, t('reportLead')),
    h(
      'div',
      { class: 'filters' },
      field(t('personalId'), personalId, { hint: t('personalIdHint'), required: true }),
      field(t('reportFrom'), fromDate, { hint: t('periodHint') }),
      field(t('reportTo'), toDate),
      h('div', { class: 'audit-form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('makeReport'))),
    ),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const from = startOfDayIso(fromDate.value);
    const to = startOfNextDayIso(toDate.value);
    replaceChildren(output, loading());
    api.post<SubjectAccessReport>('/audit/subjects/report', { personalId: personalId.value, ...(from && { from }), ...(to && { to }) }).then(
      (report) => {
        const article = reportArticle(report);
        replaceChildren(output, h('div', { class: 'audit-report-toolbar no-print' }, button(t('print'), () => window.print(), { kind: 'primary' })), article);
        announce(t('reportReady', { count: report.count }));
        article.querySelector<HTMLElement>('h2')?.focus();
      },
      (error: unknown) => replaceChildren(output, problemNotice(error)),
    );
  });

  replaceChildren(panel, form, output);
}

function reportArticle(report: SubjectAccessReport): HTMLElement {
  const headingId = uniqueId('report-title');
  const period =
    report.from || report.to
      ? [report.from && t('periodFrom', { time: formatDateTime(report.from) }), report.to && t('periodTo', { time: formatDateTime(report.to) })].filter(Boolean).join(' – ')
      : t('reportWhole');
  const columns: Array<Column<SubjectAccess>> = [
    { label: t('col.time'), cell: (access) => h('time', { datetime: access.occurredAt }, formatDateTime(access.occurredAt)) },
    { label: t('col.systemAgency'), cell: (access) => [access.consumerName ?? access.consumer, access.agency ? h('span', { class: 'audit-agency' }, access.agency) : null] },
    { label: t('col.endUser'), cell: (access) => access.endUser },
    { label: t('col.operation'), cell: (access) => access.operation },
    { label: t('col.purpose'), cell: (access) => access.purpose },
    { label: t('col.fields'), cell: (access) => (access.fieldsReleased.length ? access.fieldsReleased.join(', ') : '—') },
    { label: t('col.outcome'), cell: (access) => outcomeLabel(access.outcome) },
  ];
  const facts: Array<[string, string | Node]> = [
    [t('reportSubject'), h('strong', null, report.subject)],
    [t('reportGeneratedAt'), formatDateTime(report.generatedAt)],
    [t('reportPeriod'), period],
    [t('reportCount'), formatNumber(report.count)],
  ];
  return h(
    'article',
    { class: 'citizen-report', 'aria-labelledby': headingId },
    h('h2', { id: headingId, tabindex: '-1' }, t('reportHeading')),
    h('dl', { class: 'citizen-report-facts' }, ...facts.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)])),
    report.truncated ? h('p', { class: 'notice notice-info' }, t('reportTruncated', { count: formatNumber(report.count) })) : null,
    dataTable(t('reportCaption'), columns, report.accesses, { empty: t('reportEmpty') }),
    h('p', { class: 'citizen-report-footer' }, t('reportFooter')),
  );
}
