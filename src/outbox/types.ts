export type OutboxState = 'pending' | 'delivering' | 'delivered' | 'dead' | 'cancelled';

/** A message as the outbox keeps it (the payload only where asked for: it may hold personal data). */
export interface OutboxMessageView {
  id: string;
  target: string;
  key: string;
  sequence: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: { kind: string; message: string | null } | null;
  createdAt: Date;
  redrivenAt: Date | null;
  deliveredAt: Date | null;
  deliveryAnswer: string | null;
  deadReason: string | null;
  finishedAt: Date | null;
  contentHash: string;
  payload?: unknown;
}

/** What a handler receives for one delivery attempt. */
export interface OutboxMessage {
  id: string;
  target: string;
  key: string;
  sequence: number;
  payload: unknown;
  /** This attempt's number, 1 for the first (attempts deferred or released on shutdown do not count). */
  attempt: number;
  createdAt: Date;
}

/** A handler resolves with this once the target holds the message; `answer` is short and free of personal data. */
export interface DeliveryResult {
  answer?: string;
}

export type OutboxHandler = (message: OutboxMessage, signal: AbortSignal) => Promise<DeliveryResult>;

export interface MessageRow {
  id: string;
  target: string;
  ordering_key: string;
  sequence: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  last_attempt_at: Date | null;
  last_error_kind: string | null;
  last_error_message: string | null;
  created_at: Date;
  redriven_at: Date | null;
  delivered_at: Date | null;
  delivery_answer: string | null;
  dead_reason: string | null;
  finished_at: Date | null;
  content_hash: string;
  payload?: unknown;
}

/** Every column but the payload, for queries whose answer may be logged or shown to operators. */
export const viewColumns =
  'id, target, ordering_key, sequence, state, attempts, next_attempt_at, lease_owner, lease_expires_at, last_attempt_at, ' +
  'last_error_kind, last_error_message, created_at, redriven_at, delivered_at, delivery_answer, dead_reason, finished_at, content_hash';

export function toView(row: MessageRow): OutboxMessageView {
  const view: OutboxMessageView = {
    id: row.id,
    target: row.target,
    key: row.ordering_key,
    sequence: Number(row.sequence),
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: row.last_error_kind === null ? null : { kind: row.last_error_kind, message: row.last_error_message },
    createdAt: row.created_at,
    redrivenAt: row.redriven_at,
    deliveredAt: row.delivered_at,
    deliveryAnswer: row.delivery_answer,
    deadReason: row.dead_reason,
    finishedAt: row.finished_at,
    contentHash: row.content_hash,
  };
  if ('payload' in row) view.payload = row.payload;
  return view;
}
