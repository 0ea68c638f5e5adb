import { api, withQuery } from '../../api.js';
import { announce, button, dataTable, field, loading, openDialog, problemNotice } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import type { DailyReport, PaymentState, ReconciliationRun } from './payment-types.js';
import { consoleLink, vietnamToday } from './payments-parts.js';
import { formatAmount, mismatchLabel, stateBadge, t } from './payments-text.js';

const dayShape = /^\d{4}-\d{2}-\d{2}$/;
const summaryFields = ['examined', 'paid', 'failed', 'expired', 'stillPending', 'unknown', 'alreadySettled', 'anomalies', 'errors'] as const;

/**
 * /console/payments/reconciliation?date=YYYY-MM-DD: the day's report
 * (GET /admin/v1/payments/reconciliation), its CSV as a plain link the
 * browser downloads through the relay, and "reconcile now" for admins
 * (POST …/reconciliation/run; operators see why there is no button).
 */
export function reconciliationSection(context: PageContext): HTMLElement {
  const asked = context.query.get('date') ?? '';
  let date = dayShape.test(asked) ? asked : vietnamToday();

  const dateInput = h('input', { name: 'date', type: 'date', value: date, max: vietnamToday() });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t('reportHeading') },
    field(t('day'), dateInput, { required: true }),
    h('div', { class: 'payments-filter-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('show'))),
  );
  const csvLink = h('a', { class: 'button button-secondary' });
  const runSlot = h('div');
  const report = h('div');
  const tools = h(
    'div',
    { class: 'payments-report-tools' },
    csvLink,
    context.can('lgsp-admin') ? button(t('runNow'), () => void runNow()) : h('p', { class: 'payments-hint' }, t('runOnlyAdmin')),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!dayShape.test(dateInput.value)) return;
    date = dateInput.value;
    history.replaceState(null, '', withQuery('/console/payments/reconciliation', { date }));
    void load();
  });

  let generation = 0;
  async function load(): Promise<void> {
    const mine = ++generation;
    csvLink.href = api.href('/payments/reconciliation', { date, format: 'csv' });
    csvLink.setAttribute('download', `payments-reconciliation-${date}.csv`);
    csvLink.textContent = t('csv', { date });
    replaceChildren(report, loading());
    try {
      const answer = await api.get<DailyReport>('/payments/reconciliation', { date }, context.signal);
      if (mine === generation && !context.signal.aborted) replaceChildren(report, ...reportTables(context, answer));
    } catch (error) {
      if (mine === generation && !context.signal.aborted) replaceChildren(report, problemNotice(error));
    }
  }

  async function runNow(): Promise<void> {
    const run = await openDialog(t('runTitle'), h('p', null, t('runText')), () => api.post<ReconciliationRun>('/payments/reconciliation/run'), { confirmLabel: t('runNow') });
    if (!run || context.signal.aborted) return;
    announce(t('runDone', { examined: formatNumber(run.summary.examined) }));
    replaceChildren(
      runSlot,
      h(
        'div',
        { class: 'notice notice-success', role: 'status' },
        h('p', null, t('runDone', { examined: formatNumber(run.summary.examined) }), ' ', formatDateTime(run.finishedAt)),
        dataTable(
          t('runSummaryCaption'),
          [
            { label: t('outcome'), cell: (name) => t(`summary.${name}`) },
            { label: t('count'), numeric: true, cell: (name) => formatNumber(run.summary[name]) },
          ],
          summaryFields,
          { captionHidden: true },
        ),
      ),
    );
    await load();
  }

  void load();
  return h(
    'section',
    { class: 'section payments-section', 'aria-labelledby': 'payments-report-heading' },
    h('h2', { id: 'payments-report-heading' }, t('reportHeading')),
    h('p', { class: 'lead' }, t('reportLead')),
    form,
    tools,
    runSlot,
    report,
  );
}

interface TotalsRow {
  state: PaymentState | 'all';
  count: number;
  amount: string;
}

function reportTables(context: PageContext, report: DailyReport): HTMLElement[] {
  const rows: TotalsRow[] = [...report.byState, { state: 'all', ...report.total }];
  return [
    dataTable<TotalsRow>(
      t('byStateCaption', { date: report.date }),
      [
        { label: t('state'), cell: (row) => (row.state === 'all' ? h('strong', null, t('totalRow')) : stateBadge(row.state)) },
        { label: t('count'), numeric: true, cell: (row) => formatNumber(row.count) },
        { label: t('amount'), numeric: true, cell: (row) => formatAmount(row.amount) },
      ],
      rows,
    ),
    h('h3', null, t('mismatchesHeading')),
    dataTable(
      t('mismatchesCaption', { date: report.date }),
      [
        { label: t('mismatchKind'), cell: (mismatch) => mismatchLabel(mismatch.kind) },
        { label: t('reference'), cell: (mismatch) => (mismatch.reference ? consoleLink(context, `/console/payments/${encodeURIComponent(mismatch.reference)}`, h('code', null, mismatch.reference)) : t('none')) },
        { label: t('at'), cell: (mismatch) => formatDateTime(mismatch.at) },
        { label: t('detail'), cell: (mismatch) => h('code', null, mismatch.detail) },
        { label: t('payer'), cell: (mismatch) => mismatch.payerMasked ?? t('none') },
      ],
      report.mismatches,
      { captionHidden: true, empty: t('mismatchesEmpty') },
    ),
  ];
}
