/**
 * A tiny XML writer for sandbox responses. Sandboxes write their payloads
 * themselves (rather than through a SOAP library's serializer) because the
 * point is to reproduce the upstream byte for byte in its quirks: element
 * order, prefixes, an empty element versus a missing one.
 */

/** A leaf's text, or nested elements in order. `undefined` members are left out; '' gives `<x/>`. */
export type XmlContent = string | XmlFields;
export interface XmlFields {
  [element: string]: XmlContent | XmlContent[] | undefined;
}

export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;');
}

export interface RenderOptions {
  /** Namespace prefix put on every element, e.g. 'ns1'. */
  prefix?: string;
  /** Attributes of the root element only (namespace declarations go here). */
  rootAttributes?: Record<string, string>;
  indent?: string;
  /** Indentation level of the root element. */
  level?: number;
}

/** Renders `<root>fields</root>`, indented, members in insertion order. */
export function renderXmlElement(name: string, content: XmlContent, options: RenderOptions = {}): string {
  const indent = options.indent ?? '  ';
  const qualify = (local: string): string => (options.prefix ? `${options.prefix}:${local}` : local);
  const lines: string[] = [];

  const write = (local: string, value: XmlContent, level: number, attributes?: Record<string, string>): void => {
    const pad = indent.repeat(level);
    const tag = qualify(local);
    const attributeText = Object.entries(attributes ?? {})
      .map(([key, attributeValue]) => ` ${key}="${escapeXmlAttribute(attributeValue)}"`)
      .join('');
    if (typeof value === 'string') {
      lines.push(value === '' ? `${pad}<${tag}${attributeText}/>` : `${pad}<${tag}${attributeText}>${escapeXmlText(value)}</${tag}>`);
      return;
    }
    const members = Object.entries(value).filter(([, member]) => member !== undefined) as Array<[string, XmlContent | XmlContent[]]>;
    if (members.length === 0) {
      lines.push(`${pad}<${tag}${attributeText}/>`);
      return;
    }
    lines.push(`${pad}<${tag}${attributeText}>`);
    for (const [childName, child] of members) {
      for (const item of Array.isArray(child) ? child : [child]) write(childName, item, level + 1);
    }
    lines.push(`${pad}</${tag}>`);
  };

  write(name, content, options.level ?? 0, options.rootAttributes);
  return lines.join('\n');
}
