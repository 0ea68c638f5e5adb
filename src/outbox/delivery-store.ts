import type { Queryable } from '../store/store.js';
import type { MessageRow } from './types.js';

/**
 * The dispatcher's statements. Each is one statement (atomic on its own, no
 * transaction needed, same SQL on PostgreSQL and PGlite), and every change to
 * a leased message is fenced by its lease token: a dispatcher whose lease was
 * taken over changes nothing.
 */

const ms = (param: string) => `(${param}::double precision * interval '1 millisecond')`;

export interface ClaimedRow extends MessageRow {
  payload: unknown;
  /** created_at, or the last re-drive: where max age is measured from. */
  age_ms: number;
}

/**
 * Claims up to `limit` messages, at most one per key: a message is eligible
 * only when no earlier message of its key is still open (pending,
 * delivering or dead), so a later message never overtakes an earlier one.
 * Due pending messages and deliveries whose lease expired (their dispatcher
 * died) are both taken; the claim counts an attempt, so a message that kills
 * its dispatcher every time still ends dead. SKIP LOCKED lets replicas claim
 * side by side without waiting for each other.
 */
export async function claimDue(db: Queryable, targets: string[], limit: number, leaseToken: string, leaseMs: number): Promise<ClaimedRow[]> {
  if (targets.length === 0 || limit <= 0) return [];
  const { rows } = await db.query<ClaimedRow>(
    // Only the head of each key (its lowest unfinished sequence) can be due: one pass over the open-by-key index
    // finds them all, instead of asking "is anything earlier unfinished?" of every waiting message (measured:
    // 100+ ms per claim with a 2,000-message backlog). A head that is dead, or delivering under a live lease,
    // blocks its key. The lock re-checks the state, so a head another replica just claimed is skipped.
    `WITH heads AS (
       SELECT DISTINCT ON (target, ordering_key) id
       FROM outbox_messages
       WHERE target = ANY($1::text[]) AND state IN ('pending', 'delivering', 'dead')
       ORDER BY target, ordering_key, sequence),
     due AS (
       SELECT m.id FROM outbox_messages m JOIN heads h ON h.id = m.id
       WHERE (m.state = 'pending' AND m.next_attempt_at <= now())
          OR (m.state = 'delivering' AND m.lease_expires_at <= now())
       ORDER BY m.next_attempt_at, m.sequence
       LIMIT $2
       FOR UPDATE OF m SKIP LOCKED)
     UPDATE outbox_messages o
        SET state = 'delivering', attempts = o.attempts + 1, lease_owner = $3,
            lease_expires_at = now() + ${ms('$4')}, last_attempt_at = now()
       FROM due WHERE o.id = due.id
     RETURNING o.*, (extract(epoch FROM now() - coalesce(o.redriven_at, o.created_at)) * 1000)::double precision AS age_ms`,
    [targets, limit, leaseToken, leaseMs],
  );
  return rows;
}

/** Extends a lease while the delivery runs; false when it is no longer ours. */
export async function renewLease(db: Queryable, id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE outbox_messages SET lease_expires_at = now() + ${ms('$3')}
     WHERE id = $1 AND lease_owner = $2 AND state = 'delivering'`,
    [id, leaseToken, leaseMs],
  );
  return rowCount === 1;
}

const fence = `WHERE id = $1 AND lease_owner = $2 AND state = 'delivering'`;
const unlease = 'lease_owner = NULL, lease_expires_at = NULL';

export async function markDelivered(db: Queryable, id: string, leaseToken: string, answer: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE outbox_messages SET state = 'delivered', ${unlease}, delivered_at = now(), finished_at = now(),
            delivery_answer = $3
     ${fence}`,
    [id, leaseToken, answer],
  );
  return rowCount === 1;
}

export async function markRetry(db: Queryable, id: string, leaseToken: string, delayMs: number, kind: string, message: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE outbox_messages SET state = 'pending', ${unlease}, next_attempt_at = now() + ${ms('$3')},
            last_error_kind = $4, last_error_message = $5
     ${fence}`,
    [id, leaseToken, delayMs, kind, message],
  );
  return rowCount === 1;
}

export async function markDead(db: Queryable, id: string, leaseToken: string, reason: string, error?: { kind: string; message: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE outbox_messages SET state = 'dead', ${unlease}, dead_reason = $3, finished_at = now(),
            last_error_kind = coalesce($4, last_error_kind), last_error_message = coalesce($5, last_error_message)
     ${fence}`,
    [id, leaseToken, reason, error?.kind ?? null, error?.message ?? null],
  );
  return rowCount === 1;
}

/**
 * Back to pending without counting the attempt: the target said "not now"
 * (deferred), or this dispatcher is stopping and gives the message back.
 */
export async function markDeferred(db: Queryable, id: string, leaseToken: string, delayMs: number, note?: { kind: string; message: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE outbox_messages SET state = 'pending', ${unlease}, attempts = greatest(attempts - 1, 0),
            next_attempt_at = now() + ${ms('$3')},
            last_error_kind = coalesce($4, last_error_kind), last_error_message = coalesce($5, last_error_message)
     ${fence}`,
    [id, leaseToken, delayMs, note?.kind ?? null, note?.message ?? null],
  );
  return rowCount === 1;
}
