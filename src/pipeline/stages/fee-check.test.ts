import type { FeeTableCall, FeeTableLookup } from '../../payments/fee-table.js';
import { Deadline } from '../../resilience/deadline.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { activeConsumer, grantOf, stageContext } from '../test-support/stage-context.js';
import { feeCheckStage } from './fee-check.js';

const body = { procedureCode: '1.003560.000.00.00.H56', items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 150_000 }] };

function setUp(feeCheck: 'when-listed' | 'off', answer?: FeeTableLookup, existing?: { consumerId: string; key: string; reference: string }) {
  const asked: Array<{ procedureCode: string; call: FeeTableCall }> = [];
  const feeTable = answer && { lookUp: async (procedureCode: string, call: FeeTableCall) => (asked.push({ procedureCode, call }), answer) };
  const store = { findByIdempotencyKey: async (consumerId: string, key: string) => (existing && existing.consumerId === consumerId && existing.key === key ? existing.reference : undefined) };
  const deps = { payments: { feeCheck, store, ...(feeTable && { feeTable }) } } as unknown as PipelineDependencies;
  const context = stageContext({
    input: { params: {}, query: {}, body },
    deadline: new Deadline(performance.now() + 4000),
    authorization: { consumer: activeConsumer, grant: grantOf() },
    idempotencyKey: 'pay-1',
  });
  return { stage: feeCheckStage(deps, { id: 'test.payment.create' }), context, asked };
}

describe('fee-check stage', () => {
  it('refuses an amount the catalog does not list for the code (422 naming the item)', async () => {
    const { stage, context, asked } = setUp('when-listed', { kind: 'listed', fees: new Map([['LEPHI', [100_000, 200_000]]]) });
    await expect(stage.run(context)).rejects.toMatchObject({ code: 'LGSP_FEE_MISMATCH', status: 422, options: { errors: [{ field: 'items[0].amount' }] } });
    expect(asked[0]!.procedureCode).toBe('1.003560.000.00.00.H56');
    // Half of what is left, so INIT keeps its share.
    expect(asked[0]!.call.deadline.remaining()).toBeLessThanOrEqual(2000);
    expect(asked[0]!.call.deadline.remaining()).toBeGreaterThan(1500);
  });

  it('records the result otherwise: matched, not_listed, catalog_unavailable (no catalog mounted too)', async () => {
    const matched = setUp('when-listed', { kind: 'listed', fees: new Map([['LEPHI', [150_000]]]) });
    await matched.stage.run(matched.context);
    expect(matched.context.feeCheck).toBe('matched');
    const unknown = setUp('when-listed', { kind: 'not_found' });
    await unknown.stage.run(unknown.context);
    expect(unknown.context.feeCheck).toBe('not_listed');
    const down = setUp('when-listed', { kind: 'unavailable' });
    await down.stage.run(down.context);
    expect(down.context.feeCheck).toBe('catalog_unavailable');
    const none = setUp('when-listed');
    await none.stage.run(none.context);
    expect(none.context.feeCheck).toBe('catalog_unavailable');
  });

  it('does not check a retry whose payment exists (the catalog may have changed since; the payment stands)', async () => {
    const retry = setUp('when-listed', { kind: 'listed', fees: new Map([['LEPHI', [100_000]]]) }, { consumerId: activeConsumer.id, key: 'pay-1', reference: 'PG2607150001' });
    await retry.stage.run(retry.context);
    expect(retry.asked).toEqual([]);
    // Another consumer's key of the same text is no retry of this one: checked, and refused.
    const other = setUp('when-listed', { kind: 'listed', fees: new Map([['LEPHI', [100_000]]]) }, { consumerId: 'land-office', key: 'pay-1', reference: 'PG2607150002' });
    await expect(other.stage.run(other.context)).rejects.toMatchObject({ code: 'LGSP_FEE_MISMATCH' });
  });

  it('does nothing when switched off', async () => {
    const { stage, context, asked } = setUp('off', { kind: 'listed', fees: new Map([['LEPHI', [1]]]) });
    await stage.run(context);
    expect(asked).toEqual([]);
    expect(context.feeCheck).toBeUndefined();
  });
});
