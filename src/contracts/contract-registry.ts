import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isValidTaxCode, isValidTaxpayerCode } from '../connector-kit/tax-code.js';
import type { JsonSchema } from './json-schema.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export interface ContractViolation {
  /** Where, as a dotted path from the validated value (`personalId`, `matches.fullName`). */
  field: string;
  message: string;
}

/**
 * Every JSON Schema under contracts/, loaded and compiled once at start.
 * Contracts are the single source of truth: request and response validation,
 * the TypeScript types and the OpenAPI document all come from these files.
 */
export class ContractRegistry {
  private readonly contracts: Map<string, JsonSchema>;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemas: Map<string, JsonSchema>) {
    this.contracts = new Map(schemas);
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addKeyword({ keyword: 'x-secret' });
    // A tax/enterprise code's check digit cannot be written as a pattern.
    this.ajv.addFormat('vn-tax-code', { type: 'string', validate: isValidTaxCode });
    // The same, or a 12-digit personal id (an individual's tax code since July 2025).
    this.ajv.addFormat('vn-taxpayer-code', { type: 'string', validate: isValidTaxpayerCode });
    for (const schema of schemas.values()) this.ajv.addSchema(schema);
  }

  static fromDirectory(directory: string): ContractRegistry {
    const schemas = new Map<string, JsonSchema>();
    for (const file of listJsonFiles(directory)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
      const id = schema.$id;
      if (typeof id !== 'string') throw new Error(`contract ${relative(directory, file)} has no $id`);
      schemas.set(id, schema);
    }
    return new ContractRegistry(schemas);
  }

  /** A compiled validator for a contract $id, or for an inline schema that may $ref contracts. */
  validator(idOrSchema: string | JsonSchema): ValidateFunction {
    if (typeof idOrSchema === 'string') {
      let validate = this.compiled.get(idOrSchema);
      if (!validate) {
        validate = this.ajv.getSchema(idOrSchema);
        if (!validate) throw new Error(`unknown contract ${idOrSchema}`);
        this.compiled.set(idOrSchema, validate);
      }
      return validate;
    }
    return this.ajv.compile(idOrSchema);
  }

  get schemas(): ReadonlyMap<string, JsonSchema> {
    return this.contracts;
  }

  /**
   * Adds a contract generated from others at start (a lookup form's body,
   * src/contracts/lookup-form.ts), so that it is validated and published like
   * a file under contracts/. Registering the same contract again is a no-op;
   * a different one under a taken $id is a bug.
   */
  register(schema: JsonSchema): string {
    const id = schema.$id;
    if (typeof id !== 'string') throw new Error('a registered contract needs an $id');
    const known = this.contracts.get(id);
    if (known) {
      if (JSON.stringify(known) !== JSON.stringify(schema)) throw new Error(`contract ${id} is already registered with another schema`);
      return id;
    }
    this.ajv.addSchema(schema);
    this.contracts.set(id, schema);
    return id;
  }

  get(id: string): JsonSchema {
    const schema = this.contracts.get(id);
    if (!schema) throw new Error(`unknown contract ${id}`);
    return schema;
  }
}

export function describeViolations(errors: ErrorObject[] | null | undefined, prefix = ''): ContractViolation[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean).map(unescapePointer);
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
    const field = [prefix, ...path].filter(Boolean).join('.') || prefix || '(root)';
    const message = error.keyword === 'additionalProperties' ? 'is not a known field' : (error.message ?? 'is invalid');
    return { field, message };
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function listJsonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
    .sort();
}
