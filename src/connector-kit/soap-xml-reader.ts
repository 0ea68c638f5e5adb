/**
 * Reads an XML document into plain objects, for SOAP answers on the hot path:
 *
 *   - element names lose their namespace prefix (`ns1:CongDan` → `CongDan`);
 *   - an element with only text becomes its text, trimmed ('' when empty);
 *   - otherwise an object: children by name (repeated names become arrays),
 *     attributes as `@_name` (namespace declarations dropped), text as `#text`;
 *   - text chunks and CDATA sections are trimmed and joined, as node-soap does;
 *   - the five XML entities and numeric character references are decoded.
 *
 * It refuses what a SOAP answer never needs and a hostile one might use
 * (DOCTYPE, hence no entity expansion), unknown entities, mismatched or
 * unclosed tags and nesting deeper than `maxDepth`, by throwing.
 *
 * Why not fast-xml-parser (a development dependency, for the sandbox tests): `npm run bench` measured
 * it at about 0.27 ms of CPU per population lookup answer (≈ 3 KB), one
 * eighth of the gateway's whole cost per lookup; this reader needs a
 * fraction of that (≈ 20 µs on that answer, where sax took ≈ 170 µs and
 * htmlparser2's event parser alone ≈ 65 µs), and the parity tests in connectors/population/client.test.ts
 * hold its output, through soap-fast-path.ts, to node-soap's.
 */
export class XmlReadError extends Error {
  override name = 'XmlReadError';
}

export type XmlNode = string | XmlObject;
export interface XmlObject {
  [key: string]: XmlNode | XmlNode[];
}

interface OpenElement {
  qualifiedName: string;
  localName: string;
  attributes: Record<string, string> | undefined;
  children: XmlObject | undefined;
  text: string;
}

const maxDepth = 100;
const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const attributePattern = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function readXml(xml: string): XmlObject {
  const root: OpenElement = { qualifiedName: '', localName: '', attributes: undefined, children: undefined, text: '' };
  const stack: OpenElement[] = [root];
  let top = root;
  let position = 0;
  for (;;) {
    const open = xml.indexOf('<', position);
    if (open === -1) {
      if (xml.slice(position).trim() !== '') throw new XmlReadError('text after the document element');
      break;
    }
    // Indentation between tags is the usual text: skipped without copying it.
    if (open > position && !isBlank(xml, position, open)) appendText(top, decodeEntities(xml.slice(position, open)), stack.length === 1);
    const next = xml.charCodeAt(open + 1);
    if (next === 0x3f /* ? */) {
      position = endOf(xml, '?>', open) + 2;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', open)) {
        position = endOf(xml, '-->', open) + 3;
      } else if (xml.startsWith('<![CDATA[', open)) {
        const end = endOf(xml, ']]>', open);
        appendText(top, xml.slice(open + 9, end), stack.length === 1);
        position = end + 3;
      } else {
        throw new XmlReadError('DOCTYPE and other declarations are not accepted');
      }
    } else if (next === 0x2f /* / */) {
      const end = endOf(xml, '>', open);
      if (stack.length === 1 || !closes(xml, open + 2, end, top.qualifiedName)) throw new XmlReadError(`unexpected closing tag ${xml.slice(open + 2, end).trim()}`);
      stack.pop();
      const parent = stack[stack.length - 1]!;
      attach(parent, top.localName, valueOf(top));
      top = parent;
      position = end + 1;
    } else {
      let element: OpenElement;
      let end = plainTagEnd(xml, open + 1);
      let selfClosing: boolean;
      if (end !== -1) {
        // A tag that is a name alone (`<ns1:Ten>`, `<ns1:Ten/>`), the common case: no attributes to read.
        selfClosing = xml.charCodeAt(end - 1) === 0x2f;
        const qualifiedName = xml.slice(open + 1, selfClosing ? end - 1 : end);
        if (qualifiedName === '') throw new XmlReadError('element without a name');
        if (!selfClosing) {
          // Text and its closing tag right after (`<ns1:Ten>An</ns1:Ten>`), most of an answer: read as one.
          const close = xml.indexOf('<', end + 1);
          const closeEnd = close !== -1 && xml.charCodeAt(close + 1) === 0x2f ? xml.indexOf('>', close) : -1;
          if (closeEnd !== -1 && closes(xml, close + 2, closeEnd, qualifiedName)) {
            if (stack.length > maxDepth) throw new XmlReadError(`elements nested deeper than ${maxDepth}`);
            attach(top, localName(qualifiedName), isBlank(xml, end + 1, close) ? '' : decodeEntities(xml.slice(end + 1, close)).trim());
            position = closeEnd + 1;
            continue;
          }
        }
        element = { qualifiedName, localName: localName(qualifiedName), attributes: undefined, children: undefined, text: '' };
      } else {
        end = tagEnd(xml, open);
        selfClosing = xml.charCodeAt(end - 1) === 0x2f;
        element = openElement(xml.slice(open + 1, selfClosing ? end - 1 : end));
      }
      if (selfClosing) {
        attach(top, element.localName, valueOf(element));
      } else {
        if (stack.length > maxDepth) throw new XmlReadError(`elements nested deeper than ${maxDepth}`);
        stack.push(element);
        top = element;
      }
      position = end + 1;
    }
  }
  if (stack.length > 1) throw new XmlReadError(`unclosed element ${stack[stack.length - 1]!.qualifiedName}`);
  if (!root.children) throw new XmlReadError('no document element');
  return root.children;
}

