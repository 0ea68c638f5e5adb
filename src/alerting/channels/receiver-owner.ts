import { receiverSecretFields } from '../schemas.js';

/**
 * Alert receivers keep their secrets in the credential vault next to the
 * connectors' credentials, under owner ids `alert-receiver:<id>`, which no
 * connector has (the connector credentials API serves registered connectors
 * only). The connector runtime picks vault rows by its connectors' ids, and
 * the expiry watch only sees versions with an expiry, which receiver secrets
 * never have: neither acts on these rows.
 */
const ownerPrefix = 'alert-receiver:';

export function receiverOwnerId(receiverId: string): string {
  return `${ownerPrefix}${receiverId}`;
}

export function isReceiverOwner(ownerId: string): boolean {
  return ownerId.startsWith(ownerPrefix);
}

/** Every secret field a receiver of any kind has (only its own kind's are ever stored): what the vault fingerprints. */
export const receiverOwnerSecretFields: readonly string[] = [...new Set(Object.values(receiverSecretFields).flat() as string[])].sort();
