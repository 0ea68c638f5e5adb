import type { Client as SoapClient } from 'soap';
import { xmlEscape } from 'soap/lib/utils.js';
import { SoapAnswerReader, type SoapAnswer } from './soap-answer-reader.js';
import { shapeOf } from './soap-answer-shape.js';

export type { SoapAnswer } from './soap-answer-reader.js';

/**
 * A compiled document/literal SOAP operation for the hot path. node-soap
 * stays in charge of the WSDL: it parses it once at start, and its own
 * serializer writes the request element, so the bytes on the wire are the
 * ones node-soap would send. What it no longer does per call is the rest:
 * the envelope is a string prebuilt from the WSDL's namespaces, the request
 * element is node-soap's own text for arguments of that shape with the
 * values put in (requestWriter below), and the
 * answer is read in one pass (soap-answer-reader.ts) into the result shaped
 * by the operation's schema exactly as node-soap's own reader shapes it:
 *
 *   - elements declared maxOccurs > 1 are arrays even when one arrives;
 *   - xs:boolean / int / decimal / dateTime text becomes a boolean / number / Date;
 *   - an empty xs:string element is '', any other empty element null;
 *   - an element with xsi:nil="true" is left out;
 *   - attributes go under `attributes`, text beside them under `$value`.
 *
 * Where node-soap is wrong, this path is not: an empty or non-SOAP answer is
 * reported as such, and soap-upstream.ts fails it as a `contract` violation
 * (node-soap hands `{}` to the mapping, which reads "not found").
 *
 * (connectors/population/client.test.ts holds both readers to the same
 * output over every recorded fixture.)
 */
export interface CompiledSoapOperation {
  name: string;
  soapAction: string;
  /** The SOAPAction header's value: the action, quoted. */
  soapActionHeader: string;
  /** The whole request document for these arguments. */
  envelope(args: Record<string, unknown>): string;
  /** What the answer holds: the operation's result, a SOAP Fault, or no SOAP envelope at all. */
  read(text: string): SoapAnswer;
}

interface WsdlMethod {
  $name: string;
  style?: string;
  soapAction?: string;
  input: { $name: string; targetNSAlias: string; targetNamespace: string; $type?: string; $lookupType?: string };
  output?: { $name: string };
}

interface Wsdl {
  options: {
    envelopeKey: string;
    envelopeSoapUrl: string;
    attributesKey: string;
    valueKey: string;
    xmlKey: string;
    escapeXML?: boolean;
    useEmptyTag?: boolean;
    overrideElementKey?: Record<string, string>;
  };
  xmlnsInEnvelope: string;
  definitions: { services: Record<string, { ports: Record<string, { binding: { methods: Record<string, WsdlMethod> } }> }> };
  objectToDocumentXML(name: string, args: unknown, nsAlias: string, namespace: string, type: string | undefined, options: object): string;
}

/** Compiles one operation of a node-soap client, or explains why it cannot be. */
export function compileSoapOperation(client: SoapClient, operation: string): CompiledSoapOperation {
  const wsdl = (client as unknown as { wsdl: Wsdl }).wsdl;
  const found = findMethod(client, wsdl, operation);
  if (!found) throw new Error(`WSDL has no operation ${operation}`);
  const { method, description } = found;
  if (method.style && method.style !== 'document') throw new Error(`SOAP fast path: ${operation} is ${method.style}-style; only document/literal operations compile`);
  if (!method.output) throw new Error(`SOAP fast path: ${operation} is one-way`);
  const soapAction = method.soapAction ?? `${operation}`;
  const { envelopeKey, envelopeSoapUrl } = wsdl.options;
  // The same text node-soap writes around the message (including its double space).
  const head = `<?xml version="1.0" encoding="utf-8"?><${envelopeKey}:Envelope xmlns:${envelopeKey}="${envelopeSoapUrl}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${wsdl.xmlnsInEnvelope}><${envelopeKey}:Body>`;
  const tail = `</${envelopeKey}:Body></${envelopeKey}:Envelope>`;
  const { input } = method;
  const inputType = input.$type ?? input.$lookupType;
  const outputName = method.output.$name;
  // Where node-soap looks for the result: the output element, then the names RPC/literal answers use.
  const resultNames = [outputName, outputName.replace(/(?:Out(?:put)?|Response)$/, ''), `${operation}Response`, `${operation}Out`, `${operation}Output`];
  const answerReader = new SoapAnswerReader({ name: outputName, array: false, children: shapeOf(description) }, resultNames);
  const writeRequest = requestWriter(wsdl, (args) => wsdl.objectToDocumentXML(input.$name, args, input.targetNSAlias, input.targetNamespace, inputType, {}));

  return {
    name: operation,
    soapAction,
    soapActionHeader: `"${soapAction}"`,
    envelope(args) {
      return head + writeRequest(args) + tail;
    },
    read(text) {
      return answerReader.read(text);
    },
  };
}

