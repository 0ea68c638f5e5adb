import type { Store } from '../../store/store.js';
import { appendInTransaction } from '../chain/append-in-transaction.js';

/** Who read the trail: written to `admin_audit_log` as action 'read' (migration 0003). */
export interface AuditReader {
  actor: string;
  actorClient: string;
  requestId: string;
}

/** What was read: the query API, a subject report, or a verification of a stream's hash chain. */
export type AuditReadResource = 'audit_records' | 'audit_subject_report' | 'audit_chain';

/**
 * Records one read of the audit trail before its result leaves the gateway
 * (a read that cannot be recorded is not answered). `resourceId` and
 * `details` must already be free of clear personal ids: callers pass the
 * masked subject.
 */
export async function recordAuditRead(
  store: Store,
  reader: AuditReader,
  resource: AuditReadResource,
  resourceId: string,
  details: { filter: Record<string, string>; returned: number; format: string } | Record<string, unknown>,
): Promise<void> {
  // Its own transaction: the admin stream's head is locked only for this one append.
  await store.transaction((tx) =>
    appendInTransaction(tx, 'admin', {
      occurredAt: new Date(),
      requestId: reader.requestId,
      actor: reader.actor,
      actorClient: reader.actorClient,
      action: 'read',
      resourceType: resource,
      resourceId,
      before: null,
      after: details,
    }),
  );
}
