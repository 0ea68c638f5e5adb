/**
 * The judicial records system's JSON as the province exchanges it (see
 * README.md: the field names follow a public one-stop system's client of the
 * Ministry of Justice's services; the operations, paths and answers beside
 * them are ASSUMED). Values arrive as strings; mapping.ts reads them.
 */

/** Every answer: `statusCode` "00" is success (seen); `errorDetail` says why not; `data` holds the answer. */
export interface LltpEnvelope<Data> {
  statusCode?: unknown;
  errorDetail?: unknown;
  data?: Data;
}

/** An address as the declaration form carries it (DiaBanLGSP, seen). */
export interface DiaBan {
  maTinhThanh?: string;
  tenTinhThanh?: string;
  maPhuongXa?: string;
  tenPhuongXa?: string;
  dcChiTiet?: string;
}

/** The declaration (tờ khai): the applicant's nyc* fields, seen in the public client. */
export interface ToKhai {
  /** "1" or "2". */
  loaiPhieu: string;
  /** Whether a confirmation of bans from holding positions is asked for (form 1): "0"/"1". */
  yeuCauCDNCV: string;
  mucDich: string;
  soLuongCap: string;
  nycHoTen: string;
  /** "1" male, "2" female. */
  nycGioiTinh: string;
  /** dd/MM/yyyy; 00 for an unknown day or month. */
  nycNgaySinh: string;
  nycLoaiGiayTo: string;
  nycSoGiayTo: string;
  nycQuocTich: string;
  nycDienThoai?: string;
  nycEmail?: string;
  nycThuongTru?: DiaBan;
  /** dd/MM/yyyy. */
  ngayHenTra: string;
}

/** One request as the province sends it (DataLGSP, seen; our service name tiepNhanHoSoLLTP is assumed). */
export interface HoSoLLTP {
  maTinh: string;
  tenTinh: string;
  maHoSoMCDT: string;
  /** "3" received in person, "1" online through the provincial portal. */
  nguonDangKy: string;
  tenNguonDangKy: string;
  /** dd/MM/yyyy. */
  ngayTiepNhan: string;
  toKhai: ToKhai;
}

/**
 * The certificate once issued (ketQuaXuLy, seen in the result push). The
 * fields after `coQuanCap` are the certificate's content: mapping.ts never
 * reads them (README.md, "What the desk gets").
 */
export interface KetQuaXuLy {
  soPhieuLLTP?: string;
  ngayCapPhieu?: string;
  loaiPhieu?: string;
  soLuongCap?: string;
  /** ASSUMED: the issuing authority's name (not in the seen push, which names the signer). */
  coQuanCap?: string;
  nguoiKy?: string;
  chucVu?: string;
  tinhTrangAnTich?: string;
  tenTinhTrangAnTich?: string;
  thongTinAn?: unknown;
  dsCDNCV?: unknown;
  /** The signed certificate, base64. */
  phieuLLTP?: string;
}

/** What the system holds for one request (traCuuHoSoLLTP, ASSUMED; fields as in the seen result push). */
export interface TrangThaiHoSoLLTP {
  maHoSoMCDT?: string;
  nycSoGiayTo?: string;
  loaiPhieu?: string;
  trangThaiXuLy?: string;
  tenTrangThaiXuLy?: string;
  ngayTiepNhan?: string;
  ngayHenTraKetQua?: string;
  lyDoTuChoi?: string;
  ketQuaXuLy?: KetQuaXuLy | null;
}
