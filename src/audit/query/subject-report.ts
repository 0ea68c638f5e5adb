import type { Queryable } from '../../store/store.js';
import type { AuditOutcome } from '../audit-record.js';
import { dataAccessStreamName } from '../chain/chain-streams.js';
import { hashSubjectId, maskSubjectId } from '../subject-protection.js';

/**
 * "Who looked at my data" (issue 7, item 5): every access to one data
 * subject's data — which system and agency, which officer, which operation,
 * for which dossier or purpose, which fields left, when, and the outcome.
 * Selected by the subject's keyed hash only, so it can hold nothing about
 * other people; the subject appears in it only masked.
 */
export interface SubjectAccess {
  occurredAt: string;
  /** OAuth2 client id of the calling system. */
  consumer: string;
  /** The registered consumer's name and agency, when the client is (still) registered. */
  consumerName: string | null;
  agency: string | null;
  endUser: string;
  operation: string;
  /** Dossier code or purpose code (X-Purpose). */
  purpose: string;
  fieldsReleased: string[];
  outcome: AuditOutcome;
  requestId: string;
}

export interface SubjectAccessReport {
  subject: string;
  generatedAt: string;
  /** The period asked for, when one was: from inclusive, to exclusive (ISO 8601). */
  from?: string;
  to?: string;
  count: number;
  /** True when the subject has more accesses than one report holds (the newest are kept). */
  truncated: boolean;
  accesses: SubjectAccess[];
}

/** Only accesses in [from, to), when given. */
export interface SubjectReportRange {
  from?: Date;
  to?: Date;
}

/** Enough for any real person's history; beyond it the query API pages through the rest. */
export const maxReportedAccesses = 10_000;

interface ReportRow {
  occurred_at: Date;
  consumer: string;
  consumer_name: string | null;
  agency: string | null;
  end_user: string;
  operation: string;
  purpose: string;
  fields_released: string[];
  outcome: AuditOutcome;
  request_id: string;
}

export async function buildSubjectAccessReport(
  db: Queryable,
  subjectKey: Buffer | string,
  personalId: string,
  now = new Date(),
  range: SubjectReportRange = {},
): Promise<SubjectAccessReport> {
  const params: unknown[] = [hashSubjectId(subjectKey, personalId), dataAccessStreamName, maxReportedAccesses + 1];
  // Only the bounds asked for reach the SQL: they let the planner skip whole monthly partitions.
  const bounds: string[] = [];
  if (range.from) bounds.push(` AND a.occurred_at >= $${params.push(range.from)}`);
  if (range.to) bounds.push(` AND a.occurred_at < $${params.push(range.to)}`);
  const { rows } = await db.query<ReportRow>(
    `SELECT a.occurred_at, a.consumer, c.name AS consumer_name, c.agency, a.end_user, a.operation, a.purpose,
            a.fields_released, a.outcome, a.request_id
       FROM audit_records a
       LEFT JOIN consumers c ON c.client_id = a.consumer
      WHERE a.subject_hash = $1 AND a.stream = $2${bounds.join('')}
      ORDER BY a.occurred_at DESC, a.id DESC
      LIMIT $3`,
    params,
  );
  const accesses = rows.slice(0, maxReportedAccesses).map(
    (row): SubjectAccess => ({
      occurredAt: row.occurred_at.toISOString(),
      consumer: row.consumer,
      consumerName: row.consumer_name,
      agency: row.agency,
      endUser: row.end_user,
      operation: row.operation,
      purpose: row.purpose,
      fieldsReleased: row.fields_released,
      outcome: row.outcome,
      requestId: row.request_id,
    }),
  );
  return {
    subject: maskSubjectId(personalId),
    generatedAt: now.toISOString(),
    ...(range.from && { from: range.from.toISOString() }),
    ...(range.to && { to: range.to.toISOString() }),
    count: accesses.length,
    truncated: rows.length > maxReportedAccesses,
    accesses,
  };
}
