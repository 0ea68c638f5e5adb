import { announce, notice } from '../../components.js';
import { append, h, type Child, type Props } from '../../dom.js';

let pendingFlash: string | undefined;

/** A confirmation to show on the next page rendered (after a save navigates away from the form). */
export function flashOnNextRender(message: string): void {
  pendingFlash = message;
}

/** The pending confirmation as a success notice (also announced), or null. */
export function takeFlash(): HTMLElement | null {
  const message = pendingFlash;
  pendingFlash = undefined;
  if (!message) return null;
  announce(message);
  const box = notice('success', h('p', null, message));
  // Screen readers hear it once, from the layout's live region; this copy is for the eyes.
  box.removeAttribute('role');
  return box;
}

/** Term/description pairs (a consumer's details). */
export function definitionList(rows: Array<[string, Child]>): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
}

export function textInput(props: Props = {}): HTMLInputElement {
  return h('input', { type: 'text', autocomplete: 'off', ...props });
}

/** A whole-number input (quotas); `value` may be undefined. */
export function numberInput(value: number | undefined, props: Props = {}): HTMLInputElement {
  return h('input', { type: 'number', inputmode: 'numeric', step: '1', value: value === undefined ? '' : String(value), ...props });
}

/** The input's number, or undefined when empty (the API then leaves it out). */
export function numberOf(input: HTMLInputElement): number | undefined {
  const text = input.value.trim();
  return text === '' ? undefined : Number(text);
}

/** A text input's trimmed value, or undefined when empty. */
export function textOf(input: HTMLInputElement | HTMLTextAreaElement): string | undefined {
  const text = input.value.trim();
  return text === '' ? undefined : text;
}

/** Codes typed as a list, separated by commas, semicolons or white space. */
export function listOf(input: HTMLInputElement): string[] {
  return input.value
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Appends what is given, skipping null/false (parts a role does not see). */
export function appendAll(parent: Node, ...children: Child[]): void {
  append(parent, children);
}
