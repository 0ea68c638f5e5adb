import { emptyValue, faultEntry, typedValue, type ShapeEntry } from './soap-answer-shape.js';
import {
  closes,
  closingTagEnd,
  decodeEntities,
  endOf,
  isName,
  isReservedName,
  isSpace,
  localNameStart,
  maxDepth,
  plainTagEnd,
  readAttributes,
  tagEnd,
  textOf,
  trimmed,
  XmlReadError,
} from './soap-xml-scanning.js';

/**
 * Reads a SOAP answer in one pass, building the operation's result shaped by
 * its schema as node-soap's reader shapes it (soap-fast-path.ts lists the
 * rules), with no generic tree in between:
 *
 *   - element names lose their namespace prefix (`ns1:CongDan` → `CongDan`);
 *   - text chunks and CDATA sections are trimmed and joined, the five XML
 *     entities and character references decoded;
 *   - a child declared maxOccurs > 1, or arriving more than once, is an array;
 *   - attributes go under `attributes`, text beside children or attributes
 *     under `$value`, an element with xsi:nil="true" is left out.
 *
 * Only the Body's Fault and result elements are shaped; the rest of the
 * document (Header, other Body children) is read for its well-formedness
 * only, since a refusal anywhere (soap-xml-scanning.ts) makes the whole
 * answer not SOAP. Elements whose names start with `@` or `#` are refused
 * too: they are not XML names.
 *
 * Why one pass: the reader before built a generic tree of plain objects
 * that a second walk shaped. `npm run bench:soap-read` (Node 20, CPU time,
 * both versions interleaved in one process on the shared 2-core machine)
 * measured, on the 3 KB population lookup answer, ≈ 21.9 → 18.8 µs and
 * ≈ 12.9 → 3.7 KB allocated per read; on every recorded SOAP answer of the
 * three connectors 11–24 % less CPU and 62–78 % fewer bytes. Most of what
 * is left is finding the markup (character scans), which both pay; text is
 * searched with indexOf, which V8 runs natively, rather than char by char.
 * Why not a library: fast-xml-parser (a development dependency, for the
 * sandbox tests) measured ≈ 270 µs of CPU on that answer in `npm run bench`,
 * sax ≈ 170 µs, htmlparser2's event parser alone ≈ 65 µs.
 *
 * The parity tests in connectors/<id>/client.test.ts hold its output to
 * node-soap's over every recorded answer.
 */
export type SoapAnswer =
  | { kind: 'result'; result: unknown }
  | { kind: 'fault'; fault: { faultcode?: string; faultstring?: string; detail?: unknown } }
  | { kind: 'not-soap' };

/** What an element with xsi:nil="true" reads as: left out of its parent. */
const omitted = Symbol('omitted');

/** What an open element is read for. */
const skipped = 0;
const shaped = 1;
const documentRoot = 2;
const envelope = 3;
const body = 4;

interface OpenElement {
  mode: number;
  /** Where its qualified name is in the answer, for its closing tag to be compared with. */
  nameFrom: number;
  localFrom: number;
  nameTo: number;
  entry: ShapeEntry | undefined;
  /** Its local name when shaped (its key in the parent's result), '' otherwise. */
  key: string;
  /** A Body child's index in `tracked`. */
  tracked: number;
  /** Its children's values by name; a child whose every occurrence so far was nil holds `omitted`, keeping its place. */
  result: Record<string, unknown> | undefined;
  /** Whether `result` holds anything but `omitted`. */
  kept: boolean;
  placeholders: number;
  attributes: Record<string, string> | undefined;
  nil: boolean;
  text: string;
  /** Index in entries after the child matched last: where the next child is looked for first. */
  cursor: number;
}

