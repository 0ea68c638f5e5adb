import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../observability/logger.js';
import { freePort, sharedRedisUrl } from '../rate-limit/test-support/throwaway-redis.js';
import { createRedisCacheLayer, type RedisCacheLayerOptions } from './response-cache-redis.js';
import { serializeEntry } from './response-cache.js';
import { createEntrySealer } from './response-cache-sealing.js';

// The real Redis of the test machine, under a key prefix of this run only.
const logger = createLogger({ level: 'silent' });
const sealer = createEntrySealer('test-cache-entry-encryption-key-32-chars-plus');
const plain = { sealed: false };
const sealed = { sealed: true };
const person = { personalId: '001090012345', fullName: 'Nguyễn Văn An', address: 'Số 12 phố Hàng Bạc' };

const newPrefix = () => `lgsp-test:cache:${randomBytes(4).toString('hex')}`;
const layerOn = (keyPrefix: string, overrides: Partial<RedisCacheLayerOptions> = {}) =>
  createRedisCacheLayer({ url: sharedRedisUrl, keyPrefix, sealer, commandTimeoutMs: 2000, logger, ...overrides });
/** Writes are refused while offline, by design: wait until this layer's connection really takes them (a fixed sleep is too short on a loaded machine). */
async function connected(layer: ReturnType<typeof layerOn>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await layer.set('ready-check', serializeEntry({ value: true, storedAt: 1 }), 5_000, plain);
    if ((await layer.get('ready-check', plain)) !== undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the response cache's Redis connection is not ready after 10 s (is Redis running at ${sharedRedisUrl}?)`);
}

async function withRedis(keyPrefix: string, test: (admin: Redis) => Promise<void>): Promise<void> {
  const admin = new Redis(sharedRedisUrl);
  try {
    await test(admin);
  } finally {
    const keys = await admin.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  }
}

it('stores, reads back and deletes an entry, which expires with its retention', async () => {
  const layer = layerOn(newPrefix());
  try {
    await connected(layer);
    await layer.set('k', serializeEntry({ value: { name: 'Cấp phiếu lý lịch tư pháp' }, storedAt: 42 }), 60_000, plain);
    expect(await layer.get('k', plain)).toEqual({ value: { name: 'Cấp phiếu lý lịch tư pháp' }, storedAt: 42 });
    await layer.delete('k');
    expect(await layer.get('k', plain)).toBeUndefined();
    await layer.set('short', serializeEntry({ value: 1, storedAt: 1 }), 50, sealed);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await layer.get('short', sealed)).toBeUndefined();
  } finally {
    await layer.close();
  }
});

// Unsealed entries (reference data such as the procedure catalog) keep the format every replica version reads;
// sealed ones (personal data) are the envelope tested below.
it('stores an unsealed entry as exactly what JSON.stringify({ v, t }) makes, so replicas of every version read each other', async () => {
  const keyPrefix = newPrefix();
  const layer = layerOn(keyPrefix);
  await withRedis(keyPrefix, async (admin) => {
    try {
      await connected(layer);
      const values: unknown[] = [{ name: 'Nguyễn "Văn" A\n', list: [1, null, { deep: true }] }, 'text', 0, null, [], () => 'no JSON form'];
      for (const [index, value] of values.entries()) {
        await layer.set(`k${index}`, serializeEntry({ value, storedAt: 1_700_000_000_123 }), 60_000, plain);
        expect(await admin.get(`${keyPrefix}:k${index}`)).toBe(JSON.stringify({ v: value, t: 1_700_000_000_123 }));
      }
    } finally {
      await layer.close();
    }
  });
});

it('keeps a sealed (personal-data) entry only as AES-256-GCM ciphertext with its key id and a fresh IV, and reads it back', async () => {
  const keyPrefix = newPrefix();
  const layer = layerOn(keyPrefix);
  await withRedis(keyPrefix, async (admin) => {
    try {
      await connected(layer);
      await layer.set('a', serializeEntry({ value: person, storedAt: 7 }), 60_000, sealed);
      await layer.set('b', serializeEntry({ value: person, storedAt: 7 }), 60_000, sealed);
      const stored = (await admin.get(`${keyPrefix}:a`))!;
      for (const clear of [person.personalId, person.fullName, person.address, 'Nguy', '0010900']) expect(stored).not.toContain(clear);
      const envelope = JSON.parse(stored) as Record<string, string>;
      expect(Object.keys(envelope).sort()).toEqual(['ct', 'iv', 'kid', 'tag']);
      expect(envelope.kid).toBe(sealer.keyId);
      expect(Buffer.from(envelope.iv!, 'base64url')).toHaveLength(12);
      expect(JSON.parse((await admin.get(`${keyPrefix}:b`))!).iv).not.toBe(envelope.iv);
      expect(await layer.get('a', sealed)).toEqual({ value: person, storedAt: 7 });
    } finally {
      await layer.close();
    }
  });
});

it('a tampered entry, one sealed under another key, one copied under another key name, or a plain one where a sealed one belongs is a miss, not an error', async () => {
  const keyPrefix = newPrefix();
  const layer = layerOn(keyPrefix);
  const rotated = layerOn(keyPrefix, { sealer: createEntrySealer('the-next-cache-entry-encryption-key-32-chars') });
  await withRedis(keyPrefix, async (admin) => {
    try {
      await connected(layer);
      await connected(rotated);
      await layer.set('p', serializeEntry({ value: person, storedAt: 7 }), 60_000, sealed);
      const stored = (await admin.get(`${keyPrefix}:p`))!;

      // A key rotation: the old entry simply misses (and the new key's own entries read back).
      await expect(rotated.get('p', sealed)).resolves.toBeUndefined();
      await rotated.set('r', serializeEntry({ value: person, storedAt: 8 }), 60_000, sealed);
      expect(await rotated.get('r', sealed)).toEqual({ value: person, storedAt: 8 });
      await expect(layer.get('r', sealed)).resolves.toBeUndefined();

      const envelope = JSON.parse(stored) as Record<string, string>;
      const ct = Buffer.from(envelope.ct!, 'base64url');
      ct[0] = ct[0]! ^ 1;
      await admin.set(`${keyPrefix}:tampered`, JSON.stringify({ ...envelope, ct: ct.toString('base64url') }));
      await admin.set(`${keyPrefix}:copied`, stored);
      await admin.set(`${keyPrefix}:foreign-kid`, JSON.stringify({ ...envelope, kid: 'other' }));
      await admin.set(`${keyPrefix}:not-json`, 'garbage{');
      await admin.set(`${keyPrefix}:plain`, JSON.stringify({ v: { ...person, fullName: 'Injected' }, t: 7 }));
      for (const key of ['tampered', 'copied', 'foreign-kid', 'not-json', 'plain']) await expect(layer.get(key, sealed)).resolves.toBeUndefined();
      // The original still opens.
      expect(await layer.get('p', sealed)).toEqual({ value: person, storedAt: 7 });
    } finally {
      await Promise.all([layer.close(), rotated.close()]);
    }
  });
});

it('an unreachable Redis reads as a miss, at once, and writes are dropped without throwing', async () => {
  const layer = createRedisCacheLayer({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'lgsp-test:cache', sealer, commandTimeoutMs: 250, logger });
  try {
    const started = performance.now();
    await layer.set('k', serializeEntry({ value: 1, storedAt: 1 }), 1000, plain);
    expect(await layer.get('k', plain)).toBeUndefined();
    // Well under a connect timeout or any retry loop: the offline queue is off.
    expect(performance.now() - started).toBeLessThan(1000);
  } finally {
    await layer.close();
  }
});
