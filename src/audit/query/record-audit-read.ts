import type { Queryable } from '../../store/store.js';

/** Who read the trail: written to `admin_audit_log` as action 'read' (migration 0003). */
export interface AuditReader {
  actor: string;
  actorClient: string;
  requestId: string;
}

/** What was read: the query API or a subject report. */
export type AuditReadResource = 'audit_records' | 'audit_subject_report';

/**
 * Records one read of the audit trail before its result leaves the gateway
 * (a read that cannot be recorded is not answered). `resourceId` and
 * `details` must already be free of clear personal ids: callers pass the
 * masked subject.
 */
export async function recordAuditRead(
  db: Queryable,
  reader: AuditReader,
  resource: AuditReadResource,
  resourceId: string,
  details: { filter: Record<string, string>; returned: number; format: string },
): Promise<void> {
  await db.query(
    `INSERT INTO admin_audit_log (request_id, actor, actor_client, action, resource_type, resource_id, before, after)
     VALUES ($1, $2, $3, 'read', $4, $5, NULL, $6)`,
    [reader.requestId, reader.actor, reader.actorClient, resource, resourceId, JSON.stringify(details)],
  );
}
