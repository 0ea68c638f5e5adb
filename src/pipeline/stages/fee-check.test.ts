import type { FeeTableCall, FeeTableLookup } from '../../payments/fee-table.js';
import { Deadline } from '../../resilience/deadline.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import { stageContext } from '../test-support/stage-context.js';
import { feeCheckStage } from './fee-check.js';

const body = { procedureCode: '1.003560.000.00.00.H56', items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 150_000 }] };

function setUp(feeCheck: 'when-listed' | 'off', answer?: FeeTableLookup) {
  const asked: Array<{ procedureCode: string; call: FeeTableCall }> = [];
  const feeTable = answer && { lookUp: async (procedureCode: string, call: FeeTableCall) => (asked.push({ procedureCode, call }), answer) };
  const deps = { payments: { feeCheck, ...(feeTable && { feeTable }) } } as unknown as PipelineDependencies;
  const context = stageContext({ input: { params: {}, query: {}, body }, deadline: new Deadline(performance.now() + 4000) });
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

  it('does nothing when switched off', async () => {
    const { stage, context, asked } = setUp('off', { kind: 'listed', fees: new Map([['LEPHI', [1]]]) });
    await stage.run(context);
    expect(asked).toEqual([]);
    expect(context.feeCheck).toBeUndefined();
  });
});
