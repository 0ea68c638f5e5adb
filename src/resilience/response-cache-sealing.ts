import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What keeps the response cache from being a readable copy of what it holds:
 * keyed hashes for its keys and AES-256-GCM for entries at rest in Redis.
 *
 * A plain SHA-256 of a 12-digit personal id is reversed by trying every id
 * (seconds), so keys are HMAC-SHA-256 under a secret. Entries are sealed with
 * a key derived from another secret (HKDF-SHA-256), a random 96-bit IV per
 * entry, the entry's own Redis key as additional data (an entry copied under
 * another key does not open), and the id of the sealing key beside it, so
 * after a key change older entries are plain misses.
 */
export type CacheSecret = string | Buffer;

/** `HMAC-SHA-256(secret, text)`, base64url: a cache key that reveals nothing of the input it stands for. */
export function keyedCacheHash(secret: CacheSecret, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

export interface SealedEntry {
  /** Id of the key that sealed it (derived from the key, so nothing to configure and nothing secret). */
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

export interface EntrySealer {
  readonly keyId: string;
  seal(plaintext: string, boundTo: string): SealedEntry;
  /** The plaintext, or undefined for an entry sealed under another key, bound to another key name, or tampered with. */
  open(sealed: unknown, boundTo: string): string | undefined;
}

const ivBytes = 12;

export function createEntrySealer(secret: CacheSecret): EntrySealer {
  const derive = (info: string, length: number) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, length));
  const key = derive('lgsp response cache entries: AES-256-GCM key', 32);
  const keyId = derive('lgsp response cache entries: key id', 9).toString('base64url');
  const additionalData = (boundTo: string) => Buffer.from(`${keyId}\n${boundTo}`, 'utf8');

  return {
    keyId,
    seal(plaintext, boundTo) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(additionalData(boundTo));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { kid: keyId, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
    },
    open(sealed, boundTo) {
      if (!isSealedEntry(sealed) || sealed.kid !== keyId) return undefined;
      const iv = Buffer.from(sealed.iv, 'base64url');
      const tag = Buffer.from(sealed.tag, 'base64url');
      if (iv.length !== ivBytes || tag.length !== 16) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(additionalData(boundTo));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // The tag does not match: tampered with, or sealed for another key name.
        return undefined;
      }
    },
  };
}

export function isSealedEntry(value: unknown): value is SealedEntry {
  if (!value || typeof value !== 'object') return false;
  const { kid, iv, ct, tag } = value as Record<string, unknown>;
  return typeof kid === 'string' && typeof iv === 'string' && typeof ct === 'string' && typeof tag === 'string';
}

/** A secret for a process that was given none (development): its entries and keys are its own, unreadable to any other. */
export function generatedCacheSecret(): Buffer {
  return randomBytes(32);
}