export class SoapAnswerReader {
  /** Open elements by depth; reused from one answer to the next (reading is synchronous). */
  private readonly stack: OpenElement[] = [];
  /** Body children that are shaped, in the order node-soap looks for them: Fault first, then the result's possible names. */
  private readonly trackedNames: string[];
  private readonly trackedEntries: ShapeEntry[];
  private readonly counts: number[];
  private readonly values: unknown[];
  private envelopes = 0;
  private bodies = 0;
  /** node-soap's reader needs the Body to hold an element or an attribute. */
  private bodyIsObject = false;
  private documentElement = false;
  /** The tracked child read again because it repeated, and its values (see repeated()). */
  private collect = -1;
  private collected: unknown[] = [];
  /** The first `&` at or after ampersandFrom (the answer's length when none); see ampersandIn(). */
  private ampersandAt = 0;
  private ampersandFrom = 0;

  constructor(resultEntry: ShapeEntry, resultNames: string[]) {
    this.trackedNames = ['Fault', ...new Set(resultNames.filter((name) => name !== 'Fault'))];
    this.trackedEntries = this.trackedNames.map((name) => (name === 'Fault' ? faultEntry : resultEntry));
    this.counts = this.trackedNames.map(() => 0);
    this.values = this.trackedNames.map(() => undefined);
  }

  read(text: string): SoapAnswer {
    try {
      this.walk(text, -1);
    } catch {
      return { kind: 'not-soap' };
    }
    if (this.envelopes !== 1 || this.bodies !== 1 || !this.bodyIsObject) return { kind: 'not-soap' };
    const found = this.counts.findIndex((count) => count > 0);
    if (found === -1) return { kind: 'result', result: undefined };
    const value = this.counts[found]! > 1 ? this.repeated(text, found) : this.values[found];
    if (found === 0) return { kind: 'fault', fault: (value && typeof value === 'object' ? value : {}) as { faultcode?: string } };
    return { kind: 'result', result: value === omitted ? undefined : value };
  }

  /**
   * A Fault or result element sent more than once: node-soap's view of it is
   * an object keyed by position ('0', '1'…), each read without a schema, nil
   * ones left out, null when none is left. Rare enough to read the answer
   * again for.
   */
  private repeated(text: string, index: number): unknown {
    this.collected = [];
    this.walk(text, index);
    const value: Record<number, unknown> = {};
    let any = false;
    this.collected.forEach((item, position) => {
      if (item === omitted) return;
      value[position] = item;
      any = true;
    });
    this.collected = [];
    return any ? value : null;
  }

