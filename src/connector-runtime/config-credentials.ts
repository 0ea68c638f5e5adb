import { readFileSync } from 'node:fs';
import { envPrefix } from '../config/load-config.js';
import type { CredentialSource } from '../vault/types.js';

/** A connector's credentials as the configuration gives them, references resolved, with where each field came from. */
export interface ConfigCredentials {
  fields: Record<string, unknown>;
  /** Per field: the configuration file, an environment variable, or a file. */
  fieldSources: Record<string, Exclude<CredentialSource, 'vault'>>;
  /** env or file when any field comes from there: the vault then treats this connector's credentials as read-only. */
  source: Exclude<CredentialSource, 'vault'>;
}

export class CredentialReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialReferenceError';
  }
}

/**
 * Resolves `{ fromEnv }` and `{ fromFile }` references, and tells a value set
 * through the loader's own environment overrides (LGSP__CONNECTORS__<ID>__
 * CREDENTIALS__<FIELD>) from one written in the file. The error names the
 * field and the reference, never a value.
 */
export function resolveConfigCredentials(connectorId: string, credentials: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): ConfigCredentials {
  const fields: Record<string, unknown> = {};
  const fieldSources: ConfigCredentials['fieldSources'] = {};
  const overriddenByEnv = loaderEnvFields(connectorId, env);
  for (const [name, value] of Object.entries(credentials)) {
    const referenced = readSecretReference(value, `connectors.${connectorId}.credentials.${name}`, env);
    if (referenced) {
      fields[name] = referenced.value;
      fieldSources[name] = referenced.source;
    } else {
      fields[name] = value;
      fieldSources[name] = overriddenByEnv.has(normalize(name)) ? 'env' : 'config';
    }
  }
  const sources = new Set(Object.values(fieldSources));
  const source = sources.has('file') ? 'file' : sources.has('env') ? 'env' : 'config';
  return { fields, fieldSources, source };
}

/**
 * The value behind a `{ fromEnv: NAME }` or `{ fromFile: PATH }` reference
 * (a mounted secret: one trailing newline dropped), or undefined when `value`
 * is not a reference. `field` is how errors name it: they say which reference
 * failed, never a value. An unset variable or an empty file is an error (a
 * secret that is silently empty fails later, far from its cause).
 */
export function readSecretReference(value: unknown, field: string, env: NodeJS.ProcessEnv): { value: string; source: 'env' | 'file' } | undefined {
  if (isReference(value, 'fromEnv')) {
    const resolved = env[value.fromEnv];
    if (resolved === undefined || resolved === '') throw new CredentialReferenceError(`${field}: environment variable ${value.fromEnv} is not set`);
    return { value: resolved, source: 'env' };
  }
  if (isReference(value, 'fromFile')) {
    let text: string;
    try {
      text = readFileSync(value.fromFile, 'utf8');
    } catch (error) {
      throw new CredentialReferenceError(`${field}: cannot read ${value.fromFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const secret = text.replace(/\r?\n$/, '');
    if (secret === '') throw new CredentialReferenceError(`${field}: ${value.fromFile} is empty`);
    return { value: secret, source: 'file' };
  }
  return undefined;
}

/** True for a credential value written as a reference rather than the value itself. */
export function isCredentialReference(value: unknown): boolean {
  return isReference(value, 'fromEnv') || isReference(value, 'fromFile');
}

function isReference<K extends 'fromEnv' | 'fromFile'>(value: unknown, key: K): value is Record<K, string> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'string';
}

/** Fields of this connector that a LGSP__CONNECTORS__<ID>__CREDENTIALS__<FIELD> variable sets (the loader's matching: case, - and _ ignored). */
function loaderEnvFields(connectorId: string, env: NodeJS.ProcessEnv): Set<string> {
  const fields = new Set<string>();
  for (const name of Object.keys(env)) {
    if (!name.startsWith(envPrefix)) continue;
    const segments = name.slice(envPrefix.length).split('__').map(normalize);
    if (segments.length === 4 && segments[0] === 'connectors' && segments[1] === normalize(connectorId) && segments[2] === 'credentials') fields.add(segments[3]!);
  }
  return fields;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/**
 * A secret of the config file (alerting receivers and SMTP, the payment
 * notices' key), resolved like connectors' credentials: the value itself,
 * `{ fromEnv: NAME }` or `{ fromFile: PATH }`. `field` is how errors
 * (CredentialReferenceError) name it; never the value.
 */
export function resolveSecretReference(value: unknown, field: string, env: NodeJS.ProcessEnv): string {
  if (typeof value === 'string' && value !== '') return value;
  const referenced = readSecretReference(value, field, env);
  if (referenced) return referenced.value;
  throw new CredentialReferenceError(`${field}: must be a non-empty value, { fromEnv } or { fromFile }`);
}