/** Most argument shapes remembered per operation; a client sends a handful (lookup, verify, probe). */
const maxTemplates = 32;
/** Stands for the value of the i-th string argument while node-soap writes a template; never in a WSDL name. */
const slotMark = '\u0001';
const slotPattern = /\u0001(\d+)\u0001/;
/** The characters node-soap's xmlEscape replaces: a value without them is written as it is. */
const needsEscape = /[&<>"'\t\r\n]/;

interface RequestTemplate {
  /** Text between the values: one more than the values. */
  texts: string[];
  /** Which argument (in walk order) goes after texts[i]. */
  slots: number[];
}

/**
 * node-soap's serializer walks the schema for every call (namespaces, element
 * order, qualification). What it writes depends only on the arguments' shape
 * (their names and nesting) and, for each string value, on that value as
 * xmlEscape writes it. So node-soap writes each shape once, with a marker in
 * place of every value, and the text around the markers is kept; a call of a
 * known shape puts its escaped values in. Only string values and plain
 * objects take this path; anything else (numbers, null, arrays, attributes,
 * raw XML, names with a prefix) and any option that makes the text depend on
 * a value go to node-soap as before, so the bytes are node-soap's either way.
 */
function requestWriter(wsdl: Wsdl, write: (args: Record<string, unknown>) => string): (args: Record<string, unknown>) => string {
  const { options } = wsdl;
  const special = new Set([options.attributesKey, options.valueKey, options.xmlKey]);
  const escape = options.escapeXML === false ? (value: string) => value : (value: string) => (needsEscape.test(value) ? (xmlEscape(value) as string) : value);
  if (options.useEmptyTag || (options.overrideElementKey && Object.keys(options.overrideElementKey).length > 0)) return write;
  const templates = new Map<string, RequestTemplate | null>();

  /** The shape of `value` (appended to `values` in walk order), or undefined when it does not take the template path. */
  function shapeKey(value: Record<string, unknown>, values: string[]): string | undefined {
    let key = '{';
    for (const name of Object.keys(value)) {
      if (!plainName.test(name) || special.has(name)) return undefined;
      const member = value[name];
      if (typeof member === 'string') {
        values.push(member);
        key += `${name}:s,`;
      } else if (member === undefined) {
        key += `${name}:u,`;
      } else if (isPlainObject(member)) {
        const inner = shapeKey(member, values);
        if (inner === undefined) return undefined;
        key += `${name}:${inner},`;
      } else {
        return undefined;
      }
    }
    return `${key}}`;
  }

  function compile(args: Record<string, unknown>, count: number): RequestTemplate | null {
    let index = 0;
    const marked = (value: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(value).map(([name, member]) => [name, typeof member === 'string' ? `${slotMark}${index++}${slotMark}` : isPlainObject(member) ? marked(member) : member]));
    const parts = write(marked(args)).split(slotPattern);
    const texts: string[] = [];
    const slots: number[] = [];
    for (let i = 0; i < parts.length; i += 1) {
      if (i % 2 === 0) texts.push(parts[i]!);
      else slots.push(Number(parts[i]));
    }
    // Every value exactly once, and no marker left in the text: otherwise this shape is not one to template.
    const seen = new Set(slots);
    if (slots.length !== count || seen.size !== count || slots.some((slot) => slot >= count) || texts.some((text) => text.includes(slotMark))) return null;
    return { texts, slots };
  }

  return (args) => {
    const values: string[] = [];
    const key = isPlainObject(args) ? shapeKey(args, values) : undefined;
    if (key === undefined) return write(args);
    let template = templates.get(key);
    if (template === undefined) {
      if (templates.size >= maxTemplates) return write(args);
      template = compile(args, values.length);
      templates.set(key, template);
    }
    if (template === null) return write(args);
    const { texts, slots } = template;
    let xml = texts[0]!;
    for (let i = 0; i < slots.length; i += 1) xml += escape(values[slots[i]!]!) + texts[i + 1]!;
    return xml;
  };
}

/** An element name without a prefix, as a schema declares it (no `:`, no leading `_` or `$`). */
const plainName = /^[A-Za-z][\w.-]*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function findMethod(client: SoapClient, wsdl: Wsdl, operation: string): { method: WsdlMethod; description: Record<string, unknown> } | undefined {
  const described = client.describe() as Record<string, Record<string, Record<string, { output?: Record<string, unknown> }>>>;
  for (const [serviceName, service] of Object.entries(wsdl.definitions.services)) {
    for (const [portName, port] of Object.entries(service.ports)) {
      const method = port.binding.methods[operation];
      if (method) return { method, description: described[serviceName]?.[portName]?.[operation]?.output ?? {} };
    }
  }
  return undefined;
}
