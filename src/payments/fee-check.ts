import { ProblemError } from '../errors/index.js';
import type { FeeTableLookup } from './fee-table.js';
import type { FeeCheckResult } from './payment-answer.js';

export interface FeeMismatch {
  /** Position of the item in the request's `items`. */
  item: number;
  code: string;
  amount: number;
  /** Every amount the catalog lists for this code (over all channels and cases), ascending. */
  listedAmounts: readonly number[];
}

/**
 * The fee check of a payment (issue 15): an item whose code the procedure's
 * fee table lists must carry one of the amounts listed for it. The catalog
 * lists one amount per channel and case (online is often cheaper than in
 * person), and the gateway cannot know which case the dossier is, so any
 * listed amount is accepted. Items whose code the table does not list are
 * the agency's own business (a charge the catalog does not publish).
 */
export function checkFees(items: ReadonlyArray<{ code: string; amount: number }>, table: FeeTableLookup): { result: FeeCheckResult; mismatches: FeeMismatch[] } {
  if (table.kind === 'unavailable') return { result: 'catalog_unavailable', mismatches: [] };
  if (table.kind === 'not_found') return { result: 'not_listed', mismatches: [] };
  let listed = 0;
  const mismatches: FeeMismatch[] = [];
  items.forEach((item, index) => {
    const amounts = table.fees.get(item.code);
    if (!amounts) return;
    listed += 1;
    if (!amounts.includes(item.amount)) mismatches.push({ item: index, code: item.code, amount: item.amount, listedAmounts: amounts });
  });
  return { result: listed === 0 ? 'not_listed' : 'matched', mismatches };
}

/** 422 naming each item whose amount the catalog does not list, with the code and the listed amounts (no personal data: codes and amounts only). */
export function feeMismatchProblem(mismatches: readonly FeeMismatch[]): ProblemError {
  const vnd = (amounts: readonly number[]) => amounts.map((amount) => `${amount}`).join(', ');
  return new ProblemError('LGSP_FEE_MISMATCH', {
    // The procedure is not named: error answers echo no request value (callers log them), the caller knows what it sent.
    detail: `the amounts of ${mismatches.length === 1 ? 'one item differ' : `${mismatches.length} items differ`} from the procedure's fee table in the national catalog; nothing was created`,
    errors: mismatches.map((mismatch) => ({
      field: `items[${mismatch.item}].amount`,
      message: `fee ${mismatch.code} is listed at ${vnd(mismatch.listedAmounts)} VND, not ${mismatch.amount}`,
    })),
    extensions: { mismatches: mismatches.map((mismatch) => ({ ...mismatch, listedAmounts: [...mismatch.listedAmounts] })) },
  });
}
