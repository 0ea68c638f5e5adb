import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../observability/logger.js';
import { freePort, sharedRedisUrl } from '../rate-limit/test-support/throwaway-redis.js';
import { createRedisCacheLayer } from './response-cache-redis.js';
import { serializeEntry } from './response-cache.js';

// The real Redis of the test machine, under a key prefix of this run only.
const logger = createLogger({ level: 'silent' });

it('stores, reads back and deletes an entry, which expires with its retention', async () => {
  const layer = createRedisCacheLayer({ url: sharedRedisUrl, keyPrefix: `lgsp-test:cache:${randomBytes(4).toString('hex')}`, commandTimeoutMs: 2000, logger });
  try {
    await new Promise((resolve) => setTimeout(resolve, 200)); // connected (writes are refused while offline, by design)
    await layer.set('k', serializeEntry({ value: { name: 'Cấp phiếu lý lịch tư pháp' }, storedAt: 42 }), 60_000);
    expect(await layer.get('k')).toEqual({ value: { name: 'Cấp phiếu lý lịch tư pháp' }, storedAt: 42 });
    await layer.delete('k');
    expect(await layer.get('k')).toBeUndefined();
    await layer.set('short', serializeEntry({ value: 1, storedAt: 1 }), 50);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await layer.get('short')).toBeUndefined();
  } finally {
    await layer.close();
  }
});

it('stores exactly what JSON.stringify({ v, t }) makes, so replicas of every version read each other', async () => {
  const keyPrefix = `lgsp-test:cache:${randomBytes(4).toString('hex')}`;
  const layer = createRedisCacheLayer({ url: sharedRedisUrl, keyPrefix, commandTimeoutMs: 2000, logger });
  const admin = new Redis(sharedRedisUrl);
  try {
    await new Promise((resolve) => setTimeout(resolve, 200)); // connected (writes are refused while offline, by design)
    const values: unknown[] = [{ name: 'Nguyễn "Văn" A\n', list: [1, null, { deep: true }] }, 'text', 0, null, [], () => 'no JSON form'];
    for (const [index, value] of values.entries()) {
      await layer.set(`k${index}`, serializeEntry({ value, storedAt: 1_700_000_000_123 }), 60_000);
      expect(await admin.get(`${keyPrefix}:k${index}`)).toBe(JSON.stringify({ v: value, t: 1_700_000_000_123 }));
    }
  } finally {
    const keys = await admin.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
    await layer.close();
  }
});

it('an unreachable Redis reads as a miss, at once, and writes are dropped without throwing', async () => {
  const layer = createRedisCacheLayer({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'lgsp-test:cache', commandTimeoutMs: 250, logger });
  try {
    const started = performance.now();
    await layer.set('k', serializeEntry({ value: 1, storedAt: 1 }), 1000);
    expect(await layer.get('k')).toBeUndefined();
    // Well under a connect timeout or any retry loop: the offline queue is off.
    expect(performance.now() - started).toBeLessThan(1000);
  } finally {
    await layer.close();
  }
});
