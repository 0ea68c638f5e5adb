import { ContractRegistry } from '../../contracts/contract-registry.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { fromProjectRoot } from '../../paths.js';
import { Deadline } from '../../resilience/deadline.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { fakePaymentStore, fakePlatform, paymentView } from '../test-support/payment-fakes.js';
import { activeConsumer, grantOf, stageContext } from '../test-support/stage-context.js';
import { paymentReceiptStage } from './payment-receipt.js';

const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const operation = { id: 'test.payment.receipt', response: 'https://lgsp.gov.vn/contracts/paygov/v1/payment-receipt.json', releasedFields: (data: Record<string, unknown>) => Object.keys(data) };
const receipt = {
  receiptNumber: '0000001',
  receiptSeries: 'BL-25',
  paidAt: '2025-07-15T09:05:00+07:00',
  payerName: 'Nguyễn Văn An',
  platformTransactionId: 'T-1',
  amount: 200_000,
  currency: 'VND',
  items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 200_000 }],
};

function setUp() {
  const store = fakePaymentStore([paymentView({ reference: 'PAID1', state: 'paid' }), paymentView({ reference: 'OPEN1', state: 'pending' })]);
  const fake = fakePlatform();
  const metrics = createMetrics();
  const deps = { payments: { store, platform: fake.platform, feeCheck: 'off' }, contracts, metrics, logger: createLogger({ level: 'silent' }) } as unknown as PipelineDependencies;
  const stage = paymentReceiptStage(deps, { id: 'test' }, operation);
  const call = (reference: string) =>
    stageContext({ input: { params: { reference }, query: {}, body: undefined }, authorization: { consumer: activeConsumer, grant: grantOf() }, deadline: new Deadline(performance.now() + 5000) });
  return { ...fake, metrics, stage, call };
}

describe('payment-receipt stage', () => {
  it('asks the platform for a paid payment’s receipt and answers it under our reference', async () => {
    const { stage, call, script, receipts } = setUp();
    script.receipt = async () => receipt;
    const context = call('PAID1');
    await stage.run(context);
    expect(receipts).toEqual(['PAID1']);
    expect(context.upstreamAsked).toBe(true);
    expect(context.released!.body).toEqual({
      reference: 'PAID1',
      receiptNumber: '0000001',
      receiptSeries: 'BL-25',
      payerName: 'Nguyễn Văn An',
      platformTransactionId: 'T-1',
      totalAmount: 200_000,
      currency: 'VND',
      items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 200_000 }],
      paidAt: '2025-07-15T09:05:00+07:00',
    });
  });

  it('refuses a payment not paid (409, its state named) without asking the platform', async () => {
    const { stage, call, receipts } = setUp();
    await expect(stage.run(call('OPEN1'))).rejects.toMatchObject({ code: 'LGSP_PAYMENT_NOT_PAID', status: 409, options: { extensions: { state: 'pending' } } });
    await expect(stage.run(call('NOSUCH'))).rejects.toMatchObject({ code: 'LGSP_NOT_FOUND' });
    expect(receipts).toEqual([]);
  });

  it('answers 404 when the platform has none, and counts a receipt breaking its contract as drift (502)', async () => {
    const { stage, call, script, metrics } = setUp();
    await expect(stage.run(call('PAID1'))).rejects.toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', status: 404 });
    script.receipt = async () => ({ ...receipt, currency: 'USD' });
    await expect(stage.run(call('PAID1'))).rejects.toMatchObject({ name: 'UpstreamError', kind: 'contract' });
    expect((await metrics.registry.getSingleMetricAsString('lgsp_upstream_contract_violations_total'))).toContain('operation="test.payment.receipt"} 1');
  });
});
