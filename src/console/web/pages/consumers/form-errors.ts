import { ApiError } from '../../api.js';
import { h, uniqueId } from '../../dom.js';
import { defineMessages } from '../../i18n.js';

const t = defineMessages({
  vi: { prefix: 'Lỗi:' },
  en: { prefix: 'Error:' },
});

interface Slot {
  control: HTMLElement;
  message: HTMLElement;
}

/**
 * The API's field errors (problem+json `errors[]`, dotted paths such as
 * `purposes`, `fields.3` or `quota.burstWindowSeconds`) shown beside the
 * control they concern, tied to it with aria-describedby and aria-invalid.
 * An error goes to the control registered under the longest matching prefix
 * of its path; one no control claims stays in the form's summary only.
 */
export class FormErrors {
  private readonly slots = new Map<string, Slot>();

  /** The message element to place next to `control` (empty and hidden until an error names the field). */
  slot(field: string, control: HTMLElement): HTMLElement {
    const message = h('p', { class: 'field-error', id: uniqueId('field-error'), hidden: true });
    this.slots.set(field, { control, message });
    return message;
  }

  /** Shows each field error beside its control; returns whether any found a place. */
  show(error: unknown): boolean {
    this.clear();
    if (!(error instanceof ApiError)) return false;
    let placed = false;
    for (const item of error.errors) {
      const slot = this.slotFor(item.field);
      if (!slot) continue;
      placed = true;
      slot.message.hidden = false;
      slot.message.append(h('span', { class: 'field-error-line' }, h('strong', null, t('prefix')), ' ', item.message, item.field.includes('.') ? h('code', null, ` (${item.field})`) : null));
      slot.control.setAttribute('aria-invalid', 'true');
      const describedBy = (slot.control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      if (!describedBy.includes(slot.message.id)) slot.control.setAttribute('aria-describedby', [...describedBy, slot.message.id].join(' '));
    }
    return placed;
  }

  clear(): void {
    for (const { control, message } of this.slots.values()) {
      message.replaceChildren();
      message.hidden = true;
      control.removeAttribute('aria-invalid');
      const describedBy = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== message.id);
      if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
      else control.removeAttribute('aria-describedby');
    }
  }

  private slotFor(field: string): Slot | undefined {
    const segments = field.split('.');
    for (let length = segments.length; length > 0; length -= 1) {
      const slot = this.slots.get(segments.slice(0, length).join('.'));
      if (slot) return slot;
    }
    return undefined;
  }
}
