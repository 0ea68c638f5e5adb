import { createHash } from 'node:crypto';
import type { JsonSchema } from '../json-schema.js';
import type { UpstreamAuth } from './upstream-auth.js';

/**
 * Upstreams that authenticate every message by a checksum over its fields
 * with a shared secret, instead of a login (the national payment platform's
 * MaXacThuc). The connector builds the parts in the order its upstream
 * documents; the secret is appended here, so connector code never holds it.
 */
export const messageChecksumCredentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['partnerCode', 'secretKey'],
  properties: {
    partnerCode: { type: 'string', minLength: 1, maxLength: 100, description: 'The partner code the upstream registered us under (MaDoiTac).' },
    secretKey: { type: 'string', minLength: 16, 'x-secret': true, writeOnly: true, description: 'Shared secret of the message checksums, both ways.' },
  },
} as const satisfies JsonSchema;

/** Lower-case hex SHA-256 of the parts and the secret joined by '|': the seal, for simulators and tests that hold the secret. */
export function messageChecksum(parts: readonly string[], secret: string): string {
  return createHash('sha256').update([...parts, secret].join('|'), 'utf8').digest('hex');
}

export function createMessageChecksumAuth(credentials: { partnerCode: string; secretKey: string }): UpstreamAuth {
  const { partnerCode, secretKey } = credentials;
  return {
    scheme: 'message-checksum',
    headers: async () => ({}),
    invalidate: () => undefined,
    seal: (parts) => messageChecksum(parts, secretKey),
    account: partnerCode,
  };
}
