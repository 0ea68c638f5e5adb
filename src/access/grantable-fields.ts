import type { ContractRegistry } from '../contracts/contract-registry.js';
import type { JsonSchema } from '../contracts/json-schema.js';

/**
 * What a grant's dotted field path may name in an operation's response
 * contract, in one place for the rule that checks grants (grant-rules.ts)
 * and the catalog that offers fields to choose from (the admin operations
 * route): the `properties` of objects, through $refs. An array is a field as
 * a whole; its items are not stepped into (the projection,
 * field-projection.ts, stops at an array too).
 */

/** A schema reached while walking a contract, with the $id its relative $refs resolve against. */
export interface ContractNode {
  schema: JsonSchema;
  base: string;
}

/** One field a grant may name under a node. */
export interface GrantableMember {
  name: string;
  /** The property as written (a $ref may carry its own description beside it). */
  declared: JsonSchema;
  /** What it resolves to. */
  node: ContractNode;
}

/** One field of a response contract as the grant editor offers it; `path` is what a grant's `fields` names. */
export interface FieldNode {
  /** Dotted path from the response's root, e.g. `address.province`. */
  path: string;
  /** The last segment of path. */
  name: string;
  /** The JSON Schema type; a union is written `integer | null`; without `type`: `object` when it has properties, the kind of its enum/const values, else `any`. */
  type: string;
  description?: string;
  /** The fields a grant may name under this one (objects only: never for an array). */
  children?: FieldNode[];
}

export function contractRoot(contracts: ContractRegistry, schemaId: string): ContractNode {
  return resolveRefs(contracts, contracts.get(schemaId), schemaId);
}

/** The member of a node named `name`, if a grant may name it (own properties only: `constructor` is not a field). */
export function grantableMember(contracts: ContractRegistry, node: ContractNode, name: string): GrantableMember | undefined {
  const properties = propertiesOf(node.schema);
  // `false` forbids the property: nothing to grant.
  if (!properties || !Object.hasOwn(properties, name) || !properties[name]) return undefined;
  const declared = asSchema(properties[name]);
  return { name, declared, node: resolveRefs(contracts, declared, node.base) };
}

export function grantableMembers(contracts: ContractRegistry, node: ContractNode): GrantableMember[] {
  return Object.keys(propertiesOf(node.schema) ?? {}).flatMap((name) => grantableMember(contracts, node, name) ?? []);
}

/** Whether a grant may name `path` in the contract `schemaId`. */
export function contractHasPath(contracts: ContractRegistry, schemaId: string, path: string[]): boolean {
  let node: ContractNode | undefined = contractRoot(contracts, schemaId);
  for (const segment of path) {
    node = grantableMember(contracts, node, segment)?.node;
    if (!node) return false;
  }
  return true;
}

/**
 * Every path a grant may name in the contract, as a tree. A schema that
 * contains itself (none does today) is cut where it recurs: its deeper
 * paths are valid but endless.
 */
export function grantableFieldTree(contracts: ContractRegistry, schemaId: string): FieldNode[] {
  const walk = (node: ContractNode, prefix: string, ancestors: ReadonlySet<JsonSchema>): FieldNode[] =>
    grantableMembers(contracts, node).map((member) => {
      const path = prefix ? `${prefix}.${member.name}` : member.name;
      const description = stringOf(member.declared.description) ?? stringOf(member.node.schema.description);
      const field: FieldNode = { path, name: member.name, type: typeOf(member.declared, member.node.schema), ...(description !== undefined && { description }) };
      if (propertiesOf(member.node.schema) && !ancestors.has(member.node.schema)) {
        field.children = walk(member.node, path, new Set([...ancestors, member.node.schema]));
      }
      return field;
    });
  const root = contractRoot(contracts, schemaId);
  return walk(root, '', new Set([root.schema]));
}

function resolveRefs(contracts: ContractRegistry, schema: JsonSchema, base: string): ContractNode {
  let current = schema;
  let currentBase = base;
  while (typeof current.$ref === 'string') {
    const url = new URL(current.$ref, currentBase);
    const pointer = decodeURIComponent(url.hash.replace(/^#/, ''));
    url.hash = '';
    currentBase = url.href;
    const target = pointer
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], contracts.get(currentBase));
    current = asSchema(target);
  }
  return { schema: current, base: currentBase };
}

function propertiesOf(schema: JsonSchema): Record<string, unknown> | undefined {
  const properties = schema.properties;
  return properties && typeof properties === 'object' && !Array.isArray(properties) ? (properties as Record<string, unknown>) : undefined;
}

/** A boolean schema (`true`) or anything else that is not an object says nothing: treat it as `{}`. */
function asSchema(value: unknown): JsonSchema {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : {};
}

function typeOf(declared: JsonSchema, resolved: JsonSchema): string {
  const type = declared.type ?? resolved.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type) && type.every((member) => typeof member === 'string')) return type.join(' | ');
  if (propertiesOf(resolved)) return 'object';
  // `{ "enum": ["active", "suspended"] }` is a string field all the same.
  const values = Array.isArray(resolved.enum) ? resolved.enum : 'const' in resolved ? [resolved.const] : [];
  const kinds = [...new Set(values.map((value) => (value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value)))];
  return kinds.length > 0 ? kinds.join(' | ') : 'any';
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
