import type { JsonSchema } from './json-schema.js';
import type { InvocationContext } from './descriptor.js';

/**
 * What every SOAP connector behind the national data-sharing platform shares
 * in its descriptor: the settings (the platform's integration code, the
 * endpoint path, the token URL), default resilience, and the context of a
 * health probe (the upstream wants an officer and a purpose on every call).
 */

export function platformSoapSettingsSchema(options: { defaultEndpointPath: string; integrationCodeElement: string }) {
  // `as const`: connectors read their settings with the type this schema describes (SettingsOf).
  return {
    type: 'object',
    additionalProperties: false,
    required: ['integrationCode'],
    properties: {
      integrationCode: { type: 'string', minLength: 1, description: `${options.integrationCodeElement}: integration code issued to the province by the platform.` },
      endpointPath: { type: 'string', pattern: '^/', default: options.defaultEndpointPath, description: 'Path of the SOAP endpoint under baseUrl.' },
      tokenUrl: { type: 'string', format: 'uri', description: 'OAuth2 token endpoint (default {baseUrl}/token).' },
    },
  } as const satisfies JsonSchema;
}

/** The invocation context of a health probe: identifies itself as the probe, never as an officer. */
export function healthProbeContext(signal: AbortSignal): InvocationContext {
  return { signal, requestId: 'health-probe', traceparent: `00-${'0'.repeat(31)}1-${'0'.repeat(15)}1-00`, endUser: 'lgsp-probe', purpose: 'HEALTH-PROBE' };
}
