import type { ConnectorDescriptor, OperationDescriptor, OperationInput } from '../connector-kit/descriptor.js';
import type { Principal } from '../auth/principal.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import type { FeeCheckResult } from '../payments/payment-answer.js';
import type { Deadline } from '../resilience/deadline.js';
import type { Authorization } from './authorize.js';
import type { PersonalDataHeaders } from './personal-data-headers.js';
import type { RequestContext } from './request-context.js';
import type { ApiRequest, ApiResponse } from './api-request.js';

/** What one call of one operation knows, filled in stage by stage (operation-pipeline.ts lists them). */
export interface OperationContext {
  readonly req: ApiRequest;
  readonly res: ApiResponse;
  /** Request id, traceparent and arrival time, set for every request by the request-id middleware. */
  readonly request: RequestContext;
  readonly connector: ConnectorDescriptor<any>;
  readonly operation: OperationDescriptor<any>;
  /** The connector's current client (leased per call) and whether it takes calls at all. */
  readonly handle: ConnectorHandle;
  /** The stage running now (for diagnostics); undefined once all have run. */
  stage?: string;
  /** authenticate */
  principal?: Principal;
  /** authorize: the consumer and its grant for this operation. */
  authorization?: Authorization;
  /** personal-data-headers (personal-data operations only) */
  personalData?: PersonalDataHeaders;
  /** request-contract: the validated input, whichever form (path, query or body) carried it. */
  input?: OperationInput;
  /** deadline */
  deadline?: Deadline;
  /** upstream-call: true once a call about this subject left the gateway (it must then leave an audit record). */
  upstreamAsked: boolean;
  /** upstream-call: the validated, mapped answer. */
  answer?: { data: unknown; upstreamReference?: string };
  /** projection (or outbox-enqueue, delivery-status): the answer's body, and the names of the fields released or sent for the audit record. */
  /** `text`: the body already serialized, when a stage needed its bytes (the ETag of conditional-answer): written as it is. */
  released?: { body: unknown; fields: string[]; text?: string };
  /** The status of the answer when it is not 200 (a write accepted into the outbox is a 202). */
  status?: number;
  /** idempotency-key: the caller's Idempotency-Key, when it sent one. */
  idempotencyKey?: string;
  /** fee-check (a payment's create): how the fee amounts compared with the procedure catalog. */
  feeCheck?: FeeCheckResult;
}
