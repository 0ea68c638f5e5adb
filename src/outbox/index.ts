export { enqueue, InvalidOutboxMessageError, type EnqueueResult, type NewOutboxMessage } from './enqueue.js';
export { OutboxDispatcher, backoffDelay, type DeliveryOutcome, type DispatcherOptions, type RetryPolicy, type TargetRegistration } from './dispatcher.js';
export { DeferredDeliveryError, PermanentDeliveryError, TransientDeliveryError } from './errors.js';
export { cancelMessage, getMessage, listMessagePage, listMessages, redriveMessage, type AdminActionOptions, type AdminActionResult, type MessageFilter, type MessagePage } from './admin.js';
export { InvalidOutboxCursorError } from './message-cursor.js';
export { outboxStats, type TargetStats } from './stats.js';
export { createOutboxMetrics, type OutboxMetrics } from './metrics.js';
export type { DeliveryResult, OutboxHandler, OutboxMessage, OutboxMessageView, OutboxState } from './types.js';
