import { CredentialReferenceError, readSecretReference } from '../../connector-runtime/config-credentials.js';

/**
 * A secret as the config file gives it, resolved like connectors' credentials
 * (readSecretReference): the value itself, `{ fromEnv: NAME }` or
 * `{ fromFile: PATH }`. `field` is how errors (CredentialReferenceError) name it.
 */
export function resolveSecretReference(value: unknown, field: string, env: NodeJS.ProcessEnv): string {
  if (typeof value === 'string' && value !== '') return value;
  const referenced = readSecretReference(value, field, env);
  if (referenced) return referenced.value;
  throw new CredentialReferenceError(`${field}: must be a non-empty value, { fromEnv } or { fromFile }`);
}
