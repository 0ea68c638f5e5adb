/**
 * The pieces of XML that soap-answer-reader.ts reads a SOAP answer with, and
 * the rules that keep a hostile answer out: no DOCTYPE (hence no entity
 * expansion), only the five XML entities and character references, nesting
 * at most `maxDepth` deep, no element named after Object.prototype's members.
 * Each refusal throws an XmlReadError. Positions are indexes into the whole
 * answer, so that names and text are compared where they are instead of
 * being copied out first.
 */
export class XmlReadError extends Error {
  override name = 'XmlReadError';
}

export const maxDepth = 100;

const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const attributePattern = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** Whether xml[from, to) is only spaces, tabs and line breaks. */
export function isBlank(xml: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (!isSpace(xml.charCodeAt(index))) return false;
  return true;
}

/**
 * The `>` of a start tag that holds only a name (no space, no quote before
 * it), or -1 when the tag has more and goes the long way (tagEnd).
 */
export function plainTagEnd(xml: string, from: number): number {
  for (let index = from; index < xml.length; index += 1) {
    const code = xml.charCodeAt(index);
    if (code === 0x3e) return index;
    if (code === 0x22 || code === 0x27 || isSpace(code)) return -1;
  }
  return -1;
}

/** The `>` that ends a start tag, skipping any inside quoted attribute values. */
export function tagEnd(xml: string, from: number): number {
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

export function endOf(xml: string, marker: string, from: number): number {
  const end = xml.indexOf(marker, from);
  if (end === -1) throw new XmlReadError(`unterminated markup (missing ${marker})`);
  return end;
}

/** Where the local name of the qualified name xml[from, to) starts: after its first `:`. */
export function localNameStart(xml: string, from: number, to: number): number {
  for (let index = from; index < to; index += 1) if (xml.charCodeAt(index) === 0x3a) return index + 1;
  return from;
}

/**
 * Whether the closing tag's text xml[from, to) is the name xml[nameFrom,
 * nameTo), blanks around it allowed (as a trimmed copy would compare).
 */
export function closes(xml: string, from: number, to: number, nameFrom: number, nameTo: number): boolean {
  const length = nameTo - nameFrom;
  if (from + length <= to) {
    let same = 0;
    while (same < length && xml.charCodeAt(from + same) === xml.charCodeAt(nameFrom + same)) same += 1;
    if (same === length) {
      let index = from + length;
      while (index < to && isSpace(xml.charCodeAt(index))) index += 1;
      if (index === to) return true;
    }
  }
  return xml.slice(from, to).trim() === xml.slice(nameFrom, nameTo);
}

/** Whether xml[from, to) is `name`. */
export function isName(xml: string, from: number, to: number, name: string): boolean {
  return to - from === name.length && xml.startsWith(name, from);
}

/** Names that would reach Object.prototype's own members through a plain object: no SOAP answer uses them. */
export function isReservedName(xml: string, from: number, to: number): boolean {
  return isName(xml, from, to, '__proto__') || isName(xml, from, to, 'prototype') || isName(xml, from, to, 'constructor');
}

/**
 * The text of xml[from, to), entities decoded, then trimmed (decoding first:
 * `&#32;` at an edge is trimmed too). Spaces at the edges are skipped before
 * copying, so the usual text is copied once.
 */
export function textOf(xml: string, from: number, to: number): string {
  while (from < to && isSpace(xml.charCodeAt(from))) from += 1;
  while (to > from && isSpace(xml.charCodeAt(to - 1))) to -= 1;
  if (from === to) return '';
  const text = xml.slice(from, to);
  return text.indexOf('&') !== -1 ? decodeEntities(text).trim() : trimmed(text);
}

/** `text.trim()` for text whose ASCII spaces at the edges are gone: only an edge outside printable ASCII (a no-break space…) needs it. */
export function trimmed(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? text : text.trim();
}

/**
 * The `>` of a closing tag whose name, starting at `from`, is the start
 * tag's xml[nameFrom, nameTo) followed by nothing but blanks; -1 for
 * anything else, which closes() then decides on. The prefix is compared char
 * by char; the local name, when known as a string (`localName`, '' when not),
 * with startsWith (measured a few % faster per answer than comparing chars).
 */
export function closingTagEnd(xml: string, from: number, nameFrom: number, localFrom: number, nameTo: number, localName: string): number {
  const prefixLength = localFrom - nameFrom;
  for (let index = 0; index < prefixLength; index += 1) if (xml.charCodeAt(from + index) !== xml.charCodeAt(nameFrom + index)) return -1;
  let index = from + prefixLength;
  if (localName !== '') {
    if (!xml.startsWith(localName, index)) return -1;
    index += localName.length;
  } else {
    for (let name = localFrom; name < nameTo; name += 1, index += 1) if (xml.charCodeAt(index) !== xml.charCodeAt(name)) return -1;
  }
  while (isSpace(xml.charCodeAt(index))) index += 1;
  return xml.charCodeAt(index) === 0x3e ? index : -1;
}

export function decodeEntities(text: string): string {
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

/**
 * The attributes of a start tag's text from `from` on, by local name, values
 * decoded; namespace declarations dropped. An object (perhaps empty: an
 * attribute named `__proto__` sets nothing) when any attribute was read,
 * undefined when none.
 */
export function readAttributes(tag: string, from: number): Record<string, string> | undefined {
  let attributes: Record<string, string> | undefined;
  attributePattern.lastIndex = from;
  for (let match = attributePattern.exec(tag); match; match = attributePattern.exec(tag)) {
    const name = match[1]!;
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const colon = name.indexOf(':');
    (attributes ??= {})[colon === -1 ? name : name.slice(colon + 1)] = decodeEntities(match[2] ?? match[3] ?? '');
  }
  return attributes;
}
