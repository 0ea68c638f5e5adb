import { UpstreamError, upstreamDateTime, upstreamText } from '../../src/connector-kit/index.js';
import { initChecksumParts } from './checksum.js';
import { messageKinds, transactionStates, type Amount, type BienLai, type InitReply, type InitRequest, type QueryReply } from './upstream-types.js';

/**
 * Between our payments and the platform's messages: a payment → the INIT
 * message (checksum included), and the platform's replies → our states and
 * receipts. Knows no HTTP (client.ts) and holds no secret (the seal is the kit's).
 */

/**
 * Longest MaThamChieu we create. ASSUMPTION: REFERENCE.md gives no limit;
 * 20 characters of [A-Za-z0-9] fit the tightest limits seen on Vietnamese
 * payment gateways and survive every bank's statement line untouched.
 */
export const maxReferenceLength = 20;
export const referencePattern = /^[A-Za-z0-9]{1,20}$/;

export interface FeeItem {
  /** MaPhiLePhi, as the procedure catalog codes the fee. */
  code: string;
  name: string;
  /** Integer VND, > 0. */
  amount: number;
  /** LoaiPhiLePhi: 'fee' (phí) → '1', 'charge' (lệ phí) → '2' [guess]; a charge when absent. */
  kind?: 'fee' | 'charge';
}

export interface PaygovPayment {
  /** Our reference, MaThamChieu: ≤ maxReferenceLength letters and digits. */
  reference: string;
  /** MaHoSo (000.00.01.H22-250521-0001). */
  dossierCode: string;
  /** MaTTHC (1.003560.000.00.00.H56). */
  procedureCode: string;
  /** MaDonVi: the agency collecting the fee. */
  agencyCode: string;
  /** HoTenNguoiNop: personal data, travels to the platform and nowhere else. */
  payerName: string;
  feeItems: readonly FeeItem[];
  /** The payer's IP address as the one-stop system saw it; '' when unknown. */
  payerIp?: string;
  /** ThongTinGiaoDich; a text naming the dossier when absent. */
  description?: string;
  /** When the payment was created (ThoiGianGD). */
  createdAt: Date;
}

/** What the INIT message takes from the configuration and the kit's UpstreamAuth. */
export interface InitSettings {
  partnerCode: string;
  /** MaXacThuc of the ordered parts: the kit's UpstreamAuth.seal, which appends the secret this code never sees. */
  seal(parts: readonly string[]): string;
  protocolVersion: string;
  channelCode: string;
  deviceCode: string;
  language: string;
  serviceCode: string;
}

/** A payment the platform cannot be sent: the caller's mistake, named without personal data. */
export class PaygovPaymentError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'PaygovPaymentError';
    this.field = field;
  }
}

/** Total of the fee items, after checking each is a positive integer number of VND. */
export function paymentTotal(items: readonly FeeItem[]): number {
  if (items.length === 0) throw new PaygovPaymentError('feeItems', 'a payment needs at least one fee item');
  let total = 0;
  items.forEach((item, index) => {
    if (!Number.isSafeInteger(item.amount) || item.amount <= 0) throw new PaygovPaymentError(`feeItems[${index}].amount`, `fee item ${item.code} must be a positive integer number of VND`);
    total += item.amount;
  });
  if (!Number.isSafeInteger(total)) throw new PaygovPaymentError('feeItems', 'total out of range');
  return total;
}

export function initMessage(payment: PaygovPayment, settings: InitSettings): InitRequest {
  if (!referencePattern.test(payment.reference)) throw new PaygovPaymentError('reference', `reference must be 1–${maxReferenceLength} letters or digits`);
  const total = paymentTotal(payment.feeItems);
  const fields = {
    LoaiBanTin: messageKinds.init,
    PhienBan: settings.protocolVersion,
    MaDoiTac: settings.partnerCode,
    MaThamChieu: payment.reference,
    SoTien: String(total),
    LoaiHinhThanhToan: 'PAY',
    MaKenhThanhToan: settings.channelCode,
    MaThietBi: settings.deviceCode,
    NgonNgu: settings.language,
    MaTienTe: 'VND',
    MaNganHang: '',
    ThongTinGiaoDich: payment.description ?? `Thanh toan phi, le phi ho so ${payment.dossierCode}`,
    ThoiGianGD: vietnamTime(payment.createdAt),
    Ip: payment.payerIp ?? '',
  } as const;
  return {
    ...fields,
    ThongTinBienLai: {
      MaDichVu: settings.serviceCode,
      MaTTHC: payment.procedureCode,
      MaHoSo: payment.dossierCode,
      MaDonVi: payment.agencyCode,
      HoTenNguoiNop: payment.payerName,
      PhiLePhi: payment.feeItems.map((item) => ({ LoaiPhiLePhi: item.kind === 'fee' ? '1' : '2', MaPhiLePhi: item.code, TenPhiLePhi: item.name, SoTien: String(item.amount) })),
    },
    MaXacThuc: settings.seal(initChecksumParts(fields)),
  };
}