  private walk(xml: string, collect: number): void {
    this.collect = collect;
    this.envelopes = 0;
    this.bodies = 0;
    this.bodyIsObject = false;
    this.documentElement = false;
    this.counts.fill(0);
    this.values.fill(undefined);
    this.ampersandAt = -1;
    this.ampersandFrom = 0;
    const { length } = xml;
    let top = this.element(0, documentRoot, 0, 0, 0);
    let depth = 1;
    let position = 0;
    for (;;) {
      // Indentation between tags is the usual text: skipped, not copied, and not searched twice for the next `<`.
      let open = position;
      while (open < length && isSpace(xml.charCodeAt(open))) open += 1;
      if (open === length) break;
      if (xml.charCodeAt(open) !== 0x3c) {
        open = xml.indexOf('<', open);
        if (open === -1) {
          if (xml.slice(position).trim() !== '') throw new XmlReadError('text after the document element');
          break;
        }
        this.text(top, xml, position, open);
      }
      const next = xml.charCodeAt(open + 1);
      if (next === 0x3f /* ? */) {
        position = endOf(xml, '?>', open) + 2;
      } else if (next === 0x21 /* ! */) {
        if (xml.startsWith('<!--', open)) {
          position = endOf(xml, '-->', open) + 3;
        } else if (xml.startsWith('<![CDATA[', open)) {
          const end = endOf(xml, ']]>', open);
          this.cdata(top, xml.slice(open + 9, end));
          position = end + 3;
        } else {
          throw new XmlReadError('DOCTYPE and other declarations are not accepted');
        }
      } else if (next === 0x2f /* / */) {
        if (depth === 1) throw new XmlReadError(`unexpected closing tag ${xml.slice(open + 2, endOf(xml, '>', open)).trim()}`);
        let end = closingTagEnd(xml, open + 2, top.nameFrom, top.localFrom, top.nameTo, top.key);
        if (end === -1) {
          end = endOf(xml, '>', open);
          if (!closes(xml, open + 2, end, top.nameFrom, top.nameTo)) throw new XmlReadError(`unexpected closing tag ${xml.slice(open + 2, end).trim()}`);
        }
        depth -= 1;
        const parent = this.stack[depth - 1]!;
        this.close(top, parent);
        top = parent;
        position = end + 1;
      } else {
        const nameFrom = open + 1;
        let end = plainTagEnd(xml, nameFrom);
        let nameTo: number;
        let tagTo: number;
        let selfClosing: boolean;
        if (end !== -1) {
          // A tag that is a name alone (`<ns1:Ten>`, `<ns1:Ten/>`), the common case: no attributes to read.
          selfClosing = xml.charCodeAt(end - 1) === 0x2f;
          nameTo = tagTo = selfClosing ? end - 1 : end;
        } else {
          end = tagEnd(xml, open);
          selfClosing = xml.charCodeAt(end - 1) === 0x2f;
          tagTo = selfClosing ? end - 1 : end;
          nameTo = nameFrom;
          while (nameTo < tagTo && !isSpace(xml.charCodeAt(nameTo))) nameTo += 1;
        }
        if (nameTo === nameFrom) throw new XmlReadError('element without a name');
        const localFrom = localNameStart(xml, nameFrom, nameTo);
        checkLocalName(xml, localFrom, nameTo);
        const entry = top.mode === shaped ? childEntry(top, xml, localFrom, nameTo) : undefined;
        if (tagTo === nameTo && (top.mode === shaped || top.mode === skipped)) {
          if (selfClosing) {
            this.leaf(top, xml, localFrom, nameTo, entry, end, end, false);
            position = end + 1;
            continue;
          }
          // Text and its closing tag right after (`<ns1:Ten>An</ns1:Ten>`), most of an answer: read as one.
          // The text is searched natively (indexOf), not char by char: most of an answer's characters are in it.
          let textFrom = end + 1;
          while (isSpace(xml.charCodeAt(textFrom))) textFrom += 1;
          const close = xml.indexOf('<', textFrom);
          if (close !== -1 && xml.charCodeAt(close + 1) === 0x2f) {
            let closeEnd = closingTagEnd(xml, close + 2, nameFrom, localFrom, nameTo, entry?.name ?? '');
            if (closeEnd === -1) {
              closeEnd = xml.indexOf('>', close);
              if (closeEnd !== -1 && !closes(xml, close + 2, closeEnd, nameFrom, nameTo)) closeEnd = -1;
            }
            if (closeEnd !== -1) {
              if (depth > maxDepth) throw new XmlReadError(`elements nested deeper than ${maxDepth}`);
              const entities = this.ampersandIn(xml, textFrom, close);
              let textTo = close;
              if (!entities) while (textTo > textFrom && isSpace(xml.charCodeAt(textTo - 1))) textTo -= 1;
              this.leaf(top, xml, localFrom, nameTo, entry, textFrom, textTo, entities);
              position = closeEnd + 1;
              continue;
            }
          }
        }
        const element = this.open(top, depth, xml, nameFrom, localFrom, nameTo, tagTo, entry);
        if (selfClosing) {
          this.close(element, top);
        } else {
          if (depth > maxDepth) throw new XmlReadError(`elements nested deeper than ${maxDepth}`);
          depth += 1;
          top = element;
        }
        position = end + 1;
      }
    }
    if (depth > 1) throw new XmlReadError(`unclosed element ${xml.slice(top.nameFrom, top.nameTo)}`);
    if (!this.documentElement) throw new XmlReadError('no document element');
  }

