import { randomBytes } from 'node:crypto';
import { EnvelopeOpenError, openCredential, rewrapDataKey, sealCredential, type SealedCredential } from './envelope.js';

const master = { id: 'k1', key: randomBytes(32) };
const binding = { connectorId: 'population', version: 3 };
const plaintext = () => Buffer.from('{"clientSecret":"s3cr3t-value"}', 'utf8');

const flipped = (bytes: Buffer, at = 0) => {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

describe('credential envelope (AES-256-GCM data key wrapped by a master key)', () => {
  it('opens what it sealed, with a fresh data key and iv each time, the ciphertext never holding the plaintext', () => {
    const a = sealCredential(plaintext(), master, binding);
    const b = sealCredential(plaintext(), master, binding);
    expect(openCredential(a, master, binding).toString('utf8')).toBe(plaintext().toString('utf8'));
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.includes(Buffer.from('s3cr3t'))).toBe(false);
    expect(a).toMatchObject({ masterKeyId: 'k1' });
    expect(a.wrappedKey).toHaveLength(12 + 32 + 16);
  });

  it.each<[string, (sealed: SealedCredential) => SealedCredential]>([
    ['a tampered tag', (sealed) => ({ ...sealed, authTag: flipped(sealed.authTag) })],
    ['a tampered ciphertext', (sealed) => ({ ...sealed, ciphertext: flipped(sealed.ciphertext, 5) })],
    ['a tampered iv', (sealed) => ({ ...sealed, iv: flipped(sealed.iv) })],
    ['a tampered wrapped key (its tag)', (sealed) => ({ ...sealed, wrappedKey: flipped(sealed.wrappedKey, 50) })],
    ['a truncated wrapped key', (sealed) => ({ ...sealed, wrappedKey: sealed.wrappedKey.subarray(0, 40) })],
    ['a short tag', (sealed) => ({ ...sealed, authTag: sealed.authTag.subarray(0, 12) })],
  ])('refuses %s', (_, tamper) => {
    const sealed = sealCredential(plaintext(), master, binding);
    expect(() => openCredential(tamper(sealed), master, binding)).toThrow(EnvelopeOpenError);
  });

  it('refuses the wrong additional data: another connector, another version, a relabelled or another master key', () => {
    const sealed = sealCredential(plaintext(), master, binding);
    expect(() => openCredential(sealed, master, { ...binding, connectorId: 'registry' })).toThrow(EnvelopeOpenError);
    expect(() => openCredential(sealed, master, { ...binding, version: 4 })).toThrow(EnvelopeOpenError);
    // Same key bytes under another id: the wrapped key's additional data names the id.
    expect(() => openCredential({ ...sealed, masterKeyId: 'k9' }, { id: 'k9', key: master.key }, binding)).toThrow(EnvelopeOpenError);
    expect(() => openCredential(sealed, { id: 'k1', key: randomBytes(32) }, binding)).toThrow(EnvelopeOpenError);
    // The error says nothing about the content.
    try {
      openCredential(sealed, master, { ...binding, version: 4 });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cr3t');
    }
  });

  it('re-wraps the data key under another master key without touching the data', () => {
    const sealed = sealCredential(plaintext(), master, binding);
    const k2 = { id: 'k2', key: randomBytes(32) };
    const rewrapped: SealedCredential = { ...sealed, masterKeyId: 'k2', wrappedKey: rewrapDataKey(sealed.wrappedKey, master, k2, binding) };
    expect(openCredential(rewrapped, k2, binding).toString('utf8')).toBe(plaintext().toString('utf8'));
    expect(() => openCredential({ ...rewrapped, masterKeyId: 'k1' }, master, binding)).toThrow(EnvelopeOpenError);
    expect(() => rewrapDataKey(sealed.wrappedKey, master, k2, { ...binding, version: 1 })).toThrow(EnvelopeOpenError);
  });
});
