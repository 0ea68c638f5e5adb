import { createHotPathRedisClient } from '../rate-limit/rate-limit-redis.js';
import type { Logger } from '../observability/logger.js';
import type { SerializedEntry, SharedCacheLayer, StoredEntry } from './response-cache.js';
import { isSealedEntry, type EntrySealer } from './response-cache-sealing.js';

export interface RedisCacheLayerOptions {
  /** The gateway's `redis.url` (never logged: it may carry a password). */
  url: string;
  /** Prefix of every cache key; replicas that should share answers use the same one. */
  keyPrefix: string;
  /** Encrypts sealed entries (personal data); replicas sharing answers need the same key. */
  sealer: EntrySealer;
  /** A Redis answer slower than this counts as a miss (the gateway's `redis.commandTimeoutMs`). */
  commandTimeoutMs: number;
  connectTimeoutMs?: number;
  logger: Logger;
  /** Least time between two "shared cache unavailable" warnings (default 30 s). */
  warningIntervalMs?: number;
}

/**
 * The shared layer of the response cache in Redis: one JSON string per key
 * with a PX expiry, over the same hot-path client as the rate limiter
 * (rate-limit-redis.ts): no offline queue, no command retries, a short
 * command timeout — an unreachable or stalled Redis reads as a miss and a
 * lost write, never as a slow or failed request.
 *
 * Keys are the cache's own keys, which are keyed hashes (see cached-invoke.ts):
 * no personal id ever appears in a Redis key name, nor can one be found by
 * hashing candidates. A sealed entry (personal data) is stored only as
 * AES-256-GCM ciphertext bound to its Redis key (response-cache-sealing.ts):
 * `{"kid","iv","ct","tag"}` around the plain form `{"v","t"}`. One that does
 * not open — another key, another key name, tampered with — is a miss, as is
 * a plain entry where a sealed one is expected.
 */
export function createRedisCacheLayer(options: RedisCacheLayerOptions): SharedCacheLayer {
  const redis = createHotPathRedisClient({
    url: options.url,
    connectTimeoutMs: options.connectTimeoutMs,
    commandTimeoutMs: options.commandTimeoutMs,
    connectionName: 'lgsp-response-cache',
  });
  const warningIntervalMs = options.warningIntervalMs ?? 30_000;
  let lastWarning = -Infinity;
  const unavailable = (error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < warningIntervalMs) return;
    lastWarning = now;
    options.logger.warn({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'shared response cache unavailable; serving from this replica only');
  };
  // ioredis emits 'error' on every failed reconnect; unlistened, that would be an uncaught exception.
  redis.on('error', unavailable);
  const fullKey = (key: string) => `${options.keyPrefix}:${key}`;

  return {
    async get(key, { sealed }) {
      let text: string | null;
      try {
        text = await redis.get(fullKey(key));
      } catch (error) {
        unavailable(error);
        return undefined;
      }
      if (text === null) return undefined;
      const stored = parseJson(text);
      const plain = isSealedEntry(stored) ? options.sealer.open(stored, fullKey(key)) : sealed ? undefined : text;
      return plain === undefined ? undefined : decode(plain);
    },
    async set(key, entry, retainMs, { sealed }) {
      if (retainMs <= 0) return;
      const plain = encode(entry);
      const text = sealed ? JSON.stringify(options.sealer.seal(plain, fullKey(key))) : plain;
      try {
        await redis.set(fullKey(key), text, 'PX', Math.ceil(retainMs));
      } catch (error) {
        unavailable(error);
      }
    },
    async delete(key) {
      try {
        await redis.del(fullKey(key));
      } catch (error) {
        unavailable(error);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

/**
 * `JSON.stringify({ v: value, t: storedAt })`, character for character (what
 * replicas store and read), built around the value's JSON the cache already
 * made instead of serializing the answer a second time.
 */
function encode(entry: SerializedEntry): string {
  const storedAt = JSON.stringify(entry.storedAt);
  // JSON.stringify leaves out a member whose value has no JSON form.
  return entry.valueJson === undefined ? `{"t":${storedAt}}` : `{"v":${entry.valueJson},"t":${storedAt}}`;
}

function decode(text: string): StoredEntry | undefined {
  const parsed = parseJson(text) as { v?: unknown; t?: unknown } | undefined;
  return parsed && typeof parsed.t === 'number' && parsed.v !== undefined ? { value: parsed.v, storedAt: parsed.t } : undefined;
}

/** Whatever another writer left under a key: unreadable is a miss, never an error. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
