import { ApiError, type FieldError } from '../../api.js';
import { h } from '../../dom.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * The API's field errors (`errors[].field`, e.g. `settings.apiPath`,
 * `credentials.password`) shown under the controls they name: the control is
 * marked invalid and described by the message. A field no control owns (or a
 * deeper path of one) goes to the nearest registered ancestor.
 */
export class FieldErrors {
  private readonly slots = new Map<string, { control: Control; message: HTMLElement }>();

  /** Registers the control for an API field path; put the returned element under the control. */
  register(path: string, control: Control): HTMLElement {
    const message = h('p', { class: 'field-error', id: `${control.id || path.replace(/\W+/g, '-')}-error`, hidden: true });
    this.slots.set(path, { control, message });
    return message;
  }

  /** Shows the errors of a problem (anything else is left to the problem notice); returns how many found a control. */
  show(error: unknown): number {
    this.clear();
    if (!(error instanceof ApiError)) return 0;
    let placed = 0;
    const byControl = new Map<string, FieldError[]>();
    for (const item of error.errors) {
      const path = this.ownerOf(item.field);
      if (!path) continue;
      byControl.set(path, [...(byControl.get(path) ?? []), item]);
    }
    for (const [path, items] of byControl) {
      const slot = this.slots.get(path)!;
      slot.message.textContent = items.map((item) => (item.field === path ? item.message : `${item.field}: ${item.message}`)).join('; ');
      slot.message.hidden = false;
      slot.control.setAttribute('aria-invalid', 'true');
      const described = (slot.control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      if (!described.includes(slot.message.id)) slot.control.setAttribute('aria-describedby', [...described, slot.message.id].join(' '));
      placed += 1;
    }
    return placed;
  }

  clear(): void {
    for (const slot of this.slots.values()) {
      slot.message.hidden = true;
      slot.message.textContent = '';
      slot.control.removeAttribute('aria-invalid');
    }
  }

  private ownerOf(field: string): string | undefined {
    for (let path = field; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
      if (this.slots.has(path)) return path;
    }
    return undefined;
  }
}