  /** The open-element record at `depth`, cleared. */
  private element(depth: number, mode: number, nameFrom: number, localFrom: number, nameTo: number): OpenElement {
    let element = this.stack[depth];
    if (element === undefined) {
      element = { mode, nameFrom, localFrom, nameTo, entry: undefined, key: '', tracked: -1, result: undefined, kept: false, placeholders: 0, attributes: undefined, nil: false, text: '', cursor: 0 };
      this.stack[depth] = element;
      return element;
    }
    element.mode = mode;
    element.nameFrom = nameFrom;
    element.localFrom = localFrom;
    element.nameTo = nameTo;
    element.entry = undefined;
    element.key = '';
    element.tracked = -1;
    element.result = undefined;
    element.kept = false;
    element.placeholders = 0;
    element.attributes = undefined;
    element.nil = false;
    element.text = '';
    element.cursor = 0;
    return element;
  }

  private open(parent: OpenElement, depth: number, xml: string, nameFrom: number, localFrom: number, nameTo: number, tagTo: number, entry: ShapeEntry | undefined): OpenElement {
    const element = this.element(depth, skipped, nameFrom, localFrom, nameTo);
    switch (parent.mode) {
      case documentRoot:
        this.documentElement = true;
        if (isName(xml, localFrom, nameTo, 'Envelope') && ++this.envelopes === 1) element.mode = envelope;
        break;
      case envelope:
        if (isName(xml, localFrom, nameTo, 'Body') && ++this.bodies === 1) element.mode = body;
        break;
      case body: {
        this.bodyIsObject = true;
        const tracked = this.trackedNames.findIndex((name) => isName(xml, localFrom, nameTo, name));
        if (tracked !== -1) {
          element.mode = shaped;
          element.tracked = tracked;
          element.key = this.trackedNames[tracked]!;
          element.entry = tracked === this.collect ? undefined : this.trackedEntries[tracked];
        }
        break;
      }
      case shaped: {
        element.mode = shaped;
        element.entry = entry;
        element.key = entry?.name ?? xml.slice(localFrom, nameTo);
        break;
      }
    }
    // Attributes matter to shaped elements and the Body; elsewhere they are read only for their entities' refusals.
    if (tagTo > nameTo && (element.mode === shaped || element.mode === body || this.ampersandIn(xml, nameTo, tagTo))) {
      const attributes = readAttributes(xml.slice(nameFrom, tagTo), nameTo - nameFrom);
      if (attributes !== undefined) {
        if (element.mode === body) this.bodyIsObject = true;
        element.attributes = attributes;
        element.nil = attributes.nil === 'true' || attributes.nil === '1';
      }
    }
    return element;
  }

  /**
   * An element of text only (or empty, `<a/>`) under a shaped or skipped
   * parent: its value without an open-element record. The text is
   * xml[textFrom, textTo), its edges' spaces already skipped unless it has
   * entities (decoded first, then trimmed).
   */
  private leaf(parent: OpenElement, xml: string, localFrom: number, nameTo: number, entry: ShapeEntry | undefined, textFrom: number, textTo: number, entities: boolean): void {
    if (parent.mode === skipped) {
      if (entities) decodeEntities(xml.slice(textFrom, textTo));
      return;
    }
    const text = textFrom === textTo ? '' : entities ? decodeEntities(xml.slice(textFrom, textTo)).trim() : trimmed(xml.slice(textFrom, textTo));
    attach(parent, entry?.name ?? xml.slice(localFrom, nameTo), entry, text === '' ? emptyValue(entry) : typedValue(text, entry?.type));
  }

  /**
   * Whether xml[from, to) has an `&`. The next `&` is found natively and
   * remembered: the answer is read forwards, so each is searched for once.
   */
  private ampersandIn(xml: string, from: number, to: number): boolean {
    if (this.ampersandAt < from || from < this.ampersandFrom) {
      const found = xml.indexOf('&', from);
      this.ampersandAt = found === -1 ? xml.length : found;
      this.ampersandFrom = from;
    }
    return this.ampersandAt < to;
  }

  private close(element: OpenElement, parent: OpenElement): void {
    if (element.mode !== shaped) return;
    const value = valueOf(element);
    if (parent.mode === shaped) {
      attach(parent, element.key, element.entry, value);
    } else {
      const index = element.tracked;
      this.counts[index]! += 1;
      if (index === this.collect) this.collected.push(value);
      else if (this.counts[index] === 1) this.values[index] = value;
    }
  }

