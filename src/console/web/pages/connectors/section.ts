import { announce, notice } from '../../components.js';
import { h, replaceChildren, type Child } from '../../dom.js';

/**
 * One titled part of the detail page. Its heading stays in place when the
 * content is rebuilt after a change, so focus can land on it and the
 * confirmation next to it is read out.
 */
export interface Section {
  element: HTMLElement;
  show(...children: Child[]): void;
  /** After a change: a note at the top of the section (success unless told), announced, with focus on the heading. */
  confirm(message: string, kind?: 'success' | 'warning'): void;
}

export function section(id: string, title: string): Section {
  const heading = h('h2', { id: `${id}-title`, tabindex: '-1' }, title);
  const body = h('div', { class: 'section-body' });
  const element = h('section', { id, class: 'section', 'aria-labelledby': `${id}-title` }, heading, body);
  return {
    element,
    show: (...children) => replaceChildren(body, ...children),
    confirm(message, kind = 'success') {
      body.prepend(notice(kind, message));
      announce(message);
      heading.focus();
    },
  };
}

/** Label/value pairs (a description list), for what a section shows. */
export function facts(rows: Array<[string, Child]>, className = 'facts'): HTMLElement {
  return h('dl', { class: className }, ...rows.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]));
}