/** Whether xml[from, to) is only spaces, tabs and line breaks. */
function isBlank(xml: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (!isSpace(xml.charCodeAt(index))) return false;
  return true;
}

/**
 * The `>` of a start tag that holds only a name (no space, no quote before
 * it), or -1 when the tag has more and goes the long way (tagEnd, openElement).
 */
function plainTagEnd(xml: string, from: number): number {
  for (let index = from; index < xml.length; index += 1) {
    const code = xml.charCodeAt(index);
    if (code === 0x3e) return index;
    if (code === 0x22 || code === 0x27 || isSpace(code)) return -1;
  }
  return -1;
}

/** Whether the closing tag's text xml[from, to) is `name`, blanks around it allowed (as a trimmed copy would compare). */
function closes(xml: string, from: number, to: number, name: string): boolean {
  if (xml.startsWith(name, from)) {
    let index = from + name.length;
    while (index < to && isSpace(xml.charCodeAt(index))) index += 1;
    if (index === to) return true;
  }
  return xml.slice(from, to).trim() === name;
}

function endOf(xml: string, marker: string, from: number): number {
  const end = xml.indexOf(marker, from);
  if (end === -1) throw new XmlReadError(`unterminated markup (missing ${marker})`);
  return end;
}

/** The `>` that ends a start tag, skipping any inside quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let index = from + 1; index < xml.length; index += 1) {
    const code = xml.charCodeAt(index);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 0x22 || code === 0x27) {
      quote = code;
    } else if (code === 0x3e) {
      return index;
    }
  }
  throw new XmlReadError('unterminated start tag');
}

function localName(qualifiedName: string): string {
  const colon = qualifiedName.indexOf(':');
  return colon === -1 ? qualifiedName : qualifiedName.slice(colon + 1);
}

function openElement(tag: string): OpenElement {
  let nameEnd = 0;
  while (nameEnd < tag.length && !isSpace(tag.charCodeAt(nameEnd))) nameEnd += 1;
  const qualifiedName = tag.slice(0, nameEnd);
  if (qualifiedName === '') throw new XmlReadError('element without a name');
  let attributes: Record<string, string> | undefined;
  if (nameEnd < tag.length) {
    attributePattern.lastIndex = nameEnd;
    for (let match = attributePattern.exec(tag); match; match = attributePattern.exec(tag)) {
      const name = match[1]!;
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      (attributes ??= {})[localName(name)] = decodeEntities(match[2] ?? match[3] ?? '');
    }
  }
  return { qualifiedName, localName: localName(qualifiedName), attributes, children: undefined, text: '' };
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function appendText(element: OpenElement, text: string, outsideDocument: boolean): void {
  const trimmed = text.trim();
  if (trimmed === '') return;
  if (outsideDocument) throw new XmlReadError('text outside the document element');
  element.text += trimmed;
}

function valueOf(element: OpenElement): XmlNode {
  if (!element.children && !element.attributes) return element.text;
  const value: XmlObject = element.children ?? {};
  if (element.attributes) for (const [name, attribute] of Object.entries(element.attributes)) value[`@_${name}`] = attribute;
  if (element.text !== '') value['#text'] = element.text;
  return value;
}

/** Names that would reach Object.prototype's own members through a plain object: no SOAP answer uses them. */
function isReservedName(name: string): boolean {
  return name === '__proto__' || name === 'constructor' || name === 'prototype';
}

function attach(parent: OpenElement, name: string, value: XmlNode): void {
  if (isReservedName(name)) throw new XmlReadError(`element name ${name} is not accepted`);
  const children = (parent.children ??= {});
  const found = children[name];
  // Only a name seen before, or one of Object.prototype's (`toString`), finds something: then ask whose it is.
  const existing = found !== undefined && Object.hasOwn(children, name) ? found : undefined;
  if (existing === undefined) children[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else children[name] = [existing, value];
}

function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (whole, entity: string | undefined) => {
    if (entity === undefined) throw new XmlReadError('bare & in text');
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const named = namedEntities[entity];
    if (named === undefined) throw new XmlReadError(`unknown entity ${whole}`);
    return named;
  });
}
