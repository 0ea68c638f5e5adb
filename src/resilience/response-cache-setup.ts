import type { GatewayConfig } from '../config/gateway-config.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ConfiguredResponseCache } from '../pipeline/cached-invoke.js';
import { resolveCachePolicy, type CachePolicy } from './response-cache-policy.js';
import { createRedisCacheLayer } from './response-cache-redis.js';
import { ResponseCache } from './response-cache.js';
import { createEntrySealer, generatedCacheSecret } from './response-cache-sealing.js';

/**
 * The gateway's response cache from its config: the policy in force per
 * operation (descriptor default + `connectors.<id>.cache`), the in-process
 * layer, and the Redis layer when `redis` is configured. Undefined when no
 * mounted operation is cached (or `cache.enabled` is false).
 *
 * Without configured cache secrets (development; production refuses to start
 * so with `redis`, see production-guard.ts) the process makes its own: its
 * keys and sealed entries are then readable by no other replica.
 */
export function createResponseCache(deps: {
  config: Pick<GatewayConfig, 'cache' | 'redis' | 'connectors'>;
  connectors: ReadonlyArray<ConnectorDescriptor<any>>;
  metrics: Metrics;
  logger: Logger;
}): ConfiguredResponseCache | undefined {
  const { config, logger } = deps;
  if (!config.cache.enabled) return undefined;
  const policies = new Map<string, CachePolicy>();
  for (const connector of deps.connectors) {
    for (const operation of connector.operations) {
      const policy = resolveCachePolicy(operation.cache, config.connectors[connector.id]?.cache?.[operation.id]);
      if (policy) policies.set(operation.id, policy);
    }
  }
  if (policies.size === 0) return undefined;
  const keyHashKey = config.cache.keyHashKey ?? generatedCacheSecret();
  const cache = new ResponseCache({
    maxEntries: config.cache.maxEntries,
    maxBytes: config.cache.maxBytes,
    metrics: { hits: deps.metrics.cacheHits, misses: deps.metrics.cacheMisses, staleServes: deps.metrics.cacheStaleServes },
    logger: logger.child({ component: 'response-cache' }),
    ...(config.redis && {
      shared: createRedisCacheLayer({
        url: config.redis.url,
        keyPrefix: config.cache.sharedKeyPrefix,
        sealer: createEntrySealer(config.cache.entryEncryptionKey ?? generatedCacheSecret()),
        commandTimeoutMs: config.redis.commandTimeoutMs,
        logger,
      }),
    }),
  });
  logger.info({ cachedOperations: [...policies.keys()], shared: Boolean(config.redis) }, 'response cache ready');
  return { cache, policyOf: (operationId) => policies.get(operationId), keyHashKey, sealEveryEntry: config.cache.encryptAllEntries };
}
