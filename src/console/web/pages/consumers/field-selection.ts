/**
 * Which response fields a grant releases, as the field tree shows them.
 * Pure (no DOM), so the rules are unit-tested on their own
 * (test/console/field-selection.test.ts).
 *
 * A grant names dotted paths; naming an object releases it whole. The tree
 * keeps a set of checked nodes with one invariant: a node with children is
 * checked exactly when all its children are. The grant's `fields` are then
 * the highest checked nodes, in the tree's order — so picking every field of
 * an address releases `address`, and picking one releases only that one.
 */
export interface SelectableNode {
  path: string;
  children?: SelectableNode[];
}

export type CheckState = 'checked' | 'unchecked' | 'mixed';

export class FieldSelection {
  private readonly checked = new Set<string>();
  private readonly byPath = new Map<string, SelectableNode>();
  private readonly parentOf = new Map<string, SelectableNode>();
  /** Paths a grant named that the tree does not offer (the contract changed since): kept, so saving does not drop them silently. */
  readonly unknown: string[] = [];

  constructor(
    private readonly roots: readonly SelectableNode[],
    fields: readonly string[] = [],
  ) {
    const index = (nodes: readonly SelectableNode[], parent?: SelectableNode) => {
      for (const node of nodes) {
        this.byPath.set(node.path, node);
        if (parent) this.parentOf.set(node.path, parent);
        index(node.children ?? [], node);
      }
    };
    index(roots);
    for (const path of fields) {
      if (this.byPath.has(path)) this.set(path, true);
      else if (path !== '*') this.unknown.push(path);
    }
  }

  state(path: string): CheckState {
    if (this.checked.has(path)) return 'checked';
    const node = this.byPath.get(path);
    return node && this.anyDescendantChecked(node) ? 'mixed' : 'unchecked';
  }

  /** Checks or unchecks a node with everything under it, and settles its ancestors. */
  set(path: string, checked: boolean): void {
    const node = this.byPath.get(path);
    if (!node) return;
    const mark = (current: SelectableNode) => {
      if (checked) this.checked.add(current.path);
      else this.checked.delete(current.path);
      (current.children ?? []).forEach(mark);
    };
    mark(node);
    for (let parent = this.parentOf.get(path); parent; parent = this.parentOf.get(parent.path)) {
      if ((parent.children ?? []).every((child) => this.checked.has(child.path))) this.checked.add(parent.path);
      else this.checked.delete(parent.path);
    }
  }

  /** A click or Space: a partly picked node becomes fully picked, a fully picked one is cleared. */
  toggle(path: string): void {
    this.set(path, this.state(path) !== 'checked');
  }

  clear(): void {
    this.checked.clear();
  }

  /** Forgets the paths the tree does not offer (the API would refuse them). */
  dropUnknown(): void {
    this.unknown.length = 0;
  }

  /** The grant's `fields`: the highest checked nodes in tree order, then any path the tree does not know. */
  fields(): string[] {
    const picked: string[] = [];
    const walk = (nodes: readonly SelectableNode[]) => {
      for (const node of nodes) {
        if (this.checked.has(node.path)) picked.push(node.path);
        else walk(node.children ?? []);
      }
    };
    walk(this.roots);
    return [...picked, ...this.unknown];
  }

  private anyDescendantChecked(node: SelectableNode): boolean {
    return (node.children ?? []).some((child) => this.checked.has(child.path) || this.anyDescendantChecked(child));
  }
}
