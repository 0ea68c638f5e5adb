import { h, uniqueId } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import { FieldSelection } from './field-selection.js';
import type { FieldNode } from './model.js';

const t = defineMessages({
  vi: {
    keys: 'Phím: mũi tên lên/xuống để di chuyển, phải/trái để mở/đóng nhóm, cách (Space) để chọn hoặc bỏ chọn, gõ chữ để tìm trường.',
    picked: 'Đã chọn {count} trường: {fields}',
    pickedNone: 'Chưa chọn trường nào.',
  },
  en: {
    keys: 'Keys: up/down arrows move, right/left open/close a group, Space picks or unpicks, type letters to find a field.',
    picked: '{count} fields picked: {fields}',
    pickedNone: 'No field picked yet.',
  },
});

export interface FieldTree {
  element: HTMLElement;
  /** The tree itself (role=tree), for a label and for field errors. */
  tree: HTMLElement;
  selection: FieldSelection;
  /** Re-reads the selection into the checkboxes (after it changed outside the tree). */
  refresh(): void;
}

interface Item {
  node: FieldNode;
  element: HTMLLIElement;
  hasChildren: boolean;
  parent?: Item;
}

/**
 * The response's fields as a checkbox tree (the WAI-ARIA tree pattern): one
 * tab stop, arrows to move, open and close groups, Space to pick, letters to
 * jump to a field; a group shows "mixed" when only some of its fields are
 * picked. What is picked reads back as a grant's `fields`.
 *
 * The items are one flat list carrying aria-level, aria-setsize and
 * aria-posinset (the pattern's flat form), so each item's name is exactly
 * its own row — field, type, description — and never its children's text.
 */
export function fieldTree(nodes: readonly FieldNode[], fields: readonly string[], options: { labelledBy: string }): FieldTree {
  const selection = new FieldSelection(nodes, fields);
  const items: Item[] = [];
  const helpId = uniqueId('tree-help');
  const summary = h('p', { class: 'tree-summary', 'aria-live': 'polite' });
  const tree = h('ul', { role: 'tree', class: 'field-tree', 'aria-labelledby': options.labelledBy, 'aria-describedby': helpId, 'aria-multiselectable': 'true' });

  const build = (level: readonly FieldNode[], depth: number, parent?: Item) => {
    level.forEach((node, index) => {
      const hasChildren = Boolean(node.children?.length);
      const element = h('li', {
        role: 'treeitem',
        'aria-level': String(depth),
        'aria-setsize': String(level.length),
        'aria-posinset': String(index + 1),
        'aria-expanded': hasChildren ? 'false' : undefined,
        tabindex: '-1',
        'data-path': node.path,
        hidden: depth > 1,
      });
      const twisty = h('span', { class: 'tree-twisty', 'aria-hidden': 'true' });
      const row = h(
        'div',
        { class: 'tree-row' },
        twisty,
        h('span', { class: 'tree-check', 'aria-hidden': 'true' }),
        h('span', { class: 'tree-name' }, node.name),
        ' ',
        h('span', { class: 'tree-detail' }, h('code', null, node.type), node.description ? ` — ${node.description}` : null),
      );
      // Indentation by level (a style property set from script: the CSP allows it, unlike a style attribute in markup).
      row.style.paddingLeft = `${0.6 + (depth - 1) * 1.5}rem`;
      element.append(row);
      const item: Item = { node, element, hasChildren, parent };
      items.push(item);
      // The pointer: the twisty opens and closes, the rest of the row picks (the keyboard does both from the item).
      twisty.addEventListener('click', (event) => {
        event.stopPropagation();
        setExpanded(item, !isExpanded(item));
        focus(item);
      });
      row.addEventListener('click', () => {
        focus(item);
        toggle(item);
      });
      tree.append(element);
      if (hasChildren) build(node.children!, depth + 1, item);
    });
  };
  build(nodes, 1);

  const isExpanded = (item: Item) => item.element.getAttribute('aria-expanded') === 'true';

  /** An item shows when every group above it is open. */
  const shown = (item: Item): boolean => !item.parent || (isExpanded(item.parent) && shown(item.parent));

  function setExpanded(item: Item, expanded: boolean): void {
    if (!item.hasChildren) return;
    item.element.setAttribute('aria-expanded', String(expanded));
    for (const other of items) other.element.hidden = !shown(other);
  }

  const visibleItems = () => items.filter((item) => !item.element.hidden);

  function focus(item: Item): void {
    for (const other of items) other.element.tabIndex = other === item ? 0 : -1;
    item.element.focus();
  }

  function toggle(item: Item): void {
    selection.toggle(item.node.path);
    refresh();
  }

  function refresh(): void {
    for (const item of items) item.element.setAttribute('aria-checked', selection.state(item.node.path) === 'mixed' ? 'mixed' : String(selection.state(item.node.path) === 'checked'));
    const picked = selection.fields();
    summary.textContent = picked.length ? t('picked', { count: picked.length, fields: picked.join(', ') }) : t('pickedNone');
  }

  let typed = '';
  let typedAt = 0;
  tree.addEventListener('keydown', (event) => {
    const current = items.find((item) => item.element === document.activeElement);
    if (!current) return;
    const visible = visibleItems();
    const position = visible.indexOf(current);
    const expanded = isExpanded(current);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (visible[position + 1]) focus(visible[position + 1]!);
        break;
      case 'ArrowUp':
        if (position > 0) focus(visible[position - 1]!);
        break;
      case 'ArrowRight':
        if (current.hasChildren && !expanded) setExpanded(current, true);
        else if (current.hasChildren) focus(items.find((item) => item.parent === current)!);
        break;
      case 'ArrowLeft':
        if (current.hasChildren && expanded) setExpanded(current, false);
        else if (current.parent) focus(current.parent);
        break;
      case 'Home':
        focus(visible[0]!);
        break;
      case 'End':
        focus(visible.at(-1)!);
        break;
      case ' ':
      case 'Enter':
        toggle(current);
        break;
      case '*':
        for (const sibling of items.filter((item) => item.parent === current.parent)) setExpanded(sibling, true);
        break;
      default:
        handled = typeAhead(event, visible, position);
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  });

  /** Letters typed in quick succession jump to the next visible field whose name starts with them. */
  function typeAhead(event: KeyboardEvent, visible: Item[], position: number): boolean {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return false;
    const now = Date.now();
    typed = now - typedAt > 800 ? event.key.toLowerCase() : typed + event.key.toLowerCase();
    typedAt = now;
    // A fresh search starts after the current item; a growing one may stay on it.
    const start = typed.length === 1 ? position + 1 : position;
    const ordered = [...visible.slice(start), ...visible.slice(0, start)];
    const match = ordered.find((item) => item.node.name.toLowerCase().startsWith(typed));
    if (match) focus(match);
    return true;
  }

  // A picked field inside a group is shown: its groups start open.
  for (const item of items) if (item.hasChildren && selection.state(item.node.path) === 'mixed') setExpanded(item, true);
  if (items[0]) items[0].element.tabIndex = 0;
  refresh();

  const element = h('div', { class: 'field-tree-wrap' }, h('p', { class: 'hint', id: helpId }, t('keys')), tree, summary);
  return { element, tree, selection, refresh };
}
