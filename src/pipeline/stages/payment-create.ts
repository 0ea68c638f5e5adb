import type { ConnectorDescriptor, OperationDescriptor, PlatformPaymentRequest } from '../../connector-kit/descriptor.js';
import { paymentAnswer } from '../../payments/payment-answer.js';
import type { PaymentView } from '../../payments/payment-types.js';
import { Deadline } from '../../resilience/deadline.js';
import type { OperationContext } from '../operation-context.js';
import type { PaymentsAccess } from '../payments-access.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { required, type Stage } from '../stage.js';

/** contracts/paygov/v1/payment-create.json, as validated by request-contract. */
interface PaymentCreateBody {
  dossierCode: string;
  procedureCode: string;
  agencyCode?: string;
  payer: { name: string };
  description?: string;
  items: Array<{ code: string; name: string; amount: number; kind?: 'fee' | 'charge' }>;
}

/**
 * A payment's create: stored first (idempotent per consumer and
 * Idempotency-Key: the same key and content are the same payment, other
 * content is a 422), then registered with the payment platform (INIT, through
 * the connector's bulkhead, breaker and timeout) with the payer's name from
 * this request, which the gateway never keeps; the INIT answer moves it to
 * pending with the payment URL. 201, or 200 with `duplicate` for a retry.
 *
 * A payment still `created` when a retry comes (its INIT failed, or its
 * answer was lost) is sent again: the payer's name is only ever in the
 * request. When INIT fails the payment stays `created` and the caller gets
 * the upstream's problem (503 breaker, 504 timeout, 502...): a retry with the
 * same key completes it, reconciliation or expiry closes it otherwise.
 */
export function paymentCreateStage(
  deps: Pick<PipelineDependencies, 'payments'>,
  connector: Pick<ConnectorDescriptor<any>, 'id'>,
  operation: Pick<OperationDescriptor<any>, 'id' | 'releasedFields'>,
): Stage<OperationContext> {
  const payments = paymentsFor(deps, connector, operation, 'payment-create');
  const { store, platform } = payments;
  /**
   * One INIT per payment at a time on this replica: concurrent retries of one
   * create wait for the INIT under way and answer with its outcome, instead
   * of registering the reference twice (the platform refuses a second INIT of
   * a reference). Another replica racing it gets that refusal, and answers
   * with the payment as the first INIT left it (below).
   */
  const initsInFlight = new Map<string, Promise<PaymentView>>();

  async function register(created: PaymentView, body: PaymentCreateBody, context: OperationContext, clientId: string): Promise<PaymentView> {
    // Read again once this call holds the in-flight slot: the caller's copy may predate an INIT that finished since (its slot already freed).
    const payment = (await store.get(created.reference)) ?? created;
    if (payment.state !== 'created') return payment;
    const request: PlatformPaymentRequest = {
      reference: payment.reference,
      dossierCode: payment.dossierCode,
      procedureCode: payment.procedureCode,
      agencyCode: payment.agencyCode ?? '',
      payerName: body.payer.name,
      items: payment.items,
      totalAmount: payment.totalAmount,
      currency: 'VND',
      ...(body.description !== undefined && { description: body.description }),
      createdAt: payment.createdAt,
    };
    const { requestId, traceparent } = context.request;
    // The caller's time limit, but not its hang-up: an INIT cut off half-way would leave the platform holding a payment whose URL nobody heard.
    const deadline = new Deadline(required(context.deadline, 'the deadline', 'payment-create').at);
    try {
      const registered = await platform.init(request, {
        requestId,
        traceparent,
        deadline,
        onAttempt: () => {
          context.upstreamAsked = true;
        },
      });
      const outcome = {
        state: 'pending' as const,
        paymentUrl: registered.paymentUrl,
        ...(registered.platformTransactionId !== undefined && { platformTransactionId: registered.platformTransactionId }),
      };
      // Under the row lock: an IPN that came before this answer (the payer was fast) already moved it on, and stays.
      return (await store.applyOutcome(payment.reference, outcome, 'init', { actorClient: clientId, requestId })).payment;
    } catch (error) {
      // Moved on meanwhile (an IPN, another replica's INIT): the platform holds it, and that is the answer.
      const now = await store.get(payment.reference).catch(() => undefined);
      if (now && now.state !== 'created') return now;
      throw error;
    }
  }

  function registerOnce(payment: PaymentView, body: PaymentCreateBody, context: OperationContext, clientId: string): Promise<PaymentView> {
    const running = initsInFlight.get(payment.reference);
    if (running) return running;
    const started = register(payment, body, context, clientId).finally(() => initsInFlight.delete(payment.reference));
    initsInFlight.set(payment.reference, started);
    return started;
  }

  return {
    name: 'payment-create',
    async run(context) {
      const body = required(context.input, 'the validated input', 'payment-create').body as PaymentCreateBody;
      const { consumer } = required(context.authorization, 'the grant', 'payment-create');
      const principal = required(context.principal, 'the principal', 'payment-create');
      const idempotencyKey = required(context.idempotencyKey, 'the Idempotency-Key', 'payment-create');
      const { created, payment } = await store.create(
        {
          dossierCode: body.dossierCode,
          procedureCode: body.procedureCode,
          ...(body.agencyCode !== undefined && { agencyCode: body.agencyCode }),
          payerName: body.payer.name,
          items: body.items,
        },
        { consumerId: consumer.id, idempotencyKey, requestId: context.request.requestId },
      );
      const current = payment.state === 'created' ? await registerOnce(payment, body, context, principal.clientId) : payment;
      const answer = paymentAnswer(current, { duplicate: !created, ...(context.feeCheck !== undefined && { feeCheck: context.feeCheck }) });
      context.status = created ? 201 : 200;
      context.answer = { data: answer, upstreamReference: current.reference };
      context.released = { body: answer, fields: operation.releasedFields(answer) };
    },
  };
}

/** The payments part of the dependencies, for a payment operation of the platform's own connector: anything else is a wiring bug, found at start. */
export function paymentsFor(deps: Pick<PipelineDependencies, 'payments'>, connector: Pick<ConnectorDescriptor<any>, 'id'>, operation: Pick<OperationDescriptor<any>, 'id'>, stage: string): PaymentsAccess {
  const payments = required(deps.payments, 'the payments', `${stage} of ${operation.id}`);
  if (payments.platform.connectorId !== connector.id) {
    throw new Error(`${stage} of ${operation.id}: the payments are wired to the platform of ${payments.platform.connectorId}, not ${connector.id}`);
  }
  return payments;
}
