import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of one credential version. The fields are sealed with
 * a fresh random 256-bit data key (AES-256-GCM); the data key is sealed
 * (wrapped) under a master key. Only the wrapped key is stored, so rotating
 * the master key re-wraps 60 bytes per record and never touches the data.
 *
 * Both seals carry additional data binding them to their row: the data to
 * connector id + version (a ciphertext copied into another row does not
 * open), the data key to master key id + connector id + version (a wrapped
 * key moved to another row, or relabelled with another key id, does not
 * open either).
 */
export interface CredentialBinding {
  connectorId: string;
  version: number;
}

/** What the table stores of one version (connector_credentials columns). */
export interface SealedCredential {
  masterKeyId: string;
  /** iv (12) ‖ encrypted data key (32) ‖ tag (16). */
  wrappedKey: Buffer;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

export interface MasterKeyMaterial {
  id: string;
  key: Buffer;
}

/** A seal that does not open: tampered with, moved to another row, or the wrong key. Says nothing about the content. */
export class EnvelopeOpenError extends Error {
  constructor(what: string) {
    super(`${what} does not open (tampered with, moved from another record, or wrapped under another key)`);
    this.name = 'EnvelopeOpenError';
  }
}

const algorithm = 'aes-256-gcm';
const ivBytes = 12;
const tagBytes = 16;
const keyBytes = 32;

function dataAad({ connectorId, version }: CredentialBinding): Buffer {
  return Buffer.from(`lgsp-credential-data\n${connectorId}\n${version}`, 'utf8');
}

function keyAad(masterKeyId: string, { connectorId, version }: CredentialBinding): Buffer {
  return Buffer.from(`lgsp-credential-key\n${masterKeyId}\n${connectorId}\n${version}`, 'utf8');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv(algorithm, key, iv, { authTagLength: tagBytes });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function unseal(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer, what: string): Buffer {
  if (iv.length !== ivBytes || tag.length !== tagBytes) throw new EnvelopeOpenError(what);
  try {
    const decipher = createDecipheriv(algorithm, key, iv, { authTagLength: tagBytes });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // OpenSSL's message is harmless, but one neutral error for every failure keeps it that way.
    throw new EnvelopeOpenError(what);
  }
}

export function wrapDataKey(dataKey: Buffer, master: MasterKeyMaterial, binding: CredentialBinding): Buffer {
  const { iv, ciphertext, tag } = seal(master.key, dataKey, keyAad(master.id, binding));
  return Buffer.concat([iv, ciphertext, tag]);
}

/** The data key; the caller zeroes it after use. */
export function unwrapDataKey(wrappedKey: Buffer, master: MasterKeyMaterial, binding: CredentialBinding): Buffer {
  if (wrappedKey.length !== ivBytes + keyBytes + tagBytes) throw new EnvelopeOpenError('the wrapped data key');
  const dataKey = unseal(
    master.key,
    wrappedKey.subarray(0, ivBytes),
    wrappedKey.subarray(ivBytes, ivBytes + keyBytes),
    wrappedKey.subarray(ivBytes + keyBytes),
    keyAad(master.id, binding),
    'the wrapped data key',
  );
  if (dataKey.length !== keyBytes) throw new EnvelopeOpenError('the wrapped data key');
  return dataKey;
}

/** Seals `plaintext` (the canonical JSON of the fields) under a fresh data key wrapped by `master`. */
export function sealCredential(plaintext: Buffer, master: MasterKeyMaterial, binding: CredentialBinding): SealedCredential {
  const dataKey = randomBytes(keyBytes);
  try {
    const { iv, ciphertext, tag } = seal(dataKey, plaintext, dataAad(binding));
    return { masterKeyId: master.id, wrappedKey: wrapDataKey(dataKey, master, binding), iv, authTag: tag, ciphertext };
  } finally {
    dataKey.fill(0);
  }
}

/** The plaintext; the caller zeroes it after use. `master` must be the key named by `sealed.masterKeyId`. */
export function openCredential(sealed: SealedCredential, master: MasterKeyMaterial, binding: CredentialBinding): Buffer {
  if (master.id !== sealed.masterKeyId) throw new EnvelopeOpenError('the wrapped data key');
  const dataKey = unwrapDataKey(sealed.wrappedKey, master, binding);
  try {
    return unseal(dataKey, sealed.iv, sealed.ciphertext, sealed.authTag, dataAad(binding), 'the credential ciphertext');
  } finally {
    dataKey.fill(0);
  }
}

/** The same data key wrapped under another master key (rotation): the data and its additional data stay as they are. */
export function rewrapDataKey(wrappedKey: Buffer, from: MasterKeyMaterial, to: MasterKeyMaterial, binding: CredentialBinding): Buffer {
  const dataKey = unwrapDataKey(wrappedKey, from, binding);
  try {
    return wrapDataKey(dataKey, to, binding);
  } finally {
    dataKey.fill(0);
  }
}
