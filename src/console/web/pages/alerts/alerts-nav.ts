import { consoleLink } from '../../components.js';
import { h, withAttributes } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import type { PageContext } from '../page-context.js';

const t = defineMessages({
  vi: { nav: 'Các mục của trang cảnh báo', open: 'Chưa khắc phục', history: 'Lịch sử', all: 'Tất cả cảnh báo', silences: 'Tạm tắt thông báo' },
  en: { nav: 'Alert page sections', open: 'Not resolved', history: 'History', all: 'All alerts', silences: 'Silences' },
});

export type AlertsSection = 'open' | 'history' | 'all' | 'silences' | 'detail';

/** Which tab a list URL belongs to (the state filter decides; other filters keep it). */
export function sectionOf(context: PageContext): AlertsSection {
  if (context.subpath[0] === 'silences') return 'silences';
  if (context.subpath.length > 0) return 'detail';
  const state = context.query.get('state');
  if (state === 'resolved') return 'history';
  if (state === 'all') return 'all';
  return 'open';
}

/** The alerts page's own tabs: open alerts, the resolved history, everything, silences. */
export function alertsNav(context: PageContext, current: AlertsSection): HTMLElement {
  const tab = (section: AlertsSection, href: string, label: string) =>
    h('li', null, withAttributes(consoleLink(context.navigate, href, label), { 'aria-current': section === current ? 'page' : undefined }));
  return h(
    'nav',
    { class: 'sub-nav', 'aria-label': t('nav') },
    h(
      'ul',
      null,
      tab('open', '/console/alerts', t('open')),
      tab('history', '/console/alerts?state=resolved', t('history')),
      tab('all', '/console/alerts?state=all', t('all')),
      tab('silences', '/console/alerts/silences', t('silences')),
    ),
  );
}
