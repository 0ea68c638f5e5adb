import { h, type Child } from '../../dom.js';
import type { PageContext } from '../page-context.js';

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
  return h('dl', { class: 'outbox-facts' }, ...present.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]));
}
