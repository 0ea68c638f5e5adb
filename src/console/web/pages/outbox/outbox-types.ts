/**
 * What /admin/v1/outbox answers (src/outbox/types.ts, stats.ts), as JSON:
 * dates are ISO strings. The list and the detail never carry the payload
 * (only an admin's includePayload=true does, and the console never asks).
 */
export type OutboxState = 'pending' | 'delivering' | 'delivered' | 'dead' | 'cancelled';
export const outboxStates: readonly OutboxState[] = ['pending', 'delivering', 'delivered', 'dead', 'cancelled'];

export interface OutboxMessage {
  id: string;
  target: string;
  key: string;
  sequence: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  lastAttemptAt: string | null;
  lastError: { kind: string; message: string | null } | null;
  createdAt: string;
  redrivenAt: string | null;
  deliveredAt: string | null;
  deliveryAnswer: string | null;
  deadReason: string | null;
  finishedAt: string | null;
  contentHash: string;
}

export interface MessagePage {
  items: OutboxMessage[];
  nextCursor: string | null;
}

export interface TargetStats {
  target: string;
  backlog: number;
  oldestPendingAgeSeconds: number;
  retrying: number;
  dead: number;
  /** This replica's deliveries since it started, by outcome. */
  deliveries: { delivered: number; retry: number; dead: number; deferred: number };
}
