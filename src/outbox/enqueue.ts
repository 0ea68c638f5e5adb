import { createHash, randomUUID } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { Queryable, Store } from '../store/store.js';
import type { OutboxState } from './types.js';

// canonicalize ships CommonJS typings that do not resolve as a callable under NodeNext.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

export interface NewOutboxMessage {
  /** Who delivers it, e.g. `public-service-portal.dossier` (a handler is registered under this name). */
  target: string;
  /** Messages with the same target and key are delivered one at a time, in enqueue order (e.g. the dossier code). */
  key: string;
  /** Anything JSON can hold; what the handler needs to deliver. */
  payload: unknown;
  /**
   * The caller's idempotency key (e.g. an `Idempotency-Key` header): a key
   * seen before for this target and ordering key returns that message. Without
   * one, a payload equal to the key's LATEST message is that message (a
   * retried request); the same content after something else was accepted
   * (A, B, then A again) is a new message, so the target ends with A.
   */
  idempotencyKey?: string;
}

export interface EnqueueResult {
  id: string;
  sequence: number;
  /** False when the message already existed (same idempotency key, or same content): nothing was added. */
  created: boolean;
  /**
   * False only when an idempotency key matched a message with a different
   * payload: the caller reused a key for something else (HTTP APIs answer 422).
   */
  sameContent: boolean;
  state: OutboxState;
}

export class InvalidOutboxMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOutboxMessageError';
  }
}

const maxNameLength = 200;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Stores a message. Pass the caller's transaction handle to make the message
 * part of it (accepted = committed together with the caller's other writes;
 * a rollback leaves nothing); pass the store to commit it alone, in a
 * transaction of its own (the order below depends on one).
 *
 * The per-key counter row is locked until the transaction ends, so enqueuers
 * of one key, on any replica, take turns: keep that transaction short.
 * In-process dispatchers learn of the message on their next poll, or at once
 * when told (`OutboxDispatcher.wake()` after the commit).
 */
export async function enqueue(db: Queryable | Store, message: NewOutboxMessage): Promise<EnqueueResult> {
  // Statement by statement (autocommit) the key's lock would end with the counter update: a later sequence could
  // then commit before an earlier one and be delivered first, and handing a sequence back could take someone else's.
  if (isStore(db)) return db.transaction((tx) => enqueue(tx, message));
  for (const field of ['target', 'key'] as const) {
    const value = message[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > maxNameLength) {
      throw new InvalidOutboxMessageError(`outbox message ${field} must be a string of 1 to ${maxNameLength} characters`);
    }
  }
  const canonical = canonicalize(message.payload);
  if (canonical === undefined) throw new InvalidOutboxMessageError('outbox message payload must be JSON');
  const contentHash = sha256(canonical);
  const { rows: counter } = await db.query<{ last_sequence: number }>(
    `INSERT INTO outbox_keys (target, ordering_key, last_sequence) VALUES ($1, $2, 1)
     ON CONFLICT (target, ordering_key) DO UPDATE SET last_sequence = outbox_keys.last_sequence + 1
     RETURNING last_sequence`,
    [message.target, message.key],
  );
  const sequence = Number(counter[0]!.last_sequence);
  if (message.idempotencyKey === undefined) {
    // The key's lock is ours: its latest message cannot change under us.
    const { rows: latest } = await db.query<{ id: string; sequence: number; content_hash: string; state: OutboxState }>(
      'SELECT id, sequence, content_hash, state FROM outbox_messages WHERE target = $1 AND ordering_key = $2 AND sequence < $3 ORDER BY sequence DESC LIMIT 1',
      [message.target, message.key, sequence],
    );
    if (latest[0]?.content_hash === contentHash) {
      await handBack(db, message);
      return { id: latest[0].id, sequence: Number(latest[0].sequence), created: false, sameContent: true, state: latest[0].state };
    }
  }
  // Hashed so that whatever the caller put in its key is not stored as such; content-keyed messages are unique by sequence.
  const dedupKey = message.idempotencyKey === undefined ? `content:${contentHash}:${sequence}` : `key:${sha256(message.idempotencyKey)}`;
  const id = randomUUID();
  const inserted = await db.query(
    `INSERT INTO outbox_messages (id, target, ordering_key, sequence, dedup_key, content_hash, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (target, ordering_key, dedup_key) DO NOTHING`,
    [id, message.target, message.key, sequence, dedupKey, contentHash, canonical],
  );
  if (inserted.rowCount === 1) return { id, sequence, created: true, sameContent: true, state: 'pending' };

  // A duplicate. The key's lock is ours, so the existing row is committed (or ours), and the sequence
  // just taken was seen by no one: hand it back rather than leave a gap.
  await handBack(db, message);
  const { rows } = await db.query<{ id: string; sequence: number; content_hash: string; state: OutboxState }>(
    'SELECT id, sequence, content_hash, state FROM outbox_messages WHERE target = $1 AND ordering_key = $2 AND dedup_key = $3',
    [message.target, message.key, dedupKey],
  );
  const existing = rows[0]!;
  return {
    id: existing.id,
    sequence: Number(existing.sequence),
    created: false,
    sameContent: existing.content_hash === contentHash,
    state: existing.state,
  };
}

/** Gives back the sequence number just taken (the key's lock is still ours, nobody saw it): no gap. */
async function handBack(db: Queryable, message: NewOutboxMessage): Promise<void> {
  await db.query('UPDATE outbox_keys SET last_sequence = last_sequence - 1 WHERE target = $1 AND ordering_key = $2', [message.target, message.key]);
}

function isStore(db: Queryable | Store): db is Store {
  return typeof (db as Partial<Store>).transaction === 'function';
}
