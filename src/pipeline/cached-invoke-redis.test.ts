import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import type { Grant } from '../../contracts/types.generated.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { sharedRedisUrl } from '../rate-limit/test-support/throwaway-redis.js';
import { Deadline } from '../resilience/deadline.js';
import { ResponseCache } from '../resilience/response-cache.js';
import { createRedisCacheLayer } from '../resilience/response-cache-redis.js';
import { createEntrySealer } from '../resilience/response-cache-sealing.js';
import { createCachedInvoke } from './cached-invoke.js';

// What a replica leaves in the real Redis when it caches a personal-data answer.
const logger = createLogger({ level: 'silent' });
const personalId = '001090012345';
const citizen = { personalId, fullName: 'Nguyễn Văn An', birthDate: '1990-01-01' };
const input = { params: { personalId }, query: {}, body: undefined };
const grant: Grant = { consumerId: 'one-stop', operation: 'population.citizen.get', purposes: ['P'], fields: ['*'], allowCachedResponses: true };
const res = { setHeader: () => undefined } as unknown as Response;
const policy = { ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 };
const secrets = { keyHashKey: 'test-cache-key-hash-key-of-32-chars-or-more', entryEncryptionKey: 'test-cache-entry-encryption-key-32-chars-plus' };

function replica(keyPrefix: string, keys = secrets) {
  const metrics = createMetrics();
  const shared = createRedisCacheLayer({ url: sharedRedisUrl, keyPrefix, sealer: createEntrySealer(keys.entryEncryptionKey), commandTimeoutMs: 2000, logger });
  const cache = new ResponseCache({
    maxEntries: 10,
    maxBytes: 100_000,
    metrics: { hits: metrics.cacheHits, misses: metrics.cacheMisses, staleServes: metrics.cacheStaleServes },
    logger,
    shared,
  });
  const invoke = createCachedInvoke({
    responseCache: { cache, policyOf: () => policy, keyHashKey: keys.keyHashKey, sealEveryEntry: false },
    connectorId: 'population',
    operation: { id: 'population.citizen.get', personalData: true },
    sharedCallTimeoutMs: 30_000,
  });
  let upstreamCalls = 0;
  const lookUp = () =>
    invoke({ input, grant, res, deadline: new Deadline(performance.now() + 10_000) }, async () => {
      upstreamCalls += 1;
      return { kind: 'found', data: citizen };
    });
  /** Writes are refused while offline (by design): wait until this replica's layer really reads back what it writes. */
  async function connected(): Promise<void> {
    const probe = { value: 'probe', storedAt: 1, valueJson: '"probe"' };
    for (const started = performance.now(); performance.now() - started < 10_000; await sleep(50)) {
      await shared.set('connected-probe', probe, 60_000, { sealed: false });
      if (await shared.get('connected-probe', { sealed: false })) return;
    }
    throw new Error('Redis not reachable');
  }
  return { cache, lookUp, connected, upstreamCalls: () => upstreamCalls };
}

async function eventuallyKeys(admin: Redis, pattern: string): Promise<string[]> {
  for (const started = performance.now(); performance.now() - started < 5_000; await sleep(20)) {
    const keys = await admin.keys(pattern);
    if (keys.length > 0) return keys;
  }
  return [];
}

it('a cached personal-data answer leaves in Redis neither the id (key) nor the person (value); replicas with the same secrets share it, others miss', async () => {
  const keyPrefix = `lgsp-test:cache:${randomBytes(4).toString('hex')}`;
  const admin = new Redis(sharedRedisUrl);
  const first = replica(keyPrefix);
  const second = replica(keyPrefix);
  const otherKeys = replica(keyPrefix, { keyHashKey: 'another-cache-key-hash-key-of-32-chars-plus', entryEncryptionKey: secrets.entryEncryptionKey });
  const otherEncryption = replica(keyPrefix, { keyHashKey: secrets.keyHashKey, entryEncryptionKey: 'another-cache-entry-encryption-key-32-chars' });
  try {
    for (const each of [first, second, otherKeys, otherEncryption]) await each.connected();
    await first.lookUp();
    // The shared write is never awaited by the request.
    const keys = await eventuallyKeys(admin, `${keyPrefix}:population.*`);
    expect(keys).toHaveLength(1);
    const [redisKey] = keys as [string];
    const digest = redisKey.slice(redisKey.lastIndexOf(':') + 1);
    expect(redisKey).not.toContain(personalId);
    const canonical = JSON.stringify([[['personalId', personalId]], []]);
    for (const text of [personalId, canonical, JSON.stringify(['population.citizen.get', [['personalId', personalId]], []])]) {
      expect(digest).not.toBe(createHash('sha256').update(text).digest('base64url'));
    }
    const stored = (await admin.get(redisKey))!;
    for (const clear of [personalId, citizen.fullName, 'Nguy', citizen.birthDate]) expect(stored).not.toContain(clear);

    expect(await second.lookUp()).toEqual({ kind: 'found', data: citizen, upstreamReference: 'cache' });
    expect(second.upstreamCalls()).toBe(0);
    // Another hash key finds no entry; another encryption key cannot open it: both ask the upstream, neither fails.
    expect(await otherKeys.lookUp()).toEqual({ kind: 'found', data: citizen });
    expect(otherKeys.upstreamCalls()).toBe(1);
    expect(await otherEncryption.lookUp()).toEqual({ kind: 'found', data: citizen });
    expect(otherEncryption.upstreamCalls()).toBe(1);
  } finally {
    await Promise.all([first, second, otherKeys, otherEncryption].map(({ cache }) => cache.close()));
    const keys = await admin.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  }
});
