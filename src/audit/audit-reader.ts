import type { Queryable } from '../store/store.js';
import type { StoredAuditRecord } from './audit-record.js';
import { auditRecordColumns, toStoredAuditRecord, type AuditRecordRow } from './audit-table.js';
import { hashSubjectId } from './subject-protection.js';

export interface FindBySubjectOptions {
  /** Default 100. */
  limit?: number;
}

/** Records about one data subject, newest first. The id is hashed here; it is never compared in clear. */
export async function findBySubject(
  db: Queryable,
  subjectKey: Buffer | string,
  personalId: string,
  options: FindBySubjectOptions = {},
): Promise<StoredAuditRecord[]> {
  const { rows } = await db.query<AuditRecordRow>(
    `SELECT ${auditRecordColumns} FROM audit_records
      WHERE subject_hash = $1
      ORDER BY occurred_at DESC, id DESC
      LIMIT $2`,
    [hashSubjectId(subjectKey, personalId), options.limit ?? 100],
  );
  return rows.map(toStoredAuditRecord);
}

export async function countByRequestId(db: Queryable, requestId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'SELECT count(*)::integer AS count FROM audit_records WHERE request_id = $1',
    [requestId],
  );
  return rows[0]!.count;
}
