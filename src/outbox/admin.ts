import type { Queryable, Store } from '../store/store.js';
import { toView, viewColumns, type MessageRow, type OutboxMessageView, type OutboxState } from './types.js';
import { isUuid } from '../util/uuid.js';
import { keysetTimestampSql } from '../store/keyset-cursor.js';
import { decodeMessageCursor, encodeMessageCursor, InvalidOutboxCursorError } from './message-cursor.js';

export interface MessageFilter {
  target?: string;
  key?: string;
  state?: OutboxState | OutboxState[];
  /** Default 100, at most 1000. */
  limit?: number;
  /** Include the payload (personal data for some targets: only for callers allowed to see it). Default false. */
  includePayload?: boolean;
  /** The page after this one (a MessagePage's nextCursor); InvalidOutboxCursorError when it is not one. */
  cursor?: string;
}

export interface MessagePage {
  items: OutboxMessageView[];
  /** Present when more messages match: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

/** Messages matching the filter, one key's in sequence order, otherwise newest first. */
export async function listMessages(db: Queryable, filter: MessageFilter = {}): Promise<OutboxMessageView[]> {
  return (await listMessagePage(db, filter)).items;
}

/**
 * A page of messages with keyset paging: newest first (created_at, then
 * sequence and id, so messages enqueued in one transaction keep a stable
 * order), or with `key` that key's messages in sequence order (per target).
 */
export async function listMessagePage(db: Queryable, filter: MessageFilter = {}): Promise<MessagePage> {
  const cursor = filter.cursor === undefined ? undefined : decodeMessageCursor(filter.cursor);
  if (filter.cursor !== undefined && !cursor) throw new InvalidOutboxCursorError();
  const byKey = filter.key !== undefined;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.target !== undefined) add((p) => `target = ${p}`, filter.target);
  if (filter.key !== undefined) add((p) => `ordering_key = ${p}`, filter.key);
  if (filter.state !== undefined) add((p) => `state = ANY(${p}::text[])`, Array.isArray(filter.state) ? filter.state : [filter.state]);
  if (cursor && byKey) {
    params.push(cursor.target, cursor.sequence);
    where.push(`(target, sequence) > ($${params.length - 1}, $${params.length}::bigint)`);
  } else if (cursor) {
    params.push(cursor.at, cursor.sequence, cursor.id);
    where.push(`(created_at, sequence, id) < ($${params.length - 2}::timestamptz, $${params.length - 1}::bigint, $${params.length}::uuid)`);
  }
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  // One more than asked: whether a next page exists, without counting.
  params.push(limit + 1);
  const columns = `${filter.includePayload ? `${viewColumns}, payload` : viewColumns}, ${keysetTimestampSql('created_at')} AS cursor_at`;
  const order = byKey ? 'target, sequence' : 'created_at DESC, sequence DESC, id DESC';
  const { rows } = await db.query<MessageRow & { cursor_at: string }>(
    `SELECT ${columns} FROM outbox_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ cursor_at: _at, ...row }) => toView(row)),
    ...(rows.length > limit && last && { nextCursor: encodeMessageCursor({ at: last.cursor_at, target: last.target, sequence: Number(last.sequence), id: last.id }) }),
  };
}

export async function getMessage(db: Queryable, id: string, options: { includePayload?: boolean } = {}): Promise<OutboxMessageView | undefined> {
  if (!isUuid(id)) return undefined;
  const columns = options.includePayload ? `${viewColumns}, payload` : viewColumns;
  const { rows } = await db.query<MessageRow>(`SELECT ${columns} FROM outbox_messages WHERE id = $1`, [id]);
  return rows[0] && toView(rows[0]);
}

/**
 * Called inside the state change's transaction once it is made: write the
 * admin audit record with `tx`, so the change and its record commit together
 * (a throw rolls the change back).
 */
export interface AdminActionOptions {
  record?: (tx: Queryable, before: OutboxMessageView, after: OutboxMessageView) => Promise<void>;
}

/** What an admin action did, for the admin audit stream (no payloads). */
export type AdminActionResult =
  | { outcome: 'done'; before: OutboxMessageView; after: OutboxMessageView }
  | { outcome: 'not-found' }
  | { outcome: 'wrong-state'; current: OutboxMessageView; allowed: OutboxState[] };

/**
 * A dead message back to pending, due now, attempts reset, error and reason
 * cleared; its age restarts (max age counts from the re-drive). The before
 * view keeps what was cleared.
 */
export function redriveMessage(store: Store, id: string, options: AdminActionOptions = {}): Promise<AdminActionResult> {
  return changeState(store, id, options, ['dead'], `state = 'pending', attempts = 0, next_attempt_at = now(), redriven_at = now(),
      dead_reason = NULL, last_error_kind = NULL, last_error_message = NULL, finished_at = NULL`);
}

/**
 * A pending or dead message will never be delivered; the next message of its
 * key becomes deliverable. A message being delivered cannot be cancelled
 * (the answer is on its way): wait for its outcome.
 */
export function cancelMessage(store: Store, id: string, options: AdminActionOptions = {}): Promise<AdminActionResult> {
  return changeState(store, id, options, ['pending', 'dead'], `state = 'cancelled', finished_at = now()`);
}

async function changeState(store: Store, id: string, options: AdminActionOptions, allowed: OutboxState[], set: string): Promise<AdminActionResult> {
  if (!isUuid(id)) return { outcome: 'not-found' };
  return store.transaction(async (tx) => {
    // The row lock makes the check and the change one step, against a claim racing for the same message.
    const { rows } = await tx.query<MessageRow>(`SELECT ${viewColumns} FROM outbox_messages WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows[0]) return { outcome: 'not-found' as const };
    const before = toView(rows[0]);
    if (!allowed.includes(before.state)) return { outcome: 'wrong-state' as const, current: before, allowed };
    const updated = await tx.query<MessageRow>(`UPDATE outbox_messages SET ${set} WHERE id = $1 RETURNING ${viewColumns}`, [id]);
    const after = toView(updated.rows[0]!);
    await options.record?.(tx, before, after);
    return { outcome: 'done' as const, before, after };
  });
}

