import type { Queryable } from '../store/store.js';
import { appendInTransaction } from './chain/append-in-transaction.js';

/** Who made an admin change, for the admin audit log. */
export interface AdminActor {
  /** Token subject (user id) and, when known, the user name. */
  actor: string;
  actorClient: string;
  requestId: string;
}

/**
 * Records one admin change (create, update or delete, told apart by which of
 * before/after exists) in the admin stream of the audit chain, inside the
 * change's own transaction: the change and its record commit together or not
 * at all.
 */
export async function recordAdminChange(
  tx: Queryable,
  actor: AdminActor,
  resource: { type: string; id: string },
  before: object | undefined,
  after: object | undefined,
): Promise<void> {
  await appendInTransaction(tx, 'admin', {
    occurredAt: new Date(),
    requestId: actor.requestId,
    actor: actor.actor,
    actorClient: actor.actorClient,
    action: !before ? 'create' : !after ? 'delete' : 'update',
    resourceType: resource.type,
    resourceId: resource.id,
    before: before ?? null,
    after: after ?? null,
  });
}
