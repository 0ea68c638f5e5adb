import { notice, pageHeader } from '../components.js';
import { h, useStylesheet } from '../dom.js';
import { paymentTabs } from './payments/payments-parts.js';
import { filterFromQuery, paymentList } from './payments/payment-list.js';
import { renderPaymentDetail } from './payments/payment-detail.js';
import { t } from './payments/payments-text.js';
import { reconciliationSection } from './payments/reconciliation-report.js';
import type { PageContext } from './page-context.js';

/**
 * /console/payments (the list), /console/payments/reconciliation (the daily
 * report) and /console/payments/<reference> (one payment). The payments
 * routes are for lgsp-admin and lgsp-operator; anyone else who opens the
 * address is told so instead of meeting a bare refusal (the API refuses
 * them anyway).
 */
export async function render(root: HTMLElement, context: PageContext): Promise<void> {
  useStylesheet('/console/assets/pages/payments.css');
  if (!context.can('lgsp-admin', 'lgsp-operator')) {
    root.append(
      pageHeader(t('forbiddenTitle')),
      notice('warning', h('p', null, t('forbidden')), context.can('lgsp-auditor') ? h('p', null, t('forbiddenAuditor')) : null),
    );
    return;
  }
  const [part] = context.subpath;
  if (part === undefined) {
    root.append(pageHeader(t('title'), t('lead')), paymentTabs(context, 'list'), paymentList(context, filterFromQuery(context.query)));
  } else if (part === 'reconciliation') {
    root.append(pageHeader(t('title'), t('lead')), paymentTabs(context, 'reconciliation'), reconciliationSection(context));
  } else {
    await renderPaymentDetail(root, context, part);
  }
}
