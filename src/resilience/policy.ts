import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { JsonSchema } from '../contracts/json-schema.js';

// The policy's shape and defaults belong to the connector kit (descriptors declare them); the core tunes and enforces them.
export { defaultResiliencePolicy, type CallPolicy, type OperationPolicyOverride, type ResiliencePolicy, type ResiliencePolicyOverride, type RetryPolicy } from '../connector-kit/resilience-policy.js';
import { defaultResiliencePolicy, type CallPolicy, type OperationPolicyOverride, type ResiliencePolicy, type ResiliencePolicyOverride } from '../connector-kit/resilience-policy.js';

const retrySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Retries of idempotent operations only: timeouts (when the deadline leaves room), connection errors, HTTP 5xx/429, SOAP server faults.',
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 10, description: 'Attempts in all, the first included (1 = no retry).' },
    baseDelayMs: { type: 'integer', minimum: 0, maximum: 60000, description: 'Base of the exponential backoff (full jitter); an upstream Retry-After is waited for instead when longer.' },
    maxDelayMs: { type: 'integer', minimum: 0, maximum: 60000, description: 'Cap of one backoff.' },
  },
} as const satisfies JsonSchema;

const timeoutSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 120000,
  description: 'Time one attempt may take before it is aborted (504); never longer than what is left of the request deadline.',
} as const satisfies JsonSchema;

const connectorProperties = {
  connectTimeoutMs: { type: 'integer', minimum: 1, maximum: 60000, description: 'Time to open a connection to the upstream.' },
  timeoutMs: timeoutSchema,
  breaker: {
    type: 'object',
    additionalProperties: false,
    properties: {
      errorThresholdPercentage: { type: 'integer', minimum: 1, maximum: 100, description: 'Failure percentage in the rolling window that opens the breaker.' },
      volumeThreshold: { type: 'integer', minimum: 1, maximum: 10000, description: 'Calls in the window before the percentage counts.' },
      rollingWindowMs: { type: 'integer', minimum: 1000, maximum: 600000 },
      resetTimeoutMs: { type: 'integer', minimum: 100, maximum: 600000, description: 'Time open before one trial call is let through (half-open).' },
    },
  },
  retry: retrySchema,
  bulkhead: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxConcurrent: { type: 'integer', minimum: 1, maximum: 10000, description: 'Calls in flight to this upstream at once.' },
      maxQueue: { type: 'integer', minimum: 0, maximum: 100000, description: 'Calls waiting for a slot; beyond it 503 LGSP_UPSTREAM_BUSY at once.' },
    },
  },
} as const;

const operationPolicySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { timeoutMs: timeoutSchema, retry: retrySchema },
} as const satisfies JsonSchema;

/**
 * The resilience fragment of one connector, for its config section
 * (`connectors.<id>.resilience`) and its admin override alike. Its
 * `operations` accepts exactly the connector's operation ids, so an id the
 * connector does not have is refused by the schema, in one place, whether it
 * comes from a config file or from an admin.
 */
export function resiliencePolicySchemaFor(operationIds: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    description: 'Timeouts, circuit breaker, retries and bulkhead for calls to this upstream; omitted keys keep the connector defaults.',
    properties: {
      ...connectorProperties,
      operations: {
        type: 'object',
        additionalProperties: false,
        description: 'Per operation id: the attempt timeout and retry budget of that operation.',
        properties: Object.fromEntries(operationIds.map((operationId) => [operationId, operationPolicySchema])),
      },
    },
  };
}

/** Later overrides win, key by key (per-operation parts are ignored here: see resolvePolicies). */
export function mergeResiliencePolicy(defaults: ResiliencePolicy, ...overrides: Array<ResiliencePolicyOverride | undefined>): ResiliencePolicy {
  let policy = defaults;
  for (const override of overrides) {
    if (!override) continue;
    policy = {
      connectTimeoutMs: override.connectTimeoutMs ?? policy.connectTimeoutMs,
      timeoutMs: override.timeoutMs ?? policy.timeoutMs,
      breaker: { ...policy.breaker, ...override.breaker },
      retry: { ...policy.retry, ...override.retry },
      bulkhead: { ...policy.bulkhead, ...override.bulkhead },
    };
  }
  return policy;
}

export interface ResolvedPolicies {
  connector: ResiliencePolicy;
  /** Operation id → its call policy. */
  operations: ReadonlyMap<string, CallPolicy>;
}

/**
 * The effective policies of one connector from its layers, weakest first
 * (kit defaults, descriptor, config, admin override). Within a layer the
 * operation's own entry beats the connector-wide value; a later layer's
 * connector-wide value beats an earlier layer's operation entry, so a
 * deployment that sets `timeoutMs` for a connector means it for every
 * operation unless it names one.
 */
export function resolvePolicies(operationIds: readonly string[], layers: ReadonlyArray<ResiliencePolicyOverride | undefined>): ResolvedPolicies {
  const connector = mergeResiliencePolicy(defaultResiliencePolicy, ...layers);
  const operations = new Map<string, CallPolicy>();
  for (const operationId of operationIds) {
    let policy: CallPolicy = { timeoutMs: defaultResiliencePolicy.timeoutMs, retry: defaultResiliencePolicy.retry };
    for (const layer of layers) {
      if (!layer) continue;
      for (const part of [layer, layer.operations?.[operationId]]) {
        if (!part) continue;
        policy = { timeoutMs: part.timeoutMs ?? policy.timeoutMs, retry: { ...policy.retry, ...part.retry } };
      }
    }
    operations.set(operationId, policy);
  }
  return { connector, operations };
}

/** A descriptor's declarations as one override layer: its connector defaults and each operation's own. */
export function descriptorPolicyLayer(descriptor: Pick<ConnectorDescriptor<any>, 'resilience' | 'operations'>): ResiliencePolicyOverride {
  const operations: Record<string, OperationPolicyOverride> = {};
  for (const operation of descriptor.operations) if (operation.resilience) operations[operation.id] = operation.resilience;
  return { ...descriptor.resilience, operations };
}
