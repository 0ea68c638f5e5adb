import { h, withAttributes } from '../../dom.js';
import type { PageContext } from '../page-context.js';
import { common } from './texts.js';
import { consoleLink } from '../../components.js';

export type ConsumersSection = 'consumers' | 'purposes';

export const consumersPath = '/console/consumers';
export const purposesPath = '/console/consumers?tab=purposes';

/** The page's two parts as links (each has its own URL; the current one is marked aria-current, not by colour alone). */
export function sectionTabs(current: ConsumersSection, context: PageContext): HTMLElement {
  const tab = (section: ConsumersSection, href: string, label: string) =>
    h('li', null, withAttributes(consoleLink(context.navigate, href, label), { 'aria-current': section === current ? 'page' : undefined, class: 'section-tab' }));
  return h(
    'nav',
    { class: 'section-tabs', 'aria-label': common('tabs') },
    h('ul', null, tab('consumers', consumersPath, common('tabConsumers')), tab('purposes', purposesPath, common('tabPurposes'))),
  );
}
