import type { JsonSchema } from '../contracts/json-schema.js';

/**
 * How long an operation's answers may be reused (RFC 9111 freshness plus
 * RFC 5861's two extensions). Declared in the operation descriptor for
 * reference data (the procedure catalog) and overridable per deployment in
 * `connectors.<id>.cache.<operationId>`; an operation with no policy is never
 * cached.
 *
 *   ttlMs                    fresh: served from the cache, the upstream is not asked
 *   staleWhileRevalidateMs   after that: served stale at once, refreshed in the background
 *   staleIfErrorMs           after freshness: served stale when the upstream fails
 */
export interface CachePolicy {
  ttlMs: number;
  staleWhileRevalidateMs: number;
  staleIfErrorMs: number;
}

/** Reference data changes by decision, not by the minute: an hour fresh, an hour more while refreshing, a day if the upstream is down. */
export const referenceDataCachePolicy: Readonly<CachePolicy> = Object.freeze({ ttlMs: 3_600_000, staleWhileRevalidateMs: 3_600_000, staleIfErrorMs: 86_400_000 });

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
