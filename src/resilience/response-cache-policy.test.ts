import { connectorDescriptors } from '../../connectors/registry.js';
import { embeddedLayers } from '../../simulators/embedded/dev-defaults.js';
import { composeConfigSchema } from '../config/compose-config-schema.js';
import { ConfigError, loadConfig, readConfigDocument } from '../config/load-config.js';
import { assertProductionReady } from '../config/production-guard.js';
import { fromProjectRoot } from '../paths.js';
import { referenceDataCachePolicy, resolveCachePolicy } from './response-cache-policy.js';

describe('resolveCachePolicy', () => {
  it('keeps the declared policy, overrides key by key, and turns off with enabled: false', () => {
    expect(resolveCachePolicy(referenceDataCachePolicy, undefined)).toEqual(referenceDataCachePolicy);
    expect(resolveCachePolicy(referenceDataCachePolicy, { ttlMs: 1000 })).toEqual({ ...referenceDataCachePolicy, ttlMs: 1000 });
    expect(resolveCachePolicy(referenceDataCachePolicy, { enabled: false })).toBeUndefined();
  });

  it('caches an undeclared operation only when config gives it a ttl (stale windows default to none)', () => {
    expect(resolveCachePolicy(undefined, undefined)).toBeUndefined();
    expect(resolveCachePolicy(undefined, { staleIfErrorMs: 5000 })).toBeUndefined();
    expect(resolveCachePolicy(undefined, { ttlMs: 60_000 })).toEqual({ ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
  });
});

describe('the cache settings in config', () => {
  const schema = composeConfigSchema(connectorDescriptors);
  const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
  // The connector sections `npm start` runs with: embedded mode's development defaults under default.yaml.
  let defaults: Record<string, unknown>;
  beforeAll(async () => {
    ({ defaults } = await embeddedLayers({ document, env: {}, connectors: connectorDescriptors }));
  });
  const load = (overrides: Record<string, unknown>) => loadConfig({ schema, document, env: {}, overrides, defaults });

  it('has sane defaults', () => {
    expect(load({}).cache).toEqual({
      enabled: true,
      maxEntries: 10000,
      maxBytes: 67108864,
      sharedKeyPrefix: 'lgsp:cache',
      // Development keys of default.yaml, which production refuses (below).
      keyHashKey: 'dev-only-cache-key-hash-key-change-me-in-production',
      entryEncryptionKey: 'dev-only-cache-entry-encryption-key-change-me-in-production',
      encryptAllEntries: false,
    });
  });

  it('production refuses the development cache keys, and missing ones when replicas share Redis; keys come from the environment', () => {
    const { devIdp: _devIdp, sandboxes: _sandboxes, cache: _cache, ...rest } = document;
    const production = (cache: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, redis = true) =>
      loadConfig({
        schema,
        document: { ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' }, cache, ...(redis && { redis: { url: 'redis://redis:6379' } }) },
        env,
      });
    const complaintsOf = (config: ReturnType<typeof production>) => {
      try {
        assertProductionReady(config);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const development = complaintsOf(production((document as { cache: Record<string, unknown> }).cache));
    expect(development).toContain('cache.keyHashKey');
    expect(development).toContain('cache.entryEncryptionKey');
    const missing = complaintsOf(production({}));
    expect(missing).toContain('cache.keyHashKey (required with redis: set LGSP__CACHE__KEY_HASH_KEY)');
    expect(missing).toContain('cache.entryEncryptionKey (required with redis: set LGSP__CACHE__ENTRY_ENCRYPTION_KEY)');
    // Without Redis each process may keep its own generated keys: nothing leaves it.
    expect(complaintsOf(production({}, {}, false))).not.toContain('cache.');
    const fromEnv = production({}, { LGSP__CACHE__KEY_HASH_KEY: 'h'.repeat(40), LGSP__CACHE__ENTRY_ENCRYPTION_KEY: 'e'.repeat(40) });
    expect(fromEnv.cache).toMatchObject({ keyHashKey: 'h'.repeat(40), entryEncryptionKey: 'e'.repeat(40) });
    expect(complaintsOf(fromEnv)).not.toContain('cache.');
    expect(() => production({ keyHashKey: 'short' })).toThrow('keyHashKey');
  });

  it('accepts a policy for an operation of the connector, by operation id', () => {
    const config = load({ connectors: { 'business-registry': { cache: { 'business-registry.enterprise.get': { ttlMs: 600_000, staleIfErrorMs: 3_600_000 } } } } });
    expect(config.connectors['business-registry']!.cache).toEqual({ 'business-registry.enterprise.get': { enabled: true, ttlMs: 600_000, staleIfErrorMs: 3_600_000 } });
  });

  it.each([
    [{ 'business-registry': { cache: { 'business-registry.enterprise.get': { staleIfErrorMs: 1000 } } } }, 'ttlMs'],
    [{ 'business-registry': { cache: { 'public-service-portal.procedure.get': { ttlMs: 1000 } } } }, 'public-service-portal.procedure.get'],
    [{ 'public-service-portal': { cache: { 'public-service-portal.procedure.get': { ttlMs: 0 } } } }, 'ttlMs'],
  ])('refuses %j, naming the key', (connectors, key) => {
    expect(() => load({ connectors })).toThrow(ConfigError);
    expect(() => load({ connectors })).toThrow(key);
  });
});
