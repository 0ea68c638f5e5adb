import type { JsonSchema } from '../contracts/json-schema.js';

/**
 * How calls to one upstream are protected. Declared with defaults in each
 * connector descriptor and overridable per deployment in config; one shared
 * schema fragment so every connector is tuned with the same words.
 */
export interface ResiliencePolicy {
  /** Total time one upstream call may take; the request is aborted after it. */
  timeoutMs: number;
  breaker: {
    /** Failure percentage within the rolling window that opens the breaker. */
    errorThresholdPercentage: number;
    /** Calls needed in the window before the percentage counts at all. */
    volumeThreshold: number;
    rollingWindowMs: number;
    /** How long the breaker stays open before letting one trial call through. */
    resetTimeoutMs: number;
  };
}

export type ResiliencePolicyOverride = Partial<Omit<ResiliencePolicy, 'breaker'>> & {
  breaker?: Partial<ResiliencePolicy['breaker']>;
};

export const resiliencePolicySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Timeout and circuit-breaker settings for calls to this upstream; omitted keys keep the connector defaults.',
  properties: {
    timeoutMs: { type: 'integer', minimum: 1, maximum: 120000, description: 'Total time an upstream call may take before it is aborted (504).' },
    breaker: {
      type: 'object',
      additionalProperties: false,
      properties: {
        errorThresholdPercentage: { type: 'integer', minimum: 1, maximum: 100 },
        volumeThreshold: { type: 'integer', minimum: 1, maximum: 10000 },
        rollingWindowMs: { type: 'integer', minimum: 1000, maximum: 600000 },
        resetTimeoutMs: { type: 'integer', minimum: 100, maximum: 600000 },
      },
    },
  },
} as const satisfies JsonSchema;

export function mergeResiliencePolicy(defaults: ResiliencePolicy, override: ResiliencePolicyOverride = {}): ResiliencePolicy {
  return {
    timeoutMs: override.timeoutMs ?? defaults.timeoutMs,
    breaker: { ...defaults.breaker, ...override.breaker },
  };
}
