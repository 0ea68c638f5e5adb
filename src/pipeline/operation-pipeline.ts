import type { ConnectorDescriptor, OperationDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import { connectorAvailabilityStage } from './stages/connector-availability.js';
import type { OperationContext } from './operation-context.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import type { Stage } from './stage.js';
import { auditGateStage } from './stages/audit-gate.js';
import { auditRecordStage } from './stages/audit-record.js';
import { breakerGateStage } from './stages/breaker-gate.js';
import { authenticateStage } from './stages/authenticate.js';
import { authorizeStage } from './stages/authorize.js';
import { deadlineStage } from './stages/deadline.js';
import { personalDataHeadersStage } from './stages/personal-data-headers.js';
import { projectionStage } from './stages/projection.js';
import { purposeStage } from './stages/purpose.js';
import { quotasStage } from './stages/quotas.js';
import { requestContractStage } from './stages/request-contract.js';
import { upstreamCallStage } from './stages/upstream-call.js';
import { deliveryStatusStage } from './stages/delivery-status.js';
import { idempotencyKeyStage } from './stages/idempotency-key.js';
import { outboxEnqueueStage } from './stages/outbox-enqueue.js';
import { feeCheckStage } from './stages/fee-check.js';
import { paymentCreateStage } from './stages/payment-create.js';
import { paymentReceiptStage } from './stages/payment-receipt.js';
import { paymentStatusStage } from './stages/payment-status.js';

/**
 * The one request pipeline, as data: the ordered stages of one operation,
 * built once at start. (The request id and traceparent are set before, for
 * every route, by request-context.ts.) Personal-data operations add the
 * officer/purpose stages, the audit gate and the audit record; everything
 * else is the same for every operation. A connector switched off or under
 * maintenance (connector-availability) refuses reads and writes alike. Write paths add stages here
 * (idempotency key, outbox; for payments the fee check and the payment's own stage), not branches in the handler.
 */
export function operationStages(deps: PipelineDependencies, connector: ConnectorDescriptor<any>, operation: OperationDescriptor<any>, handle: ConnectorHandle): Array<Stage<OperationContext>> {
  const personal = operation.personalData;
  // Who calls, whether the connector takes calls at all, and whether this caller may call this operation: the same first steps for reads and writes.
  const admission = [authenticateStage(deps), connectorAvailabilityStage(handle), authorizeStage(deps)];
  // The one pipeline around an operation's own stages: admission, the officer and purpose, the request contract,
  // the deadline (not for a write: nobody upstream is asked while the caller waits), quotas, the audit gate before
  // and the audit record after, for personal data.
  const pipelineAround = (own: Array<Stage<OperationContext>>, options: { deadline: boolean; availability?: boolean; breakerGate?: boolean }): Array<Stage<OperationContext>> => [
    ...(options.availability === false ? admission.filter((stage) => stage.name !== 'connector-availability') : admission),
    ...(personal ? [personalDataHeadersStage(), purposeStage(deps)] : []),
    requestContractStage(deps, operation),
    ...(options.deadline ? [deadlineStage(deps)] : []),
    ...(options.breakerGate ? [breakerGateStage(deps, connector.id)] : []),
    quotasStage(deps),
    ...(personal ? [auditGateStage(deps)] : []),
    ...own,
    ...(personal ? [auditRecordStage(deps)] : []),
  ];
  if (operation.write) {
    // A write answers 202 once the message is committed to the outbox; the upstream is asked later, by the dispatcher.
    return pipelineAround([idempotencyKeyStage(), outboxEnqueueStage(deps, operation, operation.write)], { deadline: false });
  }
  if (operation.payment) {
    // Payments: the gateway keeps them (src/payments). A create needs its Idempotency-Key (a retry must not pay twice)
    // and passes the fee check before anything is stored; each kind then has its own stage.
    const kind = operation.payment;
    if (kind === 'create') return pipelineAround([idempotencyKeyStage({ required: true }), feeCheckStage(deps, operation), paymentCreateStage(deps, connector, operation)], { deadline: true });
    // A payment's stored state stays readable while the platform's connector is off or under maintenance (like a delivery status); a receipt asks the platform.
    if (kind === 'status') return pipelineAround([paymentStatusStage(deps, connector, operation)], { deadline: true, availability: false });
    return pipelineAround([paymentReceiptStage(deps, connector, operation)], { deadline: true });
  }
  if (operation.deliveryStatus) {
    // No availability stage: what the outbox holds stays readable while the connector is off; only asking the upstream (upstreamView) is refused then.
    return [authenticateStage(deps), authorizeStage(deps), requestContractStage(deps, operation), deadlineStage(deps), quotasStage(deps), deliveryStatusStage(deps, connector, operation, handle, operation.deliveryStatus)];
  }
  // Without a response cache nothing can answer while the breaker is open: refuse before the quotas are counted.
  return pipelineAround([upstreamCallStage(deps, connector, operation, handle), projectionStage(operation)], { deadline: true, breakerGate: operation.cache === undefined });
}
