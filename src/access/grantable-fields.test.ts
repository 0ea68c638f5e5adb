import { ContractRegistry } from '../contracts/contract-registry.js';
import type { JsonSchema } from '../contracts/json-schema.js';
import { fromProjectRoot } from '../paths.js';
import { contractHasPath, grantableFieldTree, type FieldNode } from './grantable-fields.js';

const rootId = 'https://t.example/contracts/a/v1/root.json';
const definitionsId = 'https://t.example/contracts/common/v1/definitions.json';
const synthetic = new ContractRegistry(
  new Map<string, JsonSchema>([
    [
      rootId,
      {
        $id: rootId,
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Full name' },
          // A $ref into another file, relative to this one, with its own description beside it.
          address: { $ref: '../../common/v1/definitions.json#/$defs/address', description: 'Where they live' },
          tags: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' } } } },
          members: { type: 'array', items: { $ref: '#/$defs/person' } },
          optional: { type: ['integer', 'null'] },
          status: { enum: ['active', 'suspended'] },
          anything: {},
          self: { $ref: '#' },
          forbidden: false,
        },
        $defs: { person: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    ],
    [
      definitionsId,
      {
        $id: definitionsId,
        $defs: {
          address: { type: 'object', description: 'A postal address', properties: { province: { $ref: '#/$defs/code' }, street: { type: 'string' } } },
          code: { type: 'string', description: 'A code from the national list' },
        },
      },
    ],
  ]),
);

const paths = (nodes: FieldNode[]): string[] => nodes.flatMap((node) => [node.path, ...paths(node.children ?? [])]);
const leaves = (nodes: FieldNode[]): FieldNode[] => nodes.flatMap((node) => (node.children ? leaves(node.children) : [node]));
const nonLeaves = (nodes: FieldNode[]): FieldNode[] => nodes.flatMap((node) => (node.children ? [node, ...nonLeaves(node.children)] : []));

/** Every property name any contract declares anywhere: the names a grant could plausibly try. */
function propertyNames(registry: ContractRegistry): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object') Object.keys(record.properties).forEach((name) => names.add(name));
    Object.values(record).forEach(visit);
  };
  for (const schema of registry.schemas.values()) visit(schema);
  return names;
}

describe('grantable fields of a response contract', () => {
  it('walks properties through $refs (relative to each schema’s own $id), stops at arrays, cuts a schema that contains itself', () => {
    expect(grantableFieldTree(synthetic, rootId)).toEqual([
      { path: 'name', name: 'name', type: 'string', description: 'Full name' },
      {
        path: 'address',
        name: 'address',
        type: 'object',
        description: 'Where they live',
        children: [
          { path: 'address.province', name: 'province', type: 'string', description: 'A code from the national list' },
          { path: 'address.street', name: 'street', type: 'string' },
        ],
      },
      { path: 'tags', name: 'tags', type: 'array' },
      { path: 'members', name: 'members', type: 'array' },
      { path: 'optional', name: 'optional', type: 'integer | null' },
      { path: 'status', name: 'status', type: 'string' },
      { path: 'anything', name: 'anything', type: 'any' },
      { path: 'self', name: 'self', type: 'object' },
    ]);
  });

  it('names exactly what contractHasPath accepts', () => {
    const tree = grantableFieldTree(synthetic, rootId);
    for (const path of paths(tree)) expect(contractHasPath(synthetic, rootId, path.split('.'))).toBe(true);
    for (const refused of ['tags.code', 'members.name', 'forbidden', 'constructor', 'address.toString', 'name.length', 'address.nothing']) {
      expect(contractHasPath(synthetic, rootId, refused.split('.'))).toBe(false);
    }
    // Past the cut, the paths are valid (and endless): the tree offers the recursive field as a whole.
    expect(contractHasPath(synthetic, rootId, ['self', 'self', 'name'])).toBe(true);
  });

  it('on the real contracts: every path is accepted, and no name any contract uses is accepted anywhere the tree does not offer it', () => {
    const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
    const candidates = [...propertyNames(contracts)];
    const responseContracts = [...contracts.schemas.keys()].filter((id) => !id.includes('/definitions.json'));
    expect(responseContracts.length).toBeGreaterThan(10);
    for (const id of responseContracts) {
      const tree = grantableFieldTree(contracts, id);
      for (const path of paths(tree)) expect([id, path, contractHasPath(contracts, id, path.split('.'))]).toEqual([id, path, true]);
      // Nothing under a leaf (an array's items included) and nothing missing beside the children of a node.
      for (const leaf of leaves(tree)) {
        expect([leaf.path, candidates.filter((name) => contractHasPath(contracts, id, [...leaf.path.split('.'), name]))]).toEqual([leaf.path, []]);
      }
      for (const parent of [{ path: '', children: tree }, ...nonLeaves(tree)]) {
        const offered = new Set(parent.children!.map((child) => child.name));
        const prefix = parent.path ? parent.path.split('.') : [];
        const missing = candidates.filter((name) => !offered.has(name) && contractHasPath(contracts, id, [...prefix, name]));
        expect([id, parent.path, missing]).toEqual([id, parent.path, []]);
      }
    }
  });
});
