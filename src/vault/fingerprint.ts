import { createHmac, hkdfSync } from 'node:crypto';
import type { GatewayConfig } from '../config/gateway-config.js';
import { canonicalFieldsBytes } from './canonical-fields.js';

/**
 * The keyed fingerprint operators see instead of a secret: equal
 * fingerprints mean the same secret values, and without the key nothing can
 * be learnt from it (a plain hash of a short password is reversed by trying).
 *
 * Its key is NOT derived from the master key: fingerprints must stay the
 * same across a master-key rotation (an operator compares them across
 * versions and over time), and a value shown to operators should not be
 * computed from the key that protects every secret. So it is derived
 * (HKDF-SHA-256, info 'lgsp-credential-fingerprint') from
 * `vault.fingerprintKey` when configured, else from audit.subjectHashKey (a
 * secret every deployment already has and keeps stable, because changing it
 * breaks subject queries); the info string keeps the two uses of that
 * secret apart.
 */
export const fingerprintInfo = 'lgsp-credential-fingerprint';

export function fingerprintKeyFrom(config: Pick<GatewayConfig, 'audit' | 'vault'>): Buffer {
  const source = config.vault?.fingerprintKey ?? config.audit.subjectHashKey;
  return Buffer.from(hkdfSync('sha256', Buffer.from(source, 'utf8'), Buffer.alloc(0), fingerprintInfo, 32));
}

/** `hmac-sha256:` + the first 16 hex characters of HMAC-SHA-256 over the canonical JSON of the secret fields only. */
export function credentialFingerprint(key: Buffer, fields: Readonly<Record<string, unknown>>, secretFields: readonly string[]): string {
  const secrets: Record<string, unknown> = {};
  for (const name of secretFields) if (fields[name] !== undefined && fields[name] !== null) secrets[name] = fields[name];
  const bytes = canonicalFieldsBytes(secrets);
  try {
    return `hmac-sha256:${createHmac('sha256', key).update(bytes).digest('hex').slice(0, 16)}`;
  } finally {
    bytes.fill(0);
  }
}
