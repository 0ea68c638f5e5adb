export { enqueue, InvalidOutboxMessageError, type EnqueueResult, type NewOutboxMessage } from './enqueue.js';
export { OutboxDispatcher, backoffDelay, type DeliveryOutcome, type DispatcherOptions, type RetryPolicy, type TargetRegistration } from './dispatcher.js';
export { DeferredDeliveryError, PermanentDeliveryError, TransientDeliveryError } from './errors.js';
export { cancelMessage, getMessage, listMessages, redriveMessage, type AdminActionOptions, type AdminActionResult, type MessageFilter } from './admin.js';
export { outboxStats, type TargetStats } from './stats.js';
export { createOutboxMetrics, type OutboxMetrics } from './metrics.js';
export type { DeliveryResult, OutboxHandler, OutboxMessage, OutboxMessageView, OutboxState } from './types.js';
