import type { ConnectorDescriptor, InvocationContext, PaymentPlatform, PlatformPaymentRequest, PlatformPaymentStatus, PlatformReceipt } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import { nextTraceparent } from '../pipeline/request-context.js';
import { Deadline } from '../resilience/deadline.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';

/**
 * The payment platform asked through the gateway's guards: every call goes
 * through the connector's bulkhead, breaker and timeout (UpstreamCaller) on
 * the client leased for that call, like a request's upstream call. INIT is
 * sent at most once per call (not idempotent: a lost answer is settled by
 * QUERY, never by a blind resend); QUERY and GET_BILL are reads, retried by
 * the connector's policy.
 */
export interface GuardedPlatform {
  readonly connectorId: string;
  init(payment: PlatformPaymentRequest, call: PlatformCall): Promise<{ paymentUrl: string; platformTransactionId?: string }>;
  query(reference: string, call: PlatformCall): Promise<PlatformPaymentStatus | undefined>;
  receipt(reference: string, call: PlatformCall): Promise<PlatformReceipt | undefined>;
  /** The platform's callback checksum check (pure; see PaymentPlatform.verifyCallback). */
  verifyCallback: PaymentPlatform<unknown>['verifyCallback'];
  credentialFields: PaymentPlatform<unknown>['credentialFields'];
}

export interface PlatformCall {
  requestId: string;
  traceparent?: string;
  /** The caller's deadline; absent: now + defaultTimeoutMs. */
  deadline?: Deadline;
  signal?: AbortSignal;
  /** Told as each attempt really starts (after the breaker and the bulkhead let it through): the call's data is about to leave the gateway. */
  onAttempt?: () => void;
}

/** Operation ids of the platform calls, as the resilience policies, breakers and metrics name them. */
export const platformOperationIds = { init: 'paygov.payment.create', query: 'paygov.payment.query', receipt: 'paygov.payment.receipt' } as const;

export function guardedPlatform(options: {
  connector: ConnectorDescriptor<any>;
  handle: Pick<ConnectorHandle, 'acquire'>;
  upstreams: Pick<UpstreamCaller, 'call'>;
  /** Longest one platform call may take when the caller gives no deadline (reconciliation). */
  defaultTimeoutMs: number;
}): GuardedPlatform {
  const { connector, handle, upstreams } = options;
  const platform = connector.payments;
  if (!platform) throw new Error(`connector ${connector.id} is not a payment platform (no descriptor.payments)`);

  async function guarded<T>(operationId: string, idempotent: boolean, call: PlatformCall, attempt: (client: unknown, context: InvocationContext) => Promise<T>): Promise<T> {
    const deadline = call.deadline ?? new Deadline(performance.now() + options.defaultTimeoutMs, call.signal);
    const traceparent = call.traceparent ?? nextTraceparent(undefined);
    const lease = handle.acquire();
    try {
      return await upstreams.call({ connectorId: connector.id, operationId, idempotent, requestId: call.requestId, deadline }, (signal, attemptDeadline) => {
        call.onAttempt?.();
        return attempt(lease.client, { signal, requestId: call.requestId, traceparent, deadline: attemptDeadline });
      });
    } finally {
      lease.release();
    }
  }

  return {
    connectorId: connector.id,
    init: (payment, call) => guarded(platformOperationIds.init, false, call, (client, context) => platform.init(client, payment, context)),
    query: (reference, call) => guarded(platformOperationIds.query, true, call, (client, context) => platform.query(client, reference, context)),
    receipt: (reference, call) => guarded(platformOperationIds.receipt, true, call, (client, context) => platform.receipt(client, reference, context)),
    verifyCallback: (message, secrets) => platform.verifyCallback(message, secrets),
    credentialFields: platform.credentialFields,
  };
}
