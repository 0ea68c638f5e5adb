import { checkFees, feeMismatchProblem } from './fee-check.js';

const table = { kind: 'listed' as const, fees: new Map([['LEPHI', [100_000, 200_000]], ['PHI', [50_000]]]) };

describe('fee check against the catalog fee table', () => {
  it('matches when every listed code carries one of its listed amounts (any channel), ignoring codes the table does not list', () => {
    expect(checkFees([{ code: 'LEPHI', amount: 100_000 }, { code: 'OTHER', amount: 7 }], table)).toEqual({ result: 'matched', mismatches: [] });
    expect(checkFees([{ code: 'LEPHI', amount: 200_000 }, { code: 'PHI', amount: 50_000 }], table)).toEqual({ result: 'matched', mismatches: [] });
  });

  it('names each item whose amount is not listed, with its code and the listed amounts', () => {
    const { mismatches } = checkFees([{ code: 'PHI', amount: 50_000 }, { code: 'LEPHI', amount: 150_000 }, { code: 'PHI', amount: 1 }], table);
    expect(mismatches).toEqual([
      { item: 1, code: 'LEPHI', amount: 150_000, listedAmounts: [100_000, 200_000] },
      { item: 2, code: 'PHI', amount: 1, listedAmounts: [50_000] },
    ]);
    const problem = feeMismatchProblem(mismatches).toProblem();
    expect(problem).toMatchObject({ status: 422, code: 'LGSP_FEE_MISMATCH' });
    expect(problem.errors).toEqual([
      { field: 'items[1].amount', message: 'fee LEPHI is listed at 100000, 200000 VND, not 150000' },
      { field: 'items[2].amount', message: 'fee PHI is listed at 50000 VND, not 1' },
    ]);
    expect(problem.mismatches).toEqual(mismatches);
  });

  it('says not_listed when the table lists none of the codes or the procedure is unknown, catalog_unavailable when it could not be asked', () => {
    expect(checkFees([{ code: 'OTHER', amount: 1 }], table)).toEqual({ result: 'not_listed', mismatches: [] });
    expect(checkFees([{ code: 'LEPHI', amount: 1 }], { kind: 'not_found' })).toEqual({ result: 'not_listed', mismatches: [] });
    expect(checkFees([{ code: 'LEPHI', amount: 1 }], { kind: 'unavailable' })).toEqual({ result: 'catalog_unavailable', mismatches: [] });
  });
});
