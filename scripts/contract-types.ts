import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { compile } from 'json-schema-to-typescript';

export const generatedTypesFile = 'contracts/types.generated.ts';

/**
 * TypeScript types generated from the contracts: the schemas stay the single
 * source of truth, and a test regenerates this file and fails on drift.
 */
export async function generateContractTypes(root: string): Promise<string> {
  const contractsDir = join(root, 'contracts');
  const files = readdirSync(contractsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json') && !file.endsWith('definitions.json'))
    .sort();
  const parts: string[] = [
    '/* Generated from contracts/ by `npm run contracts:types`. Do not edit: change the schema and regenerate. */',
  ];
  const seen = new Set<string>();
  for (const file of files) {
    const path = join(contractsDir, file);
    const schema = forTypeGeneration(JSON.parse(readFileSync(path, 'utf8')), true);
    const source = await compile(schema, schema.title as string, {
      cwd: dirname(path),
      $refOptions: {
        resolve: {
          file: {
            read: (file: { url: string }) => JSON.stringify(forTypeGeneration(JSON.parse(readFileSync(file.url.replace(/^file:\/\//, ''), 'utf8')), false)),
          },
        },
      },
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: true,
      format: true,
      style: { singleQuote: true, printWidth: 120 },
    });
    // Shared definitions are emitted with every contract that uses them: keep the first.
    for (const declaration of source.split(/\n(?=export )/)) {
      const name = /^export (?:interface|type) (\w+)/.exec(declaration.trim())?.[1];
      if (name && seen.has(name)) continue;
      if (name) seen.add(name);
      parts.push(declaration.trim());
    }
    parts.push(`// from ${relative(root, path)}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Type names come from $defs keys (personalId → PersonalId), not from the
 * human titles that serve the OpenAPI docs; a description beside a $ref would
 * make a new type per use, so it is dropped here (it stays in the schema).
 */
function forTypeGeneration(node: unknown, isRoot: boolean): Record<string, unknown> {
  const visit = (value: unknown, root: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item, false));
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if (typeof object.$ref === 'string') return { $ref: object.$ref };
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(object)) {
      if (key === '$id' || key === 'examples' || (key === 'title' && !root)) continue;
      out[key] = key === 'properties' || key === '$defs' ? Object.fromEntries(Object.entries(child as object).map(([name, sub]) => [name, visit(sub, false)])) : visit(child, false);
    }
    return out;
  };
  return visit(node, isRoot) as Record<string, unknown>;
}

if (process.argv[1] && process.argv[1].endsWith('contract-types.js') && process.argv[2] === '--write') {
  const { writeFileSync } = await import('node:fs');
  const { fromProjectRoot, projectRoot } = await import('../src/paths.js');
  writeFileSync(fromProjectRoot(generatedTypesFile), await generateContractTypes(projectRoot));
  process.stdout.write(`wrote ${generatedTypesFile}\n`);
}
