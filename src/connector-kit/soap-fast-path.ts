import type { Client as SoapClient } from 'soap';
import { readXml } from './soap-xml-reader.js';

/**
 * A compiled document/literal SOAP operation for the hot path. node-soap
 * stays in charge of the WSDL: it parses it once at start, and its own
 * serializer writes the request element, so the bytes on the wire are the
 * ones node-soap would send. What it no longer does per call is the rest:
 * the envelope is a string prebuilt from the WSDL's namespaces, and the
 * answer is read with a small XML reader (soap-xml-reader.ts), then shaped
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
  /** The whole request document for these arguments. */
  envelope(args: Record<string, unknown>): string;
  /** What the answer holds: the operation's result, a SOAP Fault, or no SOAP envelope at all. */
  read(text: string): SoapAnswer;
}

export type SoapAnswer =
  | { kind: 'result'; result: unknown }
  | { kind: 'fault'; fault: { faultcode?: string; faultstring?: string; detail?: unknown } }
  | { kind: 'not-soap' };

interface ShapeEntry {
  array: boolean;
  /** Local name of an XML Schema simple type (`string`, `boolean`…), absent for complex content. */
  type?: string;
  children?: Shape;
}
type Shape = Map<string, ShapeEntry>;

/** node-soap's own view of a SOAP 1.1 Fault: three string-typed children, detail read without a schema. */
const faultShape: Shape = new Map([
  ['faultcode', { array: false, type: 'string' }],
  ['faultstring', { array: false, type: 'string' }],
  ['detail', { array: false, type: 'string' }],
]);


const omitted = Symbol('omitted');

interface WsdlMethod {
  $name: string;
  style?: string;
  soapAction?: string;
  input: { $name: string; targetNSAlias: string; targetNamespace: string; $type?: string; $lookupType?: string };
  output?: { $name: string };
}

interface Wsdl {
  options: { envelopeKey: string; envelopeSoapUrl: string };
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
  const resultShape = shapeOf(description);

  return {
    name: operation,
    soapAction,
    envelope(args) {
      return head + wsdl.objectToDocumentXML(input.$name, args, input.targetNSAlias, input.targetNamespace, inputType, {}) + tail;
    },
    read(text) {
      let document: Record<string, unknown>;
      try {
        document = readXml(text) as Record<string, unknown>;
      } catch {
        return { kind: 'not-soap' };
      }
      const body = (document.Envelope as Record<string, unknown> | undefined)?.Body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'not-soap' };
      const content = body as Record<string, unknown>;
      if ('Fault' in content) {
        const fault = shapeElement(content.Fault, { array: false, children: faultShape });
        return { kind: 'fault', fault: (fault && typeof fault === 'object' ? fault : {}) as { faultcode?: string } };
      }
      // Where node-soap looks for the result: the output element, then the names RPC/literal answers use.
      const key = [outputName, outputName.replace(/(?:Out(?:put)?|Response)$/, ''), `${operation}Response`, `${operation}Out`, `${operation}Output`].find(
        (candidate) => content[candidate] !== undefined,
      );
      if (key === undefined) return { kind: 'result', result: undefined };
      const result = shapeElement(content[key], { array: false, children: resultShape });
      return { kind: 'result', result: result === omitted ? undefined : result };
    },
  };
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

/** node-soap's describe() output → element shapes: `Name[]` keys are arrays, string values simple types. */
function shapeOf(description: Record<string, unknown>): Shape {
  const shape: Shape = new Map();
  for (const [key, value] of Object.entries(description)) {
    if (key === 'targetNSAlias' || key === 'targetNamespace') continue;
    const array = key.endsWith('[]');
    const name = array ? key.slice(0, -2) : key;
    if (typeof value === 'string') shape.set(name, { array, type: value.slice(value.indexOf(':') + 1) });
    else if (value && typeof value === 'object') shape.set(name, { array, children: shapeOf(value as Record<string, unknown>) });
  }
  return shape;
}

function shapeElement(raw: unknown, entry: ShapeEntry | undefined): unknown {
  if (typeof raw !== 'object' || raw === null) {
    const text = raw === undefined || raw === null ? '' : String(raw);
    if (text === '') return entry?.type === 'string' ? '' : null;
    return typedValue(text, entry?.type);
  }
  const node = raw as Record<string, unknown>;
  const nil = node['@_nil'];
  if (nil === 'true' || nil === '1') return omitted;
  const result: Record<string, unknown> = {};
  let attributes: Record<string, unknown> | undefined;
  let text: unknown;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_')) {
      (attributes ??= {})[key.slice(2)] = value;
    } else if (key === '#text') {
      text = value;
    } else {
      const child = entry?.children?.get(key);
      const values = Array.isArray(value) ? value : [value];
      const shaped = values.map((item) => shapeElement(item, child)).filter((item) => item !== omitted);
      if (child?.array || values.length > 1) {
        if (shaped.length > 0) result[key] = shaped;
      } else if (shaped.length === 1) {
        result[key] = shaped[0];
      }
    }
  }
  if (attributes) result.attributes = attributes;
  if (text !== undefined && text !== '') {
    const value = typedValue(String(text), entry?.type);
    if (Object.keys(result).length === 0) return value;
    result.$value = value;
  }
  if (Object.keys(result).length === 0) return entry?.type === 'string' ? '' : null;
  return result;
}

/** The conversions node-soap applies to the text of simple-typed elements. */
function typedValue(text: string, type: string | undefined): unknown {
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
