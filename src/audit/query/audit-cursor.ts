/**
 * Keyset paging over the trail, newest first: the cursor is the position of
 * the last record of a page, (occurred_at, id), as base64url JSON. It is
 * opaque to callers; the timestamp keeps PostgreSQL's microseconds so a page
 * boundary never falls between two records of the same millisecond.
 */
export interface AuditCursor {
  /** occurred_at as UTC ISO 8601 with microseconds, exactly as the store formatted it. */
  occurredAt: string;
  /** The record id, as decimal digits (bigint-safe). */
  id: string;
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const idPattern = /^[1-9]\d{0,18}$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.id]), 'utf8').toString('base64url');
}

/** Undefined when the text is not a cursor this gateway issued (the caller turns that into a 400). */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [occurredAt, id] = value as unknown[];
    if (typeof occurredAt !== 'string' || !timestampPattern.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) return undefined;
    if (typeof id !== 'string' || !idPattern.test(id)) return undefined;
    return { occurredAt, id };
  } catch {
    return undefined;
  }
}
