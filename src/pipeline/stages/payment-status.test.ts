import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { fakePaymentStore, fakePlatform, paymentView } from '../test-support/payment-fakes.js';
import { activeConsumer, grantOf, stageContext } from '../test-support/stage-context.js';
import { paymentStatusStage } from './payment-status.js';

const operation = { id: 'test.payment.get', releasedFields: (data: Record<string, unknown>) => Object.keys(data) };

describe('payment-status stage', () => {
  const paid = paymentView({
    state: 'paid',
    platformTransactionId: 'T-1',
    platformPaidAt: new Date('2025-07-15T02:05:00Z'),
    finalAt: new Date('2025-07-15T02:05:01Z'),
    history: [
      { from: null, to: 'created', at: new Date('2025-07-15T02:00:00Z'), source: 'create', actor: 'one-stop' },
      { from: 'created', to: 'pending', at: new Date('2025-07-15T02:00:01Z'), source: 'init', actor: 'one-stop' },
      { from: 'pending', to: 'paid', at: new Date('2025-07-15T02:05:01Z'), source: 'ipn', actor: 'paygov-ipn', ipnId: 7, note: 'IPN 7, MaLoi 00' },
    ],
  });
  const deps = { payments: { store: fakePaymentStore([paid]), platform: fakePlatform().platform, feeCheck: 'off' } } as unknown as PipelineDependencies;
  const stage = paymentStatusStage(deps, { id: 'test' }, operation);
  const call = (reference: string, consumer = activeConsumer) => stageContext({ input: { params: { reference }, query: {}, body: undefined }, authorization: { consumer, grant: grantOf() } });

  it('answers the consumer’s own payment with its history, the payer masked, no actors', async () => {
    const context = call(paid.reference);
    await stage.run(context);
    expect(context.status).toBeUndefined();
    expect(context.released!.body).toEqual({
      reference: paid.reference,
      dossierCode: paid.dossierCode,
      procedureCode: paid.procedureCode,
      agencyCode: '000.00.01.H22',
      payer: { masked: 'NGU***AN' },
      items: [{ code: 'LEPHI', name: 'Lệ phí', kind: 'charge', amount: 200_000 }],
      totalAmount: 200_000,
      currency: 'VND',
      state: 'paid',
      platformTransactionId: 'T-1',
      paidAt: '2025-07-15T02:05:00.000Z',
      createdAt: '2025-07-15T02:00:00.000Z',
      expiresAt: '2025-07-16T02:00:00.000Z',
      finalAt: '2025-07-15T02:05:01.000Z',
      history: [
        { to: 'created', at: '2025-07-15T02:00:00.000Z', source: 'create' },
        { from: 'created', to: 'pending', at: '2025-07-15T02:00:01.000Z', source: 'init' },
        { from: 'pending', to: 'paid', at: '2025-07-15T02:05:01.000Z', source: 'ipn', note: 'IPN 7, MaLoi 00' },
      ],
    });
  });

  it('answers another consumer’s payment exactly like one that does not exist (404)', async () => {
    const other = { ...activeConsumer, id: 'land-office' };
    const theirs = await Promise.resolve(stage.run(call(paid.reference, other))).catch((error: unknown) => error);
    const none = await Promise.resolve(stage.run(call("NOSUCHREFERENCE"))).catch((error: unknown) => error);
    expect(theirs).toMatchObject({ code: 'LGSP_NOT_FOUND', status: 404 });
    expect(JSON.stringify((theirs as { toProblem(): unknown }).toProblem())).toBe(JSON.stringify((none as { toProblem(): unknown }).toProblem()));
  });
});
