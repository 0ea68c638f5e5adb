import type { JsonSchema } from '../contracts/json-schema.js';

// Declared by operation descriptors, so the shape lives in the connector kit; the core resolves and enforces it.
export { referenceDataCachePolicy, type CachePolicy } from '../connector-kit/cache-policy.js';
import type { CachePolicy } from '../connector-kit/cache-policy.js';

export type CachePolicyOverride = Partial<CachePolicy> & { enabled?: boolean };

const duration = (description: string) => ({ type: 'integer', minimum: 0, maximum: 30 * 86_400_000, description }) as const;

/** The config fragment of one operation's cache policy. */
export function cachePolicyOverrideSchema(declared: CachePolicy | undefined): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    description: declared
      ? `Overrides the declared cache policy (ttl ${declared.ttlMs} ms, stale-while-revalidate ${declared.staleWhileRevalidateMs} ms, stale-if-error ${declared.staleIfErrorMs} ms); enabled: false turns caching off.`
      : 'Caches this operation (off by default). Personal-data operations are still cached only for consumers whose grant has allowCachedResponses.',
    // Without a declared policy there is nothing to inherit a freshness lifetime from.
    ...(declared ? {} : { required: ['ttlMs'] }),
    properties: {
      enabled: { type: 'boolean', default: true, description: 'false: never cache this operation.' },
      ttlMs: { ...duration('How long an answer is fresh (served without asking the upstream).'), minimum: 1 },
      staleWhileRevalidateMs: duration('After freshness: how long a stale answer is served at once while one background call refreshes it (Warning 110). Personal-data operations refresh in the foreground instead.'),
      staleIfErrorMs: duration('After freshness: how long a stale answer is served when the upstream fails, times out or its breaker is open (Warning 111).'),
    },
  } as JsonSchema;
}

/** The policy in force: the declared one with the deployment's override, or none. */
export function resolveCachePolicy(declared: CachePolicy | undefined, override: CachePolicyOverride | undefined): CachePolicy | undefined {
  if (override?.enabled === false) return undefined;
  if (!declared && override?.ttlMs === undefined) return undefined;
  return {
    ttlMs: override?.ttlMs ?? declared!.ttlMs,
    staleWhileRevalidateMs: override?.staleWhileRevalidateMs ?? declared?.staleWhileRevalidateMs ?? 0,
    staleIfErrorMs: override?.staleIfErrorMs ?? declared?.staleIfErrorMs ?? 0,
  };
}