/** The payer's way in: the payment URL, and the platform's transaction id when INIT already gives one. */
export function initOutcome(reply: InitReply): { paymentUrl: string; platformTransactionId?: string } {
  const url = upstreamText(reply.UrlThanhToan);
  if (!url || !/^https?:\/\//.test(url)) throw new UpstreamError('contract', 'INIT reply without a usable UrlThanhToan');
  const transactionId = upstreamText(reply.MaGiaoDich);
  return { paymentUrl: url, ...(transactionId && { platformTransactionId: transactionId }) };
}

export type PlatformPaymentState = 'paid' | 'pending' | 'failed';

export interface QueryOutcome {
  state: PlatformPaymentState;
  amount?: number;
  currency?: string;
  platformTransactionId?: string;
  bankCode?: string;
  /** ISO 8601 with +07:00, from ThoiGianGD. */
  at?: string;
}

/** TrangThaiGD 1/3/4 → paid/pending/failed; anything else breaks the platform's contract. */
export function queryState(reply: QueryReply): PlatformPaymentState {
  switch (String(reply.TrangThaiGD ?? '').trim()) {
    case transactionStates.success:
      return 'paid';
    case transactionStates.pending:
      return 'pending';
    case transactionStates.failed:
      return 'failed';
    default:
      throw new UpstreamError('contract', `QUERY reply with an unknown TrangThaiGD`);
  }
}

export function queryOutcome(reply: QueryReply): QueryOutcome {
  const amount = vndAmount(reply.SoTien);
  const currency = upstreamText(reply.MaTienTe);
  const transactionId = upstreamText(reply.MaGiaoDich);
  const bankCode = upstreamText(reply.MaNganHang);
  // A malformed time is the platform breaking its contract (the kit's reader throws), never a silently missing payment time.
  const at = upstreamDateTime(reply.ThoiGianGD, 'ThoiGianGD');
  return {
    state: queryState(reply),
    ...(amount !== undefined && { amount }),
    ...(currency && { currency }),
    ...(transactionId && { platformTransactionId: transactionId }),
    ...(bankCode && { bankCode }),
    ...(at && { at }),
  };
}

export interface PaygovReceipt {
  receiptNumber: string;
  receiptSeries?: string;
  platformTransactionId?: string;
  amount: number;
  currency: string;
  /** ISO 8601 with +07:00. */
  paidAt: string;
  payerName?: string;
  dossierCode?: string;
  procedureCode?: string;
  items: Array<{ code: string; name: string; amount: number }>;
  url?: string;
}

export function receiptFromBill(bill: BienLai): PaygovReceipt {
  const receiptNumber = upstreamText(bill.SoBienLai);
  const amount = vndAmount(bill.SoTien);
  const paidAt = upstreamDateTime(bill.ThoiGianThanhToan, 'ThoiGianThanhToan');
  if (!receiptNumber || amount === undefined || !paidAt) throw new UpstreamError('contract', 'GET_BILL receipt without its number, amount or payment time');
  const items = (bill.PhiLePhi ?? []).map((item) => {
    const itemAmount = vndAmount(item.SoTien);
    if (itemAmount === undefined) throw new UpstreamError('contract', 'GET_BILL receipt line without an integer amount');
    return { code: upstreamText(item.MaPhiLePhi) ?? '', name: upstreamText(item.TenPhiLePhi) ?? '', amount: itemAmount };
  });
  const optional = {
    receiptSeries: upstreamText(bill.KyHieuBienLai),
    platformTransactionId: upstreamText(bill.MaGiaoDich),
    payerName: upstreamText(bill.HoTenNguoiNop),
    dossierCode: upstreamText(bill.MaHoSo),
    procedureCode: upstreamText(bill.MaTTHC),
    url: upstreamText(bill.UrlBienLai),
  };
  return {
    receiptNumber,
    amount,
    currency: upstreamText(bill.MaTienTe) ?? 'VND',
    paidAt,
    items,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** An integer number of VND from a string of digits or a JSON integer; undefined for anything else ("150.000", 1.5, -1, ""). */
export function vndAmount(value: Amount): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^[0-9]{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

const vietnamOffsetMs = 7 * 3_600_000;

/** yyyyMMddHHmmss in Vietnam time (UTC+7, no daylight saving), as every platform date travels. */
export function vietnamTime(date: Date): string {
  const shifted = new Date(date.getTime() + vietnamOffsetMs);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(shifted.getUTCFullYear(), 4)}${pad(shifted.getUTCMonth() + 1)}${pad(shifted.getUTCDate())}${pad(shifted.getUTCHours())}${pad(shifted.getUTCMinutes())}${pad(shifted.getUTCSeconds())}`;
}


