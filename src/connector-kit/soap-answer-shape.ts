/**
 * The schema's view of a SOAP answer, as node-soap's reader uses it to shape
 * what it reads: which elements repeat (maxOccurs > 1) and the simple type of
 * each leaf. Built once per operation from node-soap's describe() output;
 * soap-answer-reader.ts shapes every answer by it.
 */
export interface ShapeEntry {
  /** The element's local name: also the key its value is stored under. */
  name: string;
  array: boolean;
  /** Local name of an XML Schema simple type (`string`, `boolean`…), absent for complex content. */
  type?: string;
  children?: Shape;
}

export interface Shape {
  /**
   * In the schema's order, which is the order a conforming answer sends them
   * in: the reader looks where the last match left off first, then through
   * all (a schema element has a few dozen children at most).
   */
  entries: ShapeEntry[];
}

/** node-soap's describe() output → element shapes: `Name[]` keys are arrays, string values simple types. */
export function shapeOf(description: Record<string, unknown>): Shape {
  const entries: ShapeEntry[] = [];
  for (const [key, value] of Object.entries(description)) {
    if (key === 'targetNSAlias' || key === 'targetNamespace') continue;
    const array = key.endsWith('[]');
    const name = array ? key.slice(0, -2) : key;
    if (typeof value === 'string') entries.push({ name, array, type: value.slice(value.indexOf(':') + 1) });
    else if (value && typeof value === 'object') entries.push({ name, array, children: shapeOf(value as Record<string, unknown>) });
  }
  return { entries };
}

/** node-soap's own view of a SOAP 1.1 Fault: three string-typed children, detail read without a schema. */
export const faultEntry: ShapeEntry = {
  name: 'Fault',
  array: false,
  children: {
    entries: [
      { name: 'faultcode', array: false, type: 'string' },
      { name: 'faultstring', array: false, type: 'string' },
      { name: 'detail', array: false, type: 'string' },
    ],
  },
};

/** The conversions node-soap applies to the text of simple-typed elements. */
export function typedValue(text: string, type: string | undefined): unknown {
  switch (type) {
    case 'int':
    case 'integer':
    case 'short':
    case 'long':
      return parseInt(text, 10);
    case 'double':
    case 'float':
    case 'decimal':
      return Number(text);
    case 'bool':
    case 'boolean':
      return text.toLowerCase() === 'true' || text === '1';
    case 'dateTime':
    case 'date':
      return new Date(text);
    default:
      return text;
  }
}

/** What an element with no text and nothing else in it reads as: '' where the schema says xs:string, null otherwise. */
export function emptyValue(entry: ShapeEntry | undefined): '' | null {
  return entry?.type === 'string' ? '' : null;
}
