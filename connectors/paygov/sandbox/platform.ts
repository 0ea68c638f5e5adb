import { randomUUID } from 'node:crypto';
import { initChecksum, queryChecksum } from '../checksum.js';
import { referencePattern, vietnamTime, vndAmount } from '../mapping.js';
import { ipnResultCodes, messageKinds, platformReplyCodes, transactionStates, type IpnMessage, type ThongTinBienLai } from '../upstream-types.js';
import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';

/**
 * What the simulated payment platform holds and answers, apart from HTTP:
 * payments created by INIT, their outcome chosen on the payer page (or by a
 * test), and the QUERY / GET_BILL answers read from them. Reply codes are the
 * [guess] list of upstream-types.ts (platformReplyCodes).
 */

export type SandboxPaymentState = 'pending' | 'paid' | 'failed' | 'cancelled' | 'expired';

export interface SandboxPayment {
  reference: string;
  /** The opaque id in the payment URL. */
  token: string;
  partnerCode: string;
  amount: number;
  currency: string;
  description: string;
  receipt: Partial<ThongTinBienLai>;
  transactionId: string;
  state: SandboxPaymentState;
  bankCode?: string;
  /** yyyyMMddHHmmss (Vietnam time) of the outcome. */
  settledAt?: string;
  billNumber?: string;
  /** The INIT as it came, checksum aside, in a canonical form: a repeat of it is the same payment. */
  initContent: string;
}

const replyTexts: Record<string, string> = {
  [platformReplyCodes.ok]: 'Thành công',
  [platformReplyCodes.badChecksum]: 'Sai mã xác thực (MaXacThuc)',
  [platformReplyCodes.invalidMessage]: 'Bản tin không hợp lệ',
  [platformReplyCodes.unknownPartner]: 'Mã đối tác không tồn tại',
  [platformReplyCodes.referenceNotFound]: 'Không tìm thấy giao dịch',
  [platformReplyCodes.duplicateReference]: 'Mã tham chiếu đã tồn tại',
  [platformReplyCodes.notPaid]: 'Giao dịch chưa được thanh toán',
  [platformReplyCodes.systemError]: 'Lỗi hệ thống, vui lòng thử lại sau',
};

export function platformError(code: string, status = 200): RestAnswer {
  return { status, body: { MaLoi: code, MoTaLoi: replyTexts[code] ?? 'Lỗi' } };
}

export class SandboxPlatform {
  private readonly byReference = new Map<string, SandboxPayment>();
  private readonly byToken = new Map<string, SandboxPayment>();
  private transactions = 0;
  private bills = 0;

  constructor(
    private readonly account: { partnerCode: string; secretKey: string },
    private readonly now: () => number,
  ) {}

  get secretKey(): string {
    return this.account.secretKey;
  }

  /** The platform's side of a secret rotation: from now on it seals with (and expects) this secret. */
  rotateSecret(secretKey: string): void {
    this.account.secretKey = secretKey;
  }

  payment(reference: string): SandboxPayment | undefined {
    return this.byReference.get(reference);
  }

  paymentByToken(token: string): SandboxPayment | undefined {
    return this.byToken.get(token);
  }

  /**
   * INIT: validates like the platform, stores the payment; the caller builds
   * the URL from `token`. `created` is false when it repeats an INIT already
   * taken (the same payment answered again).
   */
  init(body: unknown): { answer: RestAnswer; payment?: SandboxPayment; created?: boolean } {
    const message = asRecord(body);
    if (!message || message.LoaiBanTin !== messageKinds.init) return { answer: platformError(platformReplyCodes.invalidMessage) };
    if (message.MaDoiTac !== this.account.partnerCode) return { answer: platformError(platformReplyCodes.unknownPartner) };
    if (message.MaXacThuc !== initChecksum(message as never, this.account.secretKey)) return { answer: platformError(platformReplyCodes.badChecksum) };
    const reference = typeof message.MaThamChieu === 'string' ? message.MaThamChieu : '';
    const amount = vndAmount(message.SoTien as never);
    const receipt = asRecord(message.ThongTinBienLai) ?? {};
    const items = Array.isArray(receipt.PhiLePhi) ? (receipt.PhiLePhi as unknown[]) : [];
    const itemsTotal = items.reduce<number | undefined>((sum, item) => {
      const value = vndAmount(asRecord(item)?.SoTien as never);
      return sum === undefined || value === undefined ? undefined : sum + value;
    }, 0);
    const valid =
      referencePattern.test(reference) &&
      amount !== undefined &&
      amount > 0 &&
      message.MaTienTe === 'VND' &&
      message.LoaiHinhThanhToan === 'PAY' &&
      typeof message.ThoiGianGD === 'string' &&
      /^[0-9]{14}$/.test(message.ThoiGianGD) &&
      (items.length === 0 || itemsTotal === amount);
    if (!valid) return { answer: platformError(platformReplyCodes.invalidMessage) };
    const initContent = canonicalContent(message);
    const existing = this.byReference.get(reference);
    if (existing) {
      // [guess] A province re-sends an INIT whose answer it lost: the same content is the same payment (same URL and
      // transaction, whatever its state now); other content under a known reference is the duplicate-reference refusal.
      return existing.initContent === initContent ? { answer: this.initAnswer(existing), payment: existing } : { answer: platformError(platformReplyCodes.duplicateReference) };
    }
    const payment: SandboxPayment = {
      reference,
      token: randomUUID().replaceAll('-', ''),
      partnerCode: this.account.partnerCode,
      amount: amount!,
      currency: 'VND',
      description: typeof message.ThongTinGiaoDich === 'string' ? message.ThongTinGiaoDich : '',
      receipt: receipt as Partial<ThongTinBienLai>,
      transactionId: `PG${vietnamTime(new Date(this.now())).slice(0, 8)}${String(++this.transactions).padStart(6, '0')}`,
      state: 'pending',
      initContent,
    };
    this.byReference.set(reference, payment);
    this.byToken.set(payment.token, payment);
    return { answer: this.initAnswer(payment), payment, created: true };
  }