  private text(top: OpenElement, xml: string, from: number, to: number): void {
    if (top.mode === shaped) {
      top.text += textOf(xml, from, to);
    } else if (top.mode === documentRoot) {
      if (textOf(xml, from, to) !== '') throw new XmlReadError('text outside the document element');
    } else if (this.ampersandIn(xml, from, to)) {
      decodeEntities(xml.slice(from, to));
    }
  }

  private cdata(top: OpenElement, content: string): void {
    const text = content.trim();
    if (text === '') return;
    if (top.mode === documentRoot) throw new XmlReadError('text outside the document element');
    if (top.mode === shaped) top.text += text;
  }
}

/** Refuses the local names this reader does not accept (the first character tells most names apart without comparing). */
function checkLocalName(xml: string, localFrom: number, nameTo: number): void {
  const first = xml.charCodeAt(localFrom);
  if (first === 0x40 /* @ */ || first === 0x23 /* # */) throw new XmlReadError(`element name ${xml.slice(localFrom, nameTo)} is not an XML name`);
  if ((first === 0x5f /* _ */ || first === 0x63 /* c */ || first === 0x70 /* p */) && isReservedName(xml, localFrom, nameTo)) {
    throw new XmlReadError(`element name ${xml.slice(localFrom, nameTo)} is not accepted`);
  }
}

/** The schema entry of a child named xml[from, to), looked for first where the schema's order puts it. */
function childEntry(parent: OpenElement, xml: string, from: number, to: number): ShapeEntry | undefined {
  const entries = parent.entry?.children?.entries;
  if (entries === undefined) return undefined;
  const expected = parent.cursor;
  if (expected < entries.length && isName(xml, from, to, entries[expected]!.name)) {
    parent.cursor = expected + 1;
    return entries[expected];
  }
  // The same element again (a repeated one).
  if (expected > 0 && isName(xml, from, to, entries[expected - 1]!.name)) return entries[expected - 1];
  for (let index = 0; index < entries.length; index += 1) {
    if (isName(xml, from, to, entries[index]!.name)) {
      parent.cursor = index + 1;
      return entries[index];
    }
  }
  return undefined;
}

/**
 * A child's value into its parent's result: an array when the schema says it
 * repeats or once it arrives a second time (nil occurrences counted, as
 * node-soap counts them, but not kept).
 */
function attach(parent: OpenElement, key: string, entry: ShapeEntry | undefined, value: unknown): void {
  const result = (parent.result ??= {});
  const found = result[key];
  // Only a name seen before, or one of Object.prototype's (`toString`), finds something: then ask whose it is.
  const existing = found !== undefined && Object.hasOwn(result, key) ? found : undefined;
  if (existing === undefined) {
    if (value === omitted) {
      result[key] = omitted;
      parent.placeholders += 1;
    } else {
      result[key] = entry?.array ? [value] : value;
      parent.kept = true;
    }
  } else if (existing === omitted) {
    if (value !== omitted) {
      result[key] = [value];
      parent.placeholders -= 1;
      parent.kept = true;
    }
  } else if (Array.isArray(existing)) {
    if (value !== omitted) existing.push(value);
  } else {
    result[key] = value === omitted ? [existing] : [existing, value];
  }
}

/** A closed shaped element's value, from its children, attributes and text. */
function valueOf(element: OpenElement): unknown {
  if (element.nil) return omitted;
  let result = element.kept ? element.result : undefined;
  if (result !== undefined && element.placeholders > 0) result = withoutPlaceholders(result);
  const { attributes } = element;
  if (attributes !== undefined && hasOwnKeys(attributes)) (result ??= {}).attributes = attributes;
  if (element.text !== '') {
    const value = typedValue(element.text, element.entry?.type);
    if (result === undefined) return value;
    result.$value = value;
  }
  return result ?? emptyValue(element.entry);
}

function withoutPlaceholders(result: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(result)) if (result[key] !== omitted) kept[key] = result[key];
  return kept;
}

function hasOwnKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
