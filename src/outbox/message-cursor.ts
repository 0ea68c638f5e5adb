import { isUuid } from '../util/uuid.js';

/**
 * The position of the last message of a page of GET /admin/v1/outbox/messages,
 * opaque to callers (base64url JSON). It names every column either listing
 * order needs: newest first (created_at with PostgreSQL's microseconds,
 * sequence, id) and one key's sequence order (target, sequence), so a cursor
 * taken from either list is a valid position in both.
 */
export interface MessagePosition {
  /** created_at, UTC ISO 8601 with microseconds as keysetTimestampSql formats it. */
  at: string;
  target: string;
  sequence: number;
  id: string;
}

export class InvalidOutboxCursorError extends Error {
  constructor() {
    super('the cursor is not one this gateway issued');
    this.name = 'InvalidOutboxCursorError';
  }
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** Targets are short dotted names; the router bounds the whole cursor's length too. */
const maxTargetLength = 200;

export function encodeMessageCursor(position: MessagePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.target, position.sequence, position.id]), 'utf8').toString('base64url');
}

/** The position, or undefined for anything this gateway did not issue (the caller answers 400). */
export function decodeMessageCursor(text: string): MessagePosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4) return undefined;
    const [at, target, sequence, id] = value as unknown[];
    if (typeof at !== 'string' || !timestampPattern.test(at) || Number.isNaN(Date.parse(at))) return undefined;
    if (typeof target !== 'string' || target.length === 0 || target.length > maxTargetLength) return undefined;
    if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) return undefined;
    if (typeof id !== 'string' || !isUuid(id)) return undefined;
    return { at, target, sequence, id };
  } catch {
    return undefined;
  }
}
