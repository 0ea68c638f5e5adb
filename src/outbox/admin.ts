import type { Queryable, Store } from '../store/store.js';
import { toView, viewColumns, type MessageRow, type OutboxMessageView, type OutboxState } from './types.js';
import { isUuid } from '../util/uuid.js';

export interface MessageFilter {
  target?: string;
  key?: string;
  state?: OutboxState | OutboxState[];
  /** Default 100, at most 1000. */
  limit?: number;
  /** Include the payload (personal data for some targets: only for callers allowed to see it). Default false. */
  includePayload?: boolean;
}

/** Messages matching the filter, one key's in sequence order, otherwise newest first. */
export async function listMessages(db: Queryable, filter: MessageFilter = {}): Promise<OutboxMessageView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.target !== undefined) add((p) => `target = ${p}`, filter.target);
  if (filter.key !== undefined) add((p) => `ordering_key = ${p}`, filter.key);
  if (filter.state !== undefined) add((p) => `state = ANY(${p}::text[])`, Array.isArray(filter.state) ? filter.state : [filter.state]);
  params.push(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  const columns = filter.includePayload ? `${viewColumns}, payload` : viewColumns;
  const order = filter.key !== undefined ? 'target, sequence' : 'created_at DESC, sequence DESC';
  const { rows } = await db.query<MessageRow>(
    `SELECT ${columns} FROM outbox_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  return rows.map(toView);
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

