import type { JsonSchema } from '../connector-kit/json-schema.js';

/**
 * The credentials a connector's upstream may ask for besides its auth
 * scheme's: a client certificate and key for mutual TLS, and the CA that
 * signed the upstream's own certificate when it is not a public one. Every
 * connector accepts them (in the configuration and in the vault); the
 * connector runtime hands them to the transport, never to connector code.
 */
export const transportCredentialProperties = {
  clientCertificate: { type: 'string', pattern: '-----BEGIN CERTIFICATE-----', description: 'PEM client certificate for mutual TLS (its expiry becomes the credential version\'s expiry).' },
  clientKey: { type: 'string', pattern: '-----BEGIN [A-Z ]*PRIVATE KEY-----', 'x-secret': true, writeOnly: true, description: 'PEM private key of clientCertificate.' },
  caCertificate: { type: 'string', pattern: '-----BEGIN CERTIFICATE-----', description: 'PEM CA certificate(s) the upstream\'s server certificate must chain to, when it is not publicly trusted (with clientCertificate).' },
} as const satisfies Record<string, JsonSchema>;

/** A connector's full credential schema: its auth scheme's fields plus the transport's; a client key needs its certificate and the other way round. */
export function fullCredentialSchema(credentialSchema: JsonSchema): JsonSchema {
  const properties = (credentialSchema.properties ?? {}) as Record<string, JsonSchema>;
  return {
    ...credentialSchema,
    properties: { ...properties, ...transportCredentialProperties },
    dependentRequired: { clientCertificate: ['clientKey'], clientKey: ['clientCertificate'], caCertificate: ['clientCertificate'] },
  };
}

/** Names of the fields marked `x-secret` (the ones never shown, and the ones a fingerprint covers). */
export function secretFieldsOf(credentialSchema: JsonSchema): string[] {
  const properties = (fullCredentialSchema(credentialSchema).properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties)
    .filter(([, property]) => property['x-secret'] === true)
    .map(([name]) => name)
    .sort();
}

/**
 * The configuration's form of a credential schema: each secret field may
 * also be a reference, `{ fromEnv: NAME }` or `{ fromFile: /path }` (a
 * mounted Kubernetes secret, a GitOps-managed file), so the value itself is
 * never written in the configuration file. Resolved by config-credentials.ts.
 */
export function configCredentialSchema(credentialSchema: JsonSchema): JsonSchema {
  const full = fullCredentialSchema(credentialSchema);
  const properties = Object.fromEntries(
    Object.entries((full.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => [
      name,
      property['x-secret'] === true
        ? {
            description: property.description,
            'x-secret': true,
            oneOf: [
              { ...property, description: undefined },
              { type: 'object', additionalProperties: false, required: ['fromEnv'], properties: { fromEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Environment variable holding the value.' } } },
              { type: 'object', additionalProperties: false, required: ['fromFile'], properties: { fromFile: { type: 'string', minLength: 1, description: 'File holding the value (trailing newline ignored), e.g. a mounted secret.' } } },
            ],
          }
        : property,
    ]),
  );
  return { ...full, properties: JSON.parse(JSON.stringify(properties)) as Record<string, JsonSchema> };
}