  private initAnswer(payment: SandboxPayment): RestAnswer {
    return { status: 200, body: { MaLoi: platformReplyCodes.ok, MoTaLoi: replyTexts['00'], MaDoiTac: payment.partnerCode, MaThamChieu: payment.reference, MaGiaoDich: payment.transactionId } };
  }

  /** The payer's (or a test's) choice; false when the payment is no longer pending. */
  settle(payment: SandboxPayment, outcome: 'paid' | 'failed' | 'cancelled' | 'expired', bankCode?: string): boolean {
    if (payment.state !== 'pending') return false;
    payment.state = outcome;
    payment.settledAt = vietnamTime(new Date(this.now()));
    if (bankCode) payment.bankCode = bankCode;
    if (outcome === 'paid') payment.billNumber = String(++this.bills).padStart(7, '0');
    return true;
  }

  /** The IPN the platform sends for a payment's outcome, correctly sealed (hostile modes alter it afterwards). */
  ipnFor(payment: SandboxPayment, resultCode: string): IpnMessage {
    return {
      LoaiBanTin: messageKinds.ipn,
      MaLoi: resultCode,
      MaDoiTac: payment.partnerCode,
      MaThamChieu: payment.reference,
      SoTien: String(payment.amount),
      MaTienTe: payment.currency,
      MaGiaoDich: payment.transactionId,
      MaNganHang: payment.bankCode ?? '',
      ThoiGianGD: payment.settledAt ?? vietnamTime(new Date(this.now())),
      ThongTinGiaoDich: payment.description,
    };
  }

  query(body: unknown): RestAnswer {
    const checked = this.lookup(body, messageKinds.query);
    if ('answer' in checked) return checked.answer;
    const { payment } = checked;
    const state = payment.state === 'paid' ? transactionStates.success : payment.state === 'pending' ? transactionStates.pending : transactionStates.failed;
    return {
      status: 200,
      body: {
        MaLoi: platformReplyCodes.ok,
        MoTaLoi: replyTexts['00'],
        MaThamChieu: payment.reference,
        TrangThaiGD: state,
        SoTien: String(payment.amount),
        MaTienTe: payment.currency,
        MaGiaoDich: payment.transactionId,
        MaNganHang: payment.bankCode ?? '',
        ThoiGianGD: payment.settledAt ?? '',
      },
    };
  }

  getBill(body: unknown): RestAnswer {
    const checked = this.lookup(body, messageKinds.getBill);
    if ('answer' in checked) return checked.answer;
    const { payment } = checked;
    if (payment.state !== 'paid') return platformError(platformReplyCodes.notPaid);
    return {
      status: 200,
      body: {
        MaLoi: platformReplyCodes.ok,
        MoTaLoi: replyTexts['00'],
        MaThamChieu: payment.reference,
        BienLai: {
          SoBienLai: payment.billNumber,
          KyHieuBienLai: 'BLP/25E',
          MaGiaoDich: payment.transactionId,
          SoTien: String(payment.amount),
          MaTienTe: payment.currency,
          ThoiGianThanhToan: payment.settledAt,
          HoTenNguoiNop: payment.receipt.HoTenNguoiNop ?? '',
          MaHoSo: payment.receipt.MaHoSo ?? '',
          MaTTHC: payment.receipt.MaTTHC ?? '',
          PhiLePhi: (payment.receipt.PhiLePhi ?? []).map((item) => ({ LoaiPhiLePhi: item.LoaiPhiLePhi, MaPhiLePhi: item.MaPhiLePhi, TenPhiLePhi: item.TenPhiLePhi, SoTien: item.SoTien })),
        },
      },
    };
  }

  private lookup(body: unknown, kind: string): { payment: SandboxPayment } | { answer: RestAnswer } {
    const message = asRecord(body);
    if (!message || message.LoaiBanTin !== kind || typeof message.MaThamChieu !== 'string') return { answer: platformError(platformReplyCodes.invalidMessage) };
    if (message.MaDoiTac !== this.account.partnerCode) return { answer: platformError(platformReplyCodes.unknownPartner) };
    if (message.MaXacThuc !== queryChecksum(message as never, this.account.secretKey)) return { answer: platformError(platformReplyCodes.badChecksum) };
    const payment = this.byReference.get(message.MaThamChieu);
    return payment ? { payment } : { answer: platformError(platformReplyCodes.referenceNotFound) };
  }
}

/** The IPN result code of an outcome ([guess] codes, upstream-types.ts). */
export function resultCodeOf(outcome: 'paid' | 'failed' | 'cancelled'): string {
  return outcome === 'paid' ? ipnResultCodes.paid : outcome === 'failed' ? ipnResultCodes.failed : ipnResultCodes.cancelledByPayer;
}

/** The message without its checksum (a rotation in between changes that alone), keys sorted at every level. */
function canonicalContent(message: Record<string, unknown>): string {
  const { MaXacThuc: _checksum, ...content } = message;
  const sorted = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sorted) : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])])) : value;
  return JSON.stringify(sorted(content));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
