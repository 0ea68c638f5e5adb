import type { PlatformPaymentRequest, PlatformReceipt } from '../../connector-kit/descriptor.js';
import { ProblemError } from '../../errors/index.js';
import type { PaymentOutcome, PaymentView } from '../../payments/payment-types.js';
import type { GuardedPlatform, PlatformCall } from '../../payments/platform-calls.js';
import type { PaymentsAccess } from '../payments-access.js';

/**
 * Stand-ins for the payment stages' unit tests: a store keeping views in a
 * map (the real one, with its locks and audit, is tested in src/payments and
 * end to end), and a platform whose answers a test scripts.
 */
export function paymentView(overrides: Partial<PaymentView> = {}): PaymentView {
  const at = new Date('2025-07-15T02:00:00Z');
  return {
    reference: 'PG250715ABCDEFGHJKLM',
    consumerId: 'one-stop',
    dossierCode: '000.00.01.H22-250715-0001',
    procedureCode: '1.003560.000.00.00.H56',
    agencyCode: '000.00.01.H22',
    payer: { hash: 'f'.repeat(64), masked: 'NGU***AN' },
    items: [{ code: 'LEPHI', name: 'Lệ phí', kind: 'charge', amount: 200_000 }],
    totalAmount: 200_000,
    currency: 'VND',
    state: 'created',
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(at.getTime() + 86_400_000),
    history: [{ from: null, to: 'created', at, source: 'create', actor: 'one-stop' }],
    ...overrides,
  };
}

export function fakePaymentStore(initial: PaymentView[] = []) {
  const views = new Map(initial.map((view) => [view.reference, view]));
  const creates: Array<{ consumerId: string; idempotencyKey: string }> = [];
  const outcomes: Array<{ reference: string; outcome: PaymentOutcome; source: string }> = [];
  const store: PaymentsAccess['store'] & { views: typeof views; creates: typeof creates; outcomes: typeof outcomes; failGet?: boolean } = {
    views,
    creates,
    outcomes,
    async create(_input, context) {
      creates.push({ consumerId: context.consumerId, idempotencyKey: context.idempotencyKey });
      const existing = [...views.values()].find((view) => view.consumerId === context.consumerId);
      if (existing) return { created: false, payment: existing };
      const payment = paymentView({ consumerId: context.consumerId });
      views.set(payment.reference, payment);
      return { created: true, payment };
    },
    async findByIdempotencyKey(consumerId, idempotencyKey) {
      return creates.some((create) => create.consumerId === consumerId && create.idempotencyKey === idempotencyKey) ? [...views.values()].find((view) => view.consumerId === consumerId)?.reference : undefined;
    },
    async get(reference) {
      if (store.failGet) throw new Error('store down');
      return views.get(reference);
    },
    async applyOutcome(reference, outcome, source) {
      outcomes.push({ reference, outcome, source });
      const current = views.get(reference);
      if (!current) throw new ProblemError('LGSP_NOT_FOUND');
      if (current.state !== 'created') return { decision: { kind: 'stale' }, payment: current };
      const next: PaymentView = { ...current, state: outcome.state, ...(outcome.paymentUrl !== undefined && { paymentUrl: outcome.paymentUrl }) };
      views.set(reference, next);
      return { decision: { kind: 'apply', to: outcome.state }, payment: next };
    },
  };
  return store;
}

export function fakePlatform(connectorId = 'test') {
  const inits: Array<{ request: PlatformPaymentRequest; call: PlatformCall }> = [];
  const receipts: string[] = [];
  const script = {
    /** What INIT does (after telling onAttempt); default: a payment URL. */
    init: async (_request: PlatformPaymentRequest): Promise<{ paymentUrl: string; platformTransactionId?: string }> => ({ paymentUrl: 'https://pay.example/p/1', platformTransactionId: 'T-1' }),
    receipt: async (_reference: string): Promise<PlatformReceipt | undefined> => undefined,
    /** false: the breaker refuses before any attempt (onAttempt is not told). */
    attempts: true,
  };
  const platform: GuardedPlatform = {
    connectorId,
    async init(request, call) {
      inits.push({ request, call });
      if (script.attempts) call.onAttempt?.();
      return script.init(request);
    },
    async query() {
      return undefined;
    },
    async receipt(reference, call) {
      receipts.push(reference);
      if (script.attempts) call.onAttempt?.();
      return script.receipt(reference);
    },
    verifyCallback: () => ({ valid: false }),
    credentialFields: { secret: 'secretKey', partnerCode: 'partnerCode' },
  };
  return { platform, inits, receipts, script };
}
