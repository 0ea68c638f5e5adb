/**
 * The payment platform's JSON messages as they travel (field names on the
 * wire). What REFERENCE.md lists is marked [seen]; the rest is [guess] and
 * listed in README.md. Replies are read defensively: every field may be
 * missing, so everything a reply carries is optional and mapping.ts decides.
 *
 * Amounts: `SoTien` is an integer number of VND. REFERENCE.md shows every
 * literal it knows as a quoted string ("INIT", "1.0.6", "VND", "00") and
 * gives no literal for SoTien; since the checksum is computed over its text,
 * we SEND it as a string of decimal digits ("150000": no separator, no
 * decimals, no exponent, so our text and the platform's cannot differ) and
 * ACCEPT a string or a JSON integer in what the platform sends [guess].
 */
export type Text = string | null | undefined;
export type Amount = string | number | null | undefined;

/** Every message names its kind [seen: INIT, QUERY; GET_BILL from the issue; IPN is a guess]. */
export const messageKinds = { init: 'INIT', query: 'QUERY', getBill: 'GET_BILL', ipn: 'IPN' } as const;
/** [seen] */
export const protocolVersion = '1.0.6';

/** One fee line of the receipt data (ThongTinBienLai.PhiLePhi[]) [seen]. */
export interface PhiLePhi {
  /** [guess] '1' phí (fee), '2' lệ phí (charge), as the portal's catalog codes them. */
  LoaiPhiLePhi: string;
  MaPhiLePhi: string;
  TenPhiLePhi: string;
  SoTien: string;
}

/** Receipt data carried by INIT [seen]; "..." in REFERENCE.md: other members exist we do not know. */
export interface ThongTinBienLai {
  /** [guess] the platform's service code for "administrative procedure fees". */
  MaDichVu: string;
  MaTTHC: string;
  MaHoSo: string;
  /** The receiving agency's unit code (000.00.01.H22). */
  MaDonVi: string;
  HoTenNguoiNop: string;
  PhiLePhi: PhiLePhi[];
}

/** INIT request [seen], every field REFERENCE.md lists. */
export interface InitRequest {
  LoaiBanTin: 'INIT';
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  SoTien: string;
  LoaiHinhThanhToan: 'PAY';
  MaKenhThanhToan: string;
  MaThietBi: string;
  NgonNgu: string;
  MaTienTe: 'VND';
  /** '' lets the payer choose the bank on the platform's page [guess]. */
  MaNganHang: string;
  ThongTinGiaoDich: string;
  /** yyyyMMddHHmmss, Vietnam time (UTC+7). */
  ThoiGianGD: string;
  /** The payer's IP address as the one-stop system saw it. */
  Ip: string;
  ThongTinBienLai: ThongTinBienLai;
  MaXacThuc: string;
}

/**
 * INIT reply. [seen]: it carries UrlThanhToan. [guess]: the MaLoi/MoTaLoi
 * envelope (as the IPN answer has) and the platform's own transaction id
 * (MaGiaoDich) when it assigns one at INIT; replies are not checksummed by
 * what we know, so a MaXacThuc in a reply is ignored.
 */
export interface InitReply {
  MaLoi?: Text;
  MoTaLoi?: Text;
  MaDoiTac?: Text;
  MaThamChieu?: Text;
  UrlThanhToan?: Text;
  MaGiaoDich?: Text;
}

/** The IPN the platform POSTs to the province [seen fields]. */
export interface IpnMessage {
  LoaiBanTin?: Text;
  /** '00' paid; anything else a failure ([guess] codes: ipnResultCodes). */
  MaLoi?: Text;
  MaDoiTac?: Text;
  MaThamChieu?: Text;
  SoTien?: Amount;
  MaTienTe?: Text;
  MaGiaoDich?: Text;
  MaNganHang?: Text;
  ThoiGianGD?: Text;
  ThongTinGiaoDich?: Text;
  MaXacThuc?: Text;
}

/** [guess] the IPN's MaLoi values the sandbox sends; only '00' is [seen] as success. */
export const ipnResultCodes = { paid: '00', failed: '01', cancelledByPayer: '02' } as const;

/** QUERY request [seen]. */
export interface QueryRequest {
  LoaiBanTin: 'QUERY';
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** [seen] TrangThaiGD values. */
export const transactionStates = { success: '1', pending: '3', failed: '4' } as const;

/** QUERY reply: TrangThaiGD [seen]; the envelope and the echoed payment fields [guess]. */
export interface QueryReply {
  MaLoi?: Text;
  MoTaLoi?: Text;
  MaThamChieu?: Text;
  TrangThaiGD?: string | number | null;
  SoTien?: Amount;
  MaTienTe?: Text;
  MaGiaoDich?: Text;
  MaNganHang?: Text;
  ThoiGianGD?: Text;
}

/** GET_BILL request [guess]: the QUERY message with its own kind, sealed with the QUERY formula. */
export interface GetBillRequest {
  LoaiBanTin: 'GET_BILL';
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** The receipt (biên lai) of a paid payment [guess, shape not public]. */
export interface BienLai {
  SoBienLai?: Text;
  KyHieuBienLai?: Text;
  MaGiaoDich?: Text;
  SoTien?: Amount;
  MaTienTe?: Text;
  /** yyyyMMddHHmmss, Vietnam time. */
  ThoiGianThanhToan?: Text;
  HoTenNguoiNop?: Text;
  MaHoSo?: Text;
  MaTTHC?: Text;
  PhiLePhi?: Array<{ LoaiPhiLePhi?: Text; MaPhiLePhi?: Text; TenPhiLePhi?: Text; SoTien?: Amount }> | null;
  /** Where the electronic receipt can be viewed [guess]. */
  UrlBienLai?: Text;
}

export interface GetBillReply {
  MaLoi?: Text;
  MoTaLoi?: Text;
  MaThamChieu?: Text;
  BienLai?: BienLai | null;
}

/**
 * The platform's reply codes (MaLoi) to our requests [guess, not public;
 * only '00' success and '99' are seen, in the IPN answer]. The sandbox uses
 * them and client.ts classifies by them; README.md lists them.
 */
export const platformReplyCodes = {
  ok: '00',
  badChecksum: '01',
  invalidMessage: '02',
  unknownPartner: '03',
  referenceNotFound: '04',
  duplicateReference: '05',
  notPaid: '06',
  systemError: '99',
} as const;
