import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { JsonSchema } from '../contracts/json-schema.js';
import { resiliencePolicySchemaFor } from '../resilience/policy.js';
import { probeSettingSchemaFor } from '../resilience/probe-plan.js';
import { cachePolicyOverrideSchema } from '../resilience/response-cache-policy.js';
import { configCredentialSchema } from '../connector-runtime/credential-schema.js';
import { gatewayConfigSchema } from './config-schema.js';

/**
 * The full configuration schema: the gateway's own part plus one section per
 * registered connector, built from each descriptor's credential and settings
 * schemas and the shared resilience fragment.
 */
export function composeConfigSchema(connectors: ReadonlyArray<ConnectorDescriptor>): JsonSchema {
  const schema = structuredClone(gatewayConfigSchema) as unknown as { properties: { connectors: { properties: Record<string, JsonSchema> } } };
  for (const connector of connectors) {
    const operationIds = connector.operations.map((operation) => operation.id);
    schema.properties.connectors.properties[connector.id] = {
      type: 'object',
      additionalProperties: false,
      description: `${connector.title}: ${connector.upstream}`,
      required: ['baseUrl', 'credentials'],
      properties: {
        enabled: { type: 'boolean', default: true },
        baseUrl: { type: 'string', format: 'uri', description: 'Where the upstream (or its sandbox) answers.' },
        sandbox: {
          type: 'boolean',
          default: true,
          description:
            "Embedded mode only: `false` uses this section's baseUrl and credentials (e.g. the national platform's test environment) instead of starting this connector's sandbox; the section then gets no development defaults and must be complete. Ignored in production.",
        },
        credentials: configCredentialSchema(connector.credentialSchema),
        settings: { ...connector.settingsSchema, default: {} },
        resilience: resiliencePolicySchemaFor(operationIds),
        probe: probeSettingSchemaFor(connector),
        cache: {
          type: 'object',
          additionalProperties: false,
          description: 'Response-cache policy per operation id (see the top-level `cache` section).',
          properties: Object.fromEntries(connector.operations.map((operation) => [operation.id, cachePolicyOverrideSchema(operation.cache)])),
        },
      },
    };
  }
  return schema as unknown as JsonSchema;
}
