import type { OperationDescriptor, OperationInput } from '../connector-kit/descriptor.js';
import type { ContractRegistry } from './contract-registry.js';
import type { JsonSchema } from './json-schema.js';

/**
 * The POST form of a GET lookup (`OperationDescriptor.lookup`): the path and
 * query parameters travel as one JSON object in the body, so that subject ids
 * never appear in a URL (every proxy in front of the gateway logs URLs). It is
 * the same operation — the request it builds is the OperationInput the GET
 * form builds — so grants, purposes, quotas, audit and metrics are shared.
 */
export interface LookupForm {
  /** Path under /api/v1. */
  path: string;
  /** $id of the body contract, registered in the contract registry. */
  contractId: string;
  /** Body fields that are the GET form's path parameters; the others are its query parameters. */
  paramNames: readonly string[];
}

const contractBase = 'https://lgsp.gov.vn/contracts/lookup/v1';

/** The lookup form an operation declares, checked; undefined when it declares none. */
export function lookupFormOf(operation: OperationDescriptor<any, any>): LookupForm | undefined {
  if (!operation.lookup) return undefined;
  const where = `operation ${operation.id}: lookup form ${operation.lookup.path}`;
  if (operation.method !== 'GET') throw new Error(`${where} is for GET operations (a POST already carries its input in the body)`);
  if (!/^\/[A-Za-z0-9/_-]+$/.test(operation.lookup.path)) throw new Error(`${where} must be a literal path (no parameters: the ids go in the body)`);
  const paramNames = Object.keys(operation.request.params ?? {});
  const queryNames = Object.keys(operation.request.query?.properties ?? {});
  if (paramNames.length + queryNames.length === 0) throw new Error(`${where} has nothing to carry: the operation takes no parameters`);
  const shared = paramNames.filter((name) => queryNames.includes(name));
  if (shared.length > 0) throw new Error(`${where}: ${shared.join(', ')} is both a path and a query parameter`);
  return { path: operation.lookup.path, contractId: `${contractBase}/${operation.id}.json`, paramNames };
}

/**
 * The body contract: the path parameters (all required) and the query
 * parameters (required as the GET form requires them) as properties of one
 * object, each with its own schema, nothing else allowed.
 */
export function lookupBodySchema(operation: OperationDescriptor<any, any>, form: LookupForm, registry: ContractRegistry): JsonSchema {
  const params = operation.request.params ?? {};
  const query = operation.request.query;
  const properties: Record<string, JsonSchema> = { ...params, ...(query?.properties ?? {}) };
  const example = exampleOf(properties, registry);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: form.contractId,
    title: `${operation.summary} (lookup form body)`,
    description: `The parameters of GET /api/v1${operation.path} as a JSON body, out of the URL.`,
    type: 'object',
    additionalProperties: false,
    properties,
    required: [...form.paramNames, ...(query?.required ?? [])],
    ...(example ? { examples: [example] } : {}),
  };
}

/** Registers the body contract of an operation's lookup form (idempotent); undefined when it has none. */
export function registerLookupForm(registry: ContractRegistry, operation: OperationDescriptor<any, any>): LookupForm | undefined {
  const form = lookupFormOf(operation);
  if (form) registry.register(lookupBodySchema(operation, form, registry));
  return form;
}

/**
 * Two operations, or an operation and a lookup form, on one method and path
 * would silently shadow each other: the gateway refuses to start instead.
 */
export function refuseRouteClashes(operations: ReadonlyArray<OperationDescriptor<any, any>>): void {
  const routes = new Map<string, string>();
  const claim = (method: string, path: string, by: string) => {
    const key = `${method} ${path.replace(/\{\w+\}/g, '{}')}`;
    const holder = routes.get(key);
    if (holder) throw new Error(`${by} and ${holder} are both routed at ${key}`);
    routes.set(key, by);
  };
  for (const operation of operations) {
    claim(operation.method, operation.path, operation.id);
    const form = lookupFormOf(operation);
    if (form) claim('POST', form.path, `${operation.id} (lookup form)`);
  }
}

/** A validated body as the GET form's input: path parameters and query parameters, strings as the URL gives them. */
export function lookupInput(form: LookupForm, body: Record<string, unknown>): OperationInput {
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    (form.paramNames.includes(name) ? params : query)[name] = String(value);
  }
  return { params, query, body: undefined };
}

/** An example body from the examples of each property's schema (for the OpenAPI document), when every property has one. */
function exampleOf(properties: Record<string, JsonSchema>, registry: ContractRegistry): Record<string, unknown> | undefined {
  const example: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const resolved = typeof schema.$ref === 'string' ? (registry.validator(schema.$ref).schema as JsonSchema) : schema;
    const examples = resolved?.examples;
    if (!Array.isArray(examples) || examples.length === 0) return undefined;
    example[name] = examples[0];
  }
  return example;
}
