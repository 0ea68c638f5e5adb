/**
 * Keyset paging, newest first: a cursor is the position of the last row of
 * a page, (timestamp, tie-breaking key), as base64url JSON, opaque to
 * callers. The timestamp keeps PostgreSQL's microseconds (format it in SQL
 * with `keysetTimestampSql`): a JavaScript Date keeps milliseconds only, and
 * a page boundary inside one millisecond would then skip the rows after it.
 */
export interface KeysetPosition {
  /** UTC ISO 8601 with microseconds, exactly as keysetTimestampSql formatted it. */
  at: string;
  key: string;
}

/** The SQL expression that formats a timestamptz column for a cursor. */
export function keysetTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.key]), 'utf8').toString('base64url');
}

/** Undefined when the text is not a cursor this gateway issued with a key of this shape (the caller answers 400). */
export function decodeKeysetCursor(text: string, keyShape: RegExp): KeysetPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, key] = value as unknown[];
    if (typeof at !== 'string' || !timestampPattern.test(at) || Number.isNaN(Date.parse(at))) return undefined;
    if (typeof key !== 'string' || !keyShape.test(key)) return undefined;
    return { at, key };
  } catch {
    return undefined;
  }
}
