import { codeWithLabel, compact, upstreamDateTime, requireRecordFor, upstreamArray, upstreamDate, upstreamText } from '../../src/connector-kit/index.js';
import type { OutstandingTaxObligations, Taxpayer } from '../../contracts/types.generated.js';
import type { KetQuaNghiaVuThue, KetQuaTraCuuNNT, NghiaVuRow, NNT } from './upstream-types.js';

/**
 * Pure functions between the tax lookup's answers and our contracts. Empty
 * upstream elements become absent fields; codes keep their labels. Whatever
 * cannot be mapped is left out and the response contract check reports the
 * gap as contract drift.
 */

/** MA_KET_QUA of a lookup that found no taxpayer (sandbox assumption, see README.md). */
const notFoundCode = '01';

/**
 * TRANG_THAI → the three states callers branch on. 00/04 operating (with or
 * without a registration certificate), 02 moved to another tax office (still
 * operating); 05 temporarily stopped, 07 awaiting bankruptcy; 01/03 stopped
 * (MST terminated or being terminated), 06 not operating at its registered
 * address. An unknown code maps to nothing: contract drift, not a guess.
 */
const statusByCode: Readonly<Record<string, Taxpayer['status']>> = {
  '00': 'active',
  '02': 'active',
  '04': 'active',
  '05': 'suspended',
  '07': 'suspended',
  '01': 'closed',
  '03': 'closed',
  '06': 'closed',
};

export type Outcome<T> = { kind: 'found'; data: T } | { kind: 'not_found' };

/** The taxpayer asked for; a record for another tax code (or without one) is a contract violation, never released. */
export function taxpayerFromLookup(answer: KetQuaTraCuuNNT | undefined, taxCode: string): Outcome<Taxpayer> {
  if (!answer?.NNT || upstreamText(answer.MA_KET_QUA) === notFoundCode) return { kind: 'not_found' };
  requireRecordFor(answer.NNT.MA_SO_THUE, taxCode, 'MA_SO_THUE');
  return { kind: 'found', data: taxpayerFromNnt(answer.NNT) };
}

export function taxpayerFromNnt(record: NNT): Taxpayer {
  const statusCode = upstreamText(record.TRANG_THAI);
  return compact({
    taxCode: upstreamText(record.MA_SO_THUE),
    name: upstreamText(record.TEN_NNT),
    taxpayerType: codeWithLabel(record.LOAI_NNT, record.TEN_LOAI_NNT),
    headUnitTaxCode: upstreamText(record.MST_DV_CHU_QUAN),
    status: statusCode === undefined ? undefined : statusByCode[statusCode],
    statusDetail: codeWithLabel(record.TRANG_THAI, record.TEN_TRANG_THAI),
    statusChangedOn: upstreamDate(record.NGAY_THAY_DOI_TRANG_THAI, 'NGAY_THAY_DOI_TRANG_THAI', { expect: 'day' }),
    registeredOn: upstreamDate(record.NGAY_CAP_MST, 'NGAY_CAP_MST', { expect: 'day' }),
    managingTaxOffice: compact({ code: upstreamText(record.MA_CQT_QL), name: upstreamText(record.TEN_CQT_QL) }),
    address: compact({
      provinceCode: upstreamText(record.DIA_CHI?.MA_TINH),
      communeCode: upstreamText(record.DIA_CHI?.MA_XA),
      detail: upstreamText(record.DIA_CHI?.DIA_CHI_CHI_TIET),
    }),
    representativeName: upstreamText(record.NGUOI_DAI_DIEN),
    updatedAt: upstreamDateTime(record.NGAY_CAP_NHAT, 'NGAY_CAP_NHAT'),
  }) as Taxpayer;
}

/**
 * The ledger's rows. No ROW_LIST and an empty ROW_LIST both mean nothing is
 * owed. The total is recomputed from the rows and must agree with
 * TONG_SO_TIEN when the upstream sends one: a disagreement is reported, not
 * papered over. The ledger must be the one asked for: a MA_SO_THUE (of the
 * answer or of a row) naming another taxpayer is a contract violation; the
 * ledger need not repeat the code.
 */
export function obligationsFromLedger(answer: KetQuaNghiaVuThue | undefined, taxCode: string): Outcome<OutstandingTaxObligations> | { kind: 'inconsistent'; reason: string } {
  if (!answer || upstreamText(answer.MA_KET_QUA) === notFoundCode) return { kind: 'not_found' };
  // An empty ROW_LIST element parses as null or ''; a missing one as undefined.
  const rows = answer.ROW_LIST && typeof answer.ROW_LIST === 'object' ? upstreamArray(answer.ROW_LIST.ROW) : [];
  for (const owner of [answer.MA_SO_THUE, ...rows.map((row) => row.MA_SO_THUE)]) if (upstreamText(owner) !== undefined) requireRecordFor(owner, taxCode, 'MA_SO_THUE');
  const items = rows.map(obligationItem);
  const total = items.reduce((sum, item) => sum + (item.amount ?? 0), 0);
  const declaredTotal = amountOf(answer.TONG_SO_TIEN);
  if (declaredTotal !== undefined && declaredTotal !== total) {
    return { kind: 'inconsistent', reason: 'TONG_SO_TIEN differs from the sum of the rows' };
  }
  return {
    kind: 'found',
    data: compact({
      taxCode,
      currency: 'VND',
      totalOutstanding: total,
      asOf: upstreamDateTime(answer.NGAY_CAP_NHAT, 'NGAY_CAP_NHAT'),
      items,
    }) as OutstandingTaxObligations,
  };
}

function obligationItem(row: NghiaVuRow): OutstandingTaxObligations['items'][number] {
  return compact({
    subItem: codeWithLabel(row.MA_TIEUMUC, row.TEN_TIEUMUC),
    budgetChapter: upstreamText(row.MA_CHUONG),
    taxPeriod: upstreamText(row.KY_THUE),
    amount: amountOf(row.SO_TIEN),
    decisionNumber: upstreamText(row.SO_QUYET_DINH),
    decisionDate: upstreamDate(row.NGAY_QUYET_DINH, 'NGAY_QUYET_DINH', { expect: 'day' }),
    dueDate: upstreamDate(row.HAN_NOP, 'HAN_NOP', { expect: 'day' }),
  }) as OutstandingTaxObligations['items'][number];
}

/** Whole đồng: digits with an optional minus sign; anything else is no value (and the contract reports it). */
export function amountOf(value: unknown): number | undefined {
  const text = upstreamText(value);
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

