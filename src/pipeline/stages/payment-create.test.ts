import { UpstreamError } from '../../connector-kit/upstream-errors.js';
import { Deadline } from '../../resilience/deadline.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { fakePaymentStore, fakePlatform, paymentView } from '../test-support/payment-fakes.js';
import { activeConsumer, fakeRequest, grantOf, stageContext } from '../test-support/stage-context.js';
import { paymentCreateStage } from './payment-create.js';

const body = {
  dossierCode: '000.00.01.H22-250715-0001',
  procedureCode: '1.003560.000.00.00.H56',
  agencyCode: '000.00.01.H22',
  payer: { name: 'Nguyễn Văn An' },
  description: 'Lệ phí hồ sơ 0001',
  items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 200_000 }],
};
const operation = { id: 'test.payment.create', releasedFields: (data: Record<string, unknown>) => Object.keys(data) };

function setUp(initial = [] as ReturnType<typeof paymentView>[]) {
  const store = fakePaymentStore(initial);
  const { platform, inits, script } = fakePlatform();
  const deps = { payments: { store, platform, feeCheck: 'when-listed' } } as unknown as PipelineDependencies;
  const stage = paymentCreateStage(deps, { id: 'test' }, operation);
  const context = (overrides = {}) =>
    stageContext({
      req: fakeRequest({ body }),
      input: { params: {}, query: {}, body },
      principal: { clientId: 'one-stop-client', roles: [], subject: 's' } as never,
      authorization: { consumer: activeConsumer, grant: grantOf() },
      idempotencyKey: 'pay-1',
      deadline: new Deadline(performance.now() + 5000),
      feeCheck: 'matched',
      ...overrides,
    });
  return { store, inits, script, stage, context };
}

describe('payment-create stage', () => {
  it('stores the payment, sends INIT with the payer from the request, moves it to pending and answers 201 with the payer masked', async () => {
    const { store, inits, stage, context } = setUp();
    const call = context();
    await stage.run(call);
    expect(store.creates).toEqual([{ consumerId: 'one-stop', idempotencyKey: 'pay-1' }]);
    expect(inits).toHaveLength(1);
    expect(inits[0]!.request).toMatchObject({ reference: 'PG250715ABCDEFGHJKLM', payerName: 'Nguyễn Văn An', totalAmount: 200_000, currency: 'VND', description: 'Lệ phí hồ sơ 0001', agencyCode: '000.00.01.H22' });
    expect(store.outcomes).toEqual([{ reference: 'PG250715ABCDEFGHJKLM', outcome: { state: 'pending', paymentUrl: 'https://pay.example/p/1', platformTransactionId: 'T-1' }, source: 'init' }]);
    expect(call.status).toBe(201);
    expect(call.upstreamAsked).toBe(true);
    expect(call.released!.body).toMatchObject({ reference: 'PG250715ABCDEFGHJKLM', state: 'pending', paymentUrl: 'https://pay.example/p/1', payer: { masked: 'NGU***AN' }, feeCheck: 'matched', duplicate: false });
    expect(JSON.stringify(call.released!.body)).not.toMatch(/Nguyễn|hash|consumerId|actor/);
  });

  it('answers a retry of a registered payment with it (200, duplicate) without a second INIT', async () => {
    const { inits, stage, context } = setUp([paymentView({ state: 'pending', paymentUrl: 'https://pay.example/p/0' })]);
    const call = context();
    await stage.run(call);
    expect(inits).toHaveLength(0);
    expect(call.status).toBe(200);
    expect(call.released!.body).toMatchObject({ state: 'pending', paymentUrl: 'https://pay.example/p/0', duplicate: true });
    expect(call.upstreamAsked).toBe(false);
  });

  it('sends INIT again for a payment still created (its INIT failed or its answer was lost)', async () => {
    const { inits, stage, context } = setUp([paymentView({ state: 'created' })]);
    const call = context();
    await stage.run(call);
    expect(inits).toHaveLength(1);
    expect(call.status).toBe(200);
    expect(call.released!.body).toMatchObject({ state: 'pending', duplicate: true });
  });

  it('sends one INIT for concurrent retries of one payment; they all answer with its outcome', async () => {
    const { inits, script, stage, context } = setUp([paymentView({ state: 'created' })]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const plain = script.init;
    script.init = async (request) => (await gate, plain(request));
    const calls = Array.from({ length: 5 }, () => context());
    const running = Promise.all(calls.map((call) => stage.run(call)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await running;
    expect(inits).toHaveLength(1);
    for (const call of calls) expect(call.released!.body).toMatchObject({ state: 'pending', paymentUrl: 'https://pay.example/p/1' });
  });

  it('sends no INIT when the payment was registered between its create and this call taking the INIT slot', async () => {
    const { store, inits, stage, context } = setUp([paymentView({ state: 'created' })]);
    const create = store.create;
    // What a racing request sees: the create read 'created', the INIT of another request committed right after.
    store.create = async (input, createContext) => {
      const answer = await create(input, createContext);
      store.views.set(answer.payment.reference, paymentView({ state: 'pending', paymentUrl: 'https://pay.example/p/0' }));
      return answer;
    };
    const call = context();
    await stage.run(call);
    expect(inits).toHaveLength(0);
    expect(call.released!.body).toMatchObject({ state: 'pending', paymentUrl: 'https://pay.example/p/0', duplicate: true });
  });

  it('leaves the payment created and lets the upstream failure reach the edge; an INIT not even attempted is no access', async () => {
    const { store, script, stage, context } = setUp();
    script.init = async () => {
      throw new UpstreamError('timeout', 'no answer');
    };
    const call = context();
    await expect(stage.run(call)).rejects.toBeInstanceOf(UpstreamError);
    expect([...store.views.values()][0]!.state).toBe('created');
    expect(store.outcomes).toEqual([]);
    expect(call.upstreamAsked).toBe(true);

    script.attempts = false;
    const refused = context();
    await expect(stage.run(refused)).rejects.toBeInstanceOf(UpstreamError);
    expect(refused.upstreamAsked).toBe(false);
  });

  it('answers with the payment when it moved on while INIT failed (an IPN came first, another replica registered it)', async () => {
    const { store, script, stage, context } = setUp();
    script.init = async (request) => {
      store.views.set(request.reference, paymentView({ state: 'paid' }));
      throw new UpstreamError('rejected', 'duplicate reference', { upstreamCode: '05' });
    };
    const call = context();
    await stage.run(call);
    expect(call.status).toBe(201);
    expect(call.released!.body).toMatchObject({ state: 'paid' });
  });

  it('does not cut INIT off when the caller hangs up (its answer would be lost), within the caller’s deadline', async () => {
    const { inits, stage, context } = setUp();
    const gone = new AbortController();
    const deadline = new Deadline(performance.now() + 5000, gone.signal);
    gone.abort();
    await stage.run(context({ deadline }));
    expect(inits[0]!.call.deadline!.at).toBe(deadline.at);
    expect(inits[0]!.call.deadline!.cancelled).toBeUndefined();
  });
});
