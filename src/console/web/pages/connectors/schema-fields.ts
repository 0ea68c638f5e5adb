import { field } from '../../components.js';
import { h, uniqueId } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import type { FieldErrors } from './field-errors.js';
import type { JsonSchema } from './types.js';

const t = defineMessages({
  vi: { unset: '(không đặt)', true: 'có (true)', false: 'không (false)', defaultValue: 'Mặc định: {value}' },
  en: { unset: '(not set)', true: 'yes (true)', false: 'no (false)', defaultValue: 'Default: {value}' },
});

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** One form control for one property of a connector's JSON schema, and how to read what was typed back as a JSON value. */
export interface SchemaControl {
  name: string;
  control: Control;
  /** The field with its label, hint and error line. */
  element: HTMLElement;
  /** The value to send; undefined leaves the property out. */
  read(): unknown;
}

/**
 * A control for a settings property. Values are sent as typed (a number
 * field that does not hold a number goes as text): the API validates and
 * names the field it refuses, so the form does not keep its own rules.
 */
export function settingsControl(path: string, name: string, property: JsonSchema, current: unknown, errors: FieldErrors, options: { required?: boolean } = {}): SchemaControl {
  const type = Array.isArray(property.type) ? property.type.find((item) => item !== 'null') : property.type;
  const id = uniqueId(`setting-${name}`);
  let control: Control;
  let read: () => unknown;
  if (Array.isArray(property.enum)) {
    const select = h('select', { id, name }, h('option', { value: '' }, t('unset')), ...(property.enum as unknown[]).map((value) => h('option', { value: JSON.stringify(value), selected: JSON.stringify(value) === JSON.stringify(current) }, String(value))));
    control = select;
    read = () => (select.value === '' ? undefined : JSON.parse(select.value));
  } else if (type === 'boolean') {
    const select = h('select', { id, name }, h('option', { value: '' }, t('unset')), h('option', { value: 'true', selected: current === true }, t('true')), h('option', { value: 'false', selected: current === false }, t('false')));
    control = select;
    read = () => (select.value === '' ? undefined : select.value === 'true');
  } else if (type === 'integer' || type === 'number') {
    const input = h('input', { id, name, type: 'text', inputmode: 'decimal', autocomplete: 'off', value: current === undefined ? '' : String(current) });
    control = input;
    read = () => {
      const text = input.value.trim();
      if (text === '') return undefined;
      return Number.isFinite(Number(text)) ? Number(text) : text;
    };
  } else if (type === 'object' || type === 'array') {
    const area = h('textarea', { id, name, spellcheck: 'false', rows: 3, class: 'code' });
    area.value = current === undefined ? '' : JSON.stringify(current, null, 2);
    control = area;
    read = () => {
      if (area.value.trim() === '') return undefined;
      try {
        return JSON.parse(area.value) as unknown;
      } catch {
        return area.value;
      }
    };
  } else {
    const input = h('input', { id, name, type: 'text', autocomplete: 'off', spellcheck: 'false', value: current === undefined ? '' : String(current) });
    control = input;
    // An empty box for a property that was not set leaves it out; one that was set to "" keeps "".
    read = () => (input.value === '' && current === undefined ? undefined : input.value);
  }
  const hint = [typeof property.description === 'string' ? property.description : '', property.default !== undefined ? t('defaultValue', { value: JSON.stringify(property.default) }) : ''].filter(Boolean).join(' ');
  const element = field(name, control, { ...(hint && { hint }), ...(options.required && { required: true }) });
  // The descriptor's words are English whatever the console's language: say so to screen readers.
  element.querySelector('.hint')?.setAttribute('lang', 'en');
  element.append(errors.register(path, control));
  return { name, control, element, read };
}

/** The properties of an object schema, in the schema's order, with whether each is required. */
export function propertiesOf(schema: JsonSchema): Array<{ name: string; property: JsonSchema; required: boolean }> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) => ({ name, property, required: required.has(name) }));
}
