import { decodeKeysetCursor, encodeKeysetCursor } from '../../store/keyset-cursor.js';

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

const idPattern = /^[1-9]\d{0,18}$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return encodeKeysetCursor({ at: cursor.occurredAt, key: cursor.id });
}

/** Undefined when the text is not a cursor this gateway issued (the caller turns that into a 400). */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  const position = decodeKeysetCursor(text, idPattern);
  return position && { occurredAt: position.at, id: position.key };
}
