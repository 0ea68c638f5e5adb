import { h, uniqueId } from '../../dom.js';

export interface TabDefinition<Id extends string> {
  id: Id;
  label: string;
  /** Builds the panel's content the first time the tab is shown; it is kept (with its state) afterwards. */
  render: (panel: HTMLElement) => void;
}

/**
 * Tabs after the WAI-ARIA pattern: real buttons with role=tab in a
 * tablist, arrow keys (and Home/End) move between them, only the selected
 * tab is in the tab order, each panel is labelled by its tab. Panels are
 * built lazily and kept, so a half-filled form survives a switch.
 */
export function tabs<Id extends string>(label: string, definitions: Array<TabDefinition<Id>>, initial: Id, onSelect?: (id: Id) => void): HTMLElement {
  const prefix = uniqueId('tabs');
  const built = new Set<Id>();
  const buttons: HTMLButtonElement[] = [];
  const panels: HTMLElement[] = [];

  const select = (index: number, focus: boolean) => {
    definitions.forEach((definition, i) => {
      const selected = i === index;
      buttons[i]!.setAttribute('aria-selected', String(selected));
      buttons[i]!.tabIndex = selected ? 0 : -1;
      panels[i]!.hidden = !selected;
      if (selected && !built.has(definition.id)) {
        built.add(definition.id);
        definition.render(panels[i]!);
      }
    });
    if (focus) buttons[index]!.focus();
    onSelect?.(definitions[index]!.id);
  };

  definitions.forEach((definition, index) => {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `${prefix}-tab-${definition.id}`,
          'aria-controls': `${prefix}-panel-${definition.id}`,
          class: 'tab',
          onclick: () => select(index, false),
        },
        definition.label,
      ),
    );
    panels.push(h('section', { role: 'tabpanel', id: `${prefix}-panel-${definition.id}`, 'aria-labelledby': `${prefix}-tab-${definition.id}`, class: 'tab-panel' }));
  });

  const list = h('div', { role: 'tablist', 'aria-label': label, class: 'tab-list' }, ...buttons);
  list.addEventListener('keydown', (event) => {
    const current = buttons.findIndex((button) => button.getAttribute('aria-selected') === 'true');
    const last = buttons.length - 1;
    const target = event.key === 'ArrowRight' ? (current === last ? 0 : current + 1) : event.key === 'ArrowLeft' ? (current === 0 ? last : current - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : undefined;
    if (target === undefined) return;
    event.preventDefault();
    select(target, true);
  });

  const container = h('div', { class: 'tabs' }, list, ...panels);
  select(Math.max(0, definitions.findIndex((definition) => definition.id === initial)), false);
  return container;
}
