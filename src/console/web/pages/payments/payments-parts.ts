import { h, type Child } from '../../dom.js';
import type { PageContext } from '../page-context.js';
import { t } from './payments-text.js';

/** A real link (opens in a new tab with ctrl/middle click) that moves inside the console without a reload. */
export function consoleLink(context: PageContext, href: string, ...children: Child[]): HTMLAnchorElement {
  return h(
    'a',
    {
      href,
      onclick: (event: MouseEvent) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        context.navigate(href);
      },
    },
    ...children,
  );
}

/** Label/value pairs as a description list; a fact without a value (not applicable in this state) is left out. */
export function factList(facts: Array<[string, Child]>): HTMLElement {
  const present = facts.filter(([, value]) => value !== null && value !== undefined && value !== '' && value !== false);
  return h('dl', { class: 'payments-facts' }, ...present.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]));
}

/** Today as YYYY-MM-DD in Vietnam (the reconciliation report's days are Vietnam days, whatever the office PC's zone). */
export function vietnamToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The first instant of a Vietnam day (UTC+7, no daylight saving), days later. */
export function vietnamDayStart(day: string, plusDays = 0): string {
  return new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86_400_000).toISOString();
}

/** The page's two parts, as links (each has its own address); the current one is marked for screen readers too. */
export function paymentTabs(context: PageContext, current: 'list' | 'reconciliation'): HTMLElement {
  const tab = (part: 'list' | 'reconciliation', href: string, label: string) => {
    const link = consoleLink(context, href, label);
    if (part === current) link.setAttribute('aria-current', 'page');
    return h('li', null, link);
  };
  return h(
    'nav',
    { class: 'payments-tabs', 'aria-label': t('tabs') },
    h('ul', null, tab('list', '/console/payments', t('tabList')), tab('reconciliation', '/console/payments/reconciliation', t('tabReconciliation'))),
  );
}
