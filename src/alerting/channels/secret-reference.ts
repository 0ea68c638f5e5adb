import { readFileSync } from 'node:fs';

/** A secret of the config file that cannot be resolved: names the field and the reference, never a value. */
export class SecretReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretReferenceError';
  }
}

/**
 * A secret as the config file gives it (like connectors' credentials, see
 * src/connector-runtime/config-credentials.ts): the value itself, or
 * `{ fromEnv: NAME }`, or `{ fromFile: PATH }` (a mounted secret; one
 * trailing newline dropped). `field` is how errors name it.
 */
export function resolveSecretReference(value: unknown, field: string, env: NodeJS.ProcessEnv): string {
  if (typeof value === 'string' && value !== '') return value;
  if (isReference(value, 'fromEnv')) {
    const resolved = env[value.fromEnv];
    if (resolved === undefined || resolved === '') throw new SecretReferenceError(`${field}: environment variable ${value.fromEnv} is not set`);
    return resolved;
  }
  if (isReference(value, 'fromFile')) {
    let text: string;
    try {
      text = readFileSync(value.fromFile, 'utf8');
    } catch (error) {
      throw new SecretReferenceError(`${field}: cannot read ${value.fromFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const secret = text.replace(/\r?\n$/, '');
    if (secret === '') throw new SecretReferenceError(`${field}: ${value.fromFile} is empty`);
    return secret;
  }
  throw new SecretReferenceError(`${field}: must be a non-empty value, { fromEnv } or { fromFile }`);
}

function isReference<K extends 'fromEnv' | 'fromFile'>(value: unknown, key: K): value is Record<K, string> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'string';
}
