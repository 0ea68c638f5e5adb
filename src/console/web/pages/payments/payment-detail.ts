import { api } from '../../api.js';
import { badge, dataTable, loading, pageHeader, problemNotice } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDateTime } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import type { PaymentDetail, PaymentTransition, StoredIpn } from './payment-types.js';
import { consoleLink, factList } from './payments-parts.js';
import { formatAmount, sourceLabel, stateBadge, t } from './payments-text.js';

/**
 * /console/payments/<reference>: the payment as GET /admin/v1/payments/<reference>
 * gives it (payer masked; IPN bodies never asked for), with its fee lines, its
 * state history, the IPNs that named it and the anomalies recorded about it.
 */
export async function renderPaymentDetail(root: HTMLElement, context: PageContext, reference: string): Promise<void> {
  const back = h('p', { class: 'payments-back' }, consoleLink(context, '/console/payments', t('back')));
  root.append(back, loading());
  let payment: PaymentDetail;
  try {
    payment = await api.get<PaymentDetail>(`/payments/${encodeURIComponent(reference)}`, undefined, context.signal);
  } catch (error) {
    if (context.signal.aborted) return;
    replaceChildren(root, back, pageHeader(t('detailTitle', { reference })), problemNotice(error));
    return;
  }
  if (context.signal.aborted) return;
  const money = (amount: number | null | undefined, currency = payment.currency) => (amount === null || amount === undefined ? t('none') : formatAmount(amount, currency));

  replaceChildren(
    root,
    back,
    pageHeader(t('detailTitle', { reference: payment.reference })),
    h('p', { class: 'payments-state' }, `${t('state')}: `, stateBadge(payment.state), ' ', h('span', { class: 'payments-amount' }, money(payment.totalAmount))),
    h(
      'section',
      { class: 'section payments-section', 'aria-labelledby': 'payment-summary-heading' },
      h('h2', { id: 'payment-summary-heading' }, t('summaryHeading')),
      factList([
        [t('reference'), h('code', null, payment.reference)],
        [t('dossierCode'), payment.dossierCode],
        [t('procedure'), h('code', null, payment.procedureCode)],
        [t('agency'), payment.agencyCode],
        [t('consumer'), h('code', null, payment.consumerId)],
        [t('payer'), payment.payer.masked],
        [t('amount'), money(payment.totalAmount)],
        [t('currency'), payment.currency],
        [t('platformTransaction'), payment.platformTransactionId ? h('code', null, payment.platformTransactionId) : null],
        [t('bank'), payment.bankCode],
        [t('platformPaidAt'), payment.platformPaidAt ? formatDateTime(payment.platformPaidAt) : null],
        [t('createdAt'), formatDateTime(payment.createdAt)],
        [t('updatedAt'), formatDateTime(payment.updatedAt)],
        [t('expiresAt'), formatDateTime(payment.expiresAt)],
        [t('finalAt'), payment.finalAt ? formatDateTime(payment.finalAt) : null],
      ]),
      h('p', { class: 'payments-hint' }, t('payerNote')),
    ),
    h(
      'section',
      { class: 'section payments-section', 'aria-labelledby': 'payment-items-heading' },
      h('h2', { id: 'payment-items-heading' }, t('itemsHeading')),
      dataTable(
        t('itemsCaption'),
        [
          { label: t('code'), cell: (item) => h('code', null, item.code) },
          { label: t('name'), cell: (item) => item.name },
          { label: t('kind'), cell: (item) => t(`kind.${item.kind}`) },
          { label: t('amount'), numeric: true, cell: (item) => money(item.amount) },
        ],
        payment.items,
        { captionHidden: true },
      ),
    ),
    h(
      'section',
      { class: 'section payments-section', 'aria-labelledby': 'payment-history-heading' },
      h('h2', { id: 'payment-history-heading' }, t('historyHeading')),
      dataTable<PaymentTransition>(
        t('historyCaption'),
        [
          { label: t('at'), cell: (line) => formatDateTime(line.at) },
          { label: t('from'), cell: (line) => (line.from ? stateBadge(line.from) : t('none')) },
          { label: t('to'), cell: (line) => stateBadge(line.to) },
          { label: t('source'), cell: (line) => sourceLabel(line.source) },
          { label: t('actor'), cell: (line) => h('code', null, line.actor) },
          { label: t('note'), cell: (line) => line.note ?? t('none') },
        ],
        payment.history,
        { captionHidden: true },
      ),
    ),
    h(
      'section',
      { class: 'section payments-section', 'aria-labelledby': 'payment-ipns-heading' },
      h('h2', { id: 'payment-ipns-heading' }, t('ipnsHeading')),
      dataTable<StoredIpn>(
        t('ipnsCaption'),
        [
          { label: t('receivedAt'), cell: (ipn) => formatDateTime(ipn.receivedAt) },
          { label: t('verdict'), cell: (ipn) => h('code', null, ipn.verdict) },
          { label: t('answerCode'), cell: (ipn) => h('code', null, ipn.answerCode) },
          { label: t('resultCode'), cell: (ipn) => (ipn.resultCode ? h('code', null, ipn.resultCode) : t('none')) },
          { label: t('amount'), numeric: true, cell: (ipn) => money(ipn.amount, ipn.currency ?? payment.currency) },
          { label: t('linked'), cell: (ipn) => (ipn.linked ? badge('ok', t('yes')) : badge('warn', t('no'))) },
          { label: t('note'), cell: (ipn) => ipn.note ?? t('none') },
        ],
        payment.ipns,
        { captionHidden: true, empty: t('ipnsEmpty') },
      ),
    ),
    h(
      'section',
      { class: 'section payments-section', 'aria-labelledby': 'payment-anomalies-heading' },
      h('h2', { id: 'payment-anomalies-heading' }, t('anomaliesHeading')),
      dataTable(
        t('anomaliesCaption'),
        [
          { label: t('at'), cell: (anomaly) => formatDateTime(anomaly.at) },
          { label: t('detail'), cell: (anomaly) => h('code', null, anomalyText(anomaly.detail)) },
        ],
        payment.anomalies,
        { captionHidden: true, empty: t('anomaliesEmpty') },
      ),
    ),
  );
}

/** "amount_mismatch: expectedAmount=… reportedAmount=…": the facts reconciliation recorded, keys in a stable order. */
function anomalyText(detail: Record<string, unknown>): string {
  const { anomaly, ...facts } = detail;
  return [String(anomaly ?? ''), ...Object.keys(facts).sort().map((key) => `${key}=${String(facts[key])}`)].filter(Boolean).join(' ');
}
