/**
 * The electronic civil-status database's JSON, as the client receives it
 * (see README.md: the record field names are the ones public civil-status
 * tools use — so, quyenSo, trangSo, ngayDangKy, loaiDangKy, noiDangKy,
 * nks*, me*, cha*, chong*, vo*, nkt*, nyc* — the envelope and the request
 * shape are assumed). Every value is a string or absent; '' and null occur.
 */

/** What every lookup sends: who asks, for which dossier, and the key. */
export interface YeuCauTraCuu {
  /** The province's unit code at the civil-status system. */
  maDonVi: string;
  /** The dossier code (or registered purpose) the officer works on: the gateway's X-Purpose. */
  maHoSo: string;
  /** The officer (X-End-User). */
  nguoiTraCuu: string;
  data: KhoaSoHoTich | KhoaDinhDanh;
}

/** A registration as the register identifies it: registering authority, book, number. */
export interface KhoaSoHoTich {
  noiDangKy: string;
  quyenSo: string;
  so: string;
}

/** Every registration naming this personal id (the child, a spouse, the deceased). */
export interface KhoaDinhDanh {
  soDinhDanh: string;
}

/** The answer envelope: statusCode "00" is success; data is a list (empty when nothing matches). */
export interface KetQuaTraCuu<Record> {
  statusCode?: string | null;
  message?: string | null;
  data?: Record[] | null;
}

/** Fields every register shares. */
export interface DangKyHoTich {
  so?: string | null;
  quyenSo?: string | null;
  trangSo?: string | null;
  /** dd/MM/yyyy. */
  ngayDangKy?: string | null;
  loaiDangKy?: string | null;
  tenLoaiDangKy?: string | null;
  /** Code of the registering People's Committee (commune, or district for older books). */
  noiDangKy?: string | null;
  tenNoiDangKy?: string | null;
  nguoiKy?: string | null;
  chucVuNguoiKy?: string | null;
  ghiChu?: string | null;
}

/** Khai sinh: nks = người được khai sinh, me/cha = mother/father, nyc = declarant. */
export interface KhaiSinh extends DangKyHoTich {
  nksHoTen?: string | null;
  nksSoDinhDanh?: string | null;
  nksGioiTinh?: string | null;
  nksNgaySinh?: string | null;
  nksNoiSinh?: string | null;
  nksDanToc?: string | null;
  nksQuocTich?: string | null;
  nksQueQuan?: string | null;
  meHoTen?: string | null;
  meNgaySinh?: string | null;
  meDanToc?: string | null;
  meQuocTich?: string | null;
  meLoaiGiayToTuyThan?: string | null;
  meSoGiayToTuyThan?: string | null;
  meNoiCuTru?: string | null;
  chaHoTen?: string | null;
  chaNgaySinh?: string | null;
  chaDanToc?: string | null;
  chaQuocTich?: string | null;
  chaLoaiGiayToTuyThan?: string | null;
  chaSoGiayToTuyThan?: string | null;
  chaNoiCuTru?: string | null;
  nycHoTen?: string | null;
  nycQuanHe?: string | null;
}

/** Kết hôn: chong = husband, vo = wife. */
export interface KetHon extends DangKyHoTich {
  chongHoTen?: string | null;
  chongNgaySinh?: string | null;
  chongDanToc?: string | null;
  chongQuocTich?: string | null;
  chongNoiCuTru?: string | null;
  chongLoaiGiayToTuyThan?: string | null;
  chongSoGiayToTuyThan?: string | null;
  voHoTen?: string | null;
  voNgaySinh?: string | null;
  voDanToc?: string | null;
  voQuocTich?: string | null;
  voNoiCuTru?: string | null;
  voLoaiGiayToTuyThan?: string | null;
  voSoGiayToTuyThan?: string | null;
  /** 1 registered, 2 dissolved by divorce (assumed codes). */
  tinhTrangKetHon?: string | null;
  /** dd/MM/yyyy: when the dissolution was recorded in the register. */
  ngayGhiChuLyHon?: string | null;
}

/** Khai tử: nkt = người được khai tử. */
export interface KhaiTu extends DangKyHoTich {
  nktHoTen?: string | null;
  nktGioiTinh?: string | null;
  nktNgaySinh?: string | null;
  nktDanToc?: string | null;
  nktQuocTich?: string | null;
  nktNoiCuTru?: string | null;
  nktLoaiGiayToTuyThan?: string | null;
  nktSoGiayToTuyThan?: string | null;
  /** dd/MM/yyyy. */
  nktNgayChet?: string | null;
  /** HH:mm. */
  nktGioPhutChet?: string | null;
  nktNoiChet?: string | null;
  nktNguyenNhanChet?: string | null;
  nycHoTen?: string | null;
  nycQuanHe?: string | null;
}

/** LoaiGiayToTuyThan (assumed codes): which identity document the number is. */
export const identityDocumentTypes = { oldIdCard: '1', passport: '2', personalId: '4' } as const;
