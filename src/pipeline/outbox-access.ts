import type { EnqueueResult, NewOutboxMessage, OutboxMessageView } from '../outbox/index.js';

/** What the write stages need of the outbox: accept a message durably, and read one key's messages back. */
export interface OutboxAccess {
  enqueue(message: NewOutboxMessage): Promise<EnqueueResult>;
  /** Every message of one key, oldest first, without payloads. */
  messagesOf(target: string, key: string): Promise<OutboxMessageView[]>;
}
