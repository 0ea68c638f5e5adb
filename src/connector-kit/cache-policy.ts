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
