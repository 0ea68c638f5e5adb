import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { JsonSchema } from '../contracts/json-schema.js';
import { deepFreeze } from '../util/deep-freeze.js';
import type { GatewayConfig } from './gateway-config.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variables that override the file: `LGSP__STORE__URL` sets `store.url`. */
export const envPrefix = 'LGSP__';

export interface LoadConfigOptions {
  schema: JsonSchema;
  /** Config file (YAML or JSON). */
  file?: string;
  /** Parsed document instead of a file (tests). */
  document?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /**
   * Applied first, under the document (deep merge): whatever the document,
   * the environment or an override sets wins. Embedded mode's development
   * defaults derived from the connector registry (simulators/embedded/dev-defaults.ts).
   */
  defaults?: Record<string, unknown>;
  /** Applied last, in order (deep merge): values only known at start, such as ports of in-process sandboxes. */
  overrides?: Record<string, unknown> | ReadonlyArray<Record<string, unknown> | undefined>;
}

/**
 * Defaults → file → environment overrides → validated (defaults filled, strings from the
 * environment coerced to the schema's types) → deep-frozen. A bad key fails
 * here, at boot, naming the key and the reason.
 */
export function loadConfig(options: LoadConfigOptions): GatewayConfig {
  const document = mergeConfigLayers(options);
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, coerceTypes: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-secret' });
  const validate = ajv.compile(options.schema);
  if (!validate(document)) {
    throw new ConfigError(`invalid configuration:\n${formatErrors(validate.errors ?? [])}`);
  }
  return deepFreeze(document) as unknown as GatewayConfig;
}

/** The layers of loadConfig merged in order, not yet validated: what a caller reads to decide before validating (e.g. the mode). */
export function mergeConfigLayers(options: LoadConfigOptions): Record<string, unknown> {
  const document = structuredClone(options.defaults ?? {});
  deepMerge(document, structuredClone(options.document ?? readConfigDocument(options.file)));
  applyEnvironment(document, options.schema, options.env ?? {});
  const overrides = Array.isArray(options.overrides) ? options.overrides : [options.overrides];
  for (const override of overrides) deepMerge(document, structuredClone(override ?? {}));
  return document;
}

export function readConfigDocument(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid YAML/JSON: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${file} must hold a mapping at the top level`);
  return parsed as Record<string, unknown>;
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Schema node for a property, looking through oneOf branches (store.url lives in one branch). */
function childSchema(schema: JsonSchema | undefined, normalized: string): { key: string; schema: JsonSchema } | undefined {
  if (!schema) return undefined;
  const candidates: JsonSchema[] = [schema, ...((schema.oneOf as JsonSchema[] | undefined) ?? [])];
  for (const candidate of candidates) {
    const properties = (candidate.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, child] of Object.entries(properties)) {
      if (normalizeKey(key) === normalized) return { key, schema: child };
    }
  }
  const additional = schema.additionalProperties;
  if (additional && typeof additional === 'object') return { key: normalized, schema: additional as JsonSchema };
  return undefined;
}

function applyEnvironment(document: Record<string, unknown>, schema: JsonSchema, env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(envPrefix) || value === undefined) continue;
    const segments = name.slice(envPrefix.length).split('__').map(normalizeKey);
    let node: Record<string, unknown> = document;
    let nodeSchema: JsonSchema | undefined = schema;
    segments.forEach((segment, index) => {
      const child = childSchema(nodeSchema, segment);
      if (!child) throw new ConfigError(`environment variable ${name}: no config key matches '${segment}' (check the name against the configuration reference)`);
      if (index === segments.length - 1) {
        node[child.key] = /^\s*[[{]/.test(value) ? parseJson(name, value) : value;
      } else {
        const next = node[child.key];
        if (!next || typeof next !== 'object') node[child.key] = {};
        node = node[child.key] as Record<string, unknown>;
        nodeSchema = child.schema;
      }
    });
  }
}

function parseJson(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(`environment variable ${name} looks like JSON but does not parse`);
  }
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && existing && typeof existing === 'object' && !Array.isArray(existing)) {
      deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

function formatErrors(errors: ErrorObject[]): string {
  // oneOf reports every branch; the branch errors already say what is wrong, so the summary line is noise.
  const meaningful = errors.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'if');
  const lines = (meaningful.length > 0 ? meaningful : errors).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean);
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    const key = path.join('.') || '(top level)';
    if (error.keyword === 'additionalProperties') {
      return `  - ${[...path, String(error.params.additionalProperty)].join('.')}: unknown key (not in the configuration schema)`;
    }
    if (error.keyword === 'required') return `  - ${key}: is required`;
    if (error.keyword === 'const' || error.keyword === 'enum') {
      const allowed = error.keyword === 'const' ? [error.params.allowedValue] : error.params.allowedValues;
      return `  - ${key}: must be one of ${JSON.stringify(allowed)}`;
    }
    return `  - ${key}: ${error.message}`;
  });
  return [...new Set(lines)].join('\n');
}

