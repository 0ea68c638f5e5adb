/**
 * The business registry's JSON as the provincial proxy sends it (field names
 * as on the wire). Everything may be missing, empty or null upstream, so
 * everything is optional here and mapping.ts decides what a gap means.
 */
export type Text = string | number | null | undefined;

/** The proxy's envelope: error_code 0 ok, 1 not found (see README.md). */
export interface ProxyEnvelope<Record> {
  error_code?: number | string;
  message?: string;
  data?: Record | null;
}

export interface TinhTrangPhapLy {
  MaTinhTrangPhapLy?: Text;
  TinhTrangPhapLy?: Text;
  NgayBatDauTamNgung?: Text;
  NgayKetThucTamNgung?: Text;
  LyDoTamNgung?: Text;
}

export interface NguoiDaiDien {
  HoVaTen?: Text;
  LoaiGiayToChungThuc?: Text;
  SoGiayChungThuc?: Text;
  NgayCap?: Text;
  NoiCap?: Text;
  QuocTich?: Text;
}

export interface DiaChi {
  MaTinhThanh?: Text;
  TenTinhThanh?: Text;
  MaPhuongXa?: Text;
  TenPhuongXa?: Text;
  SoNhaDuong?: Text;
  DiaChiDayDu?: Text;
}

export interface NganhNghe {
  MaNganh?: Text;
  TenNganh?: Text;
  /** "1"/"0", 1/0 or true/false depending on the adapter. */
  LaNganhChinh?: Text | boolean;
}

interface RegisteredCommon {
  NgayDangKyLanDau?: Text;
  NgayDangKyThayDoi?: Text;
  SoLanDangKyThayDoi?: Text;
  TinhTrangPhapLy?: TinhTrangPhapLy[] | null;
  NganhNgheKinhDoanh?: NganhNghe[] | null;
  VonDieuLe?: Text;
}

export interface DoanhNghiep extends RegisteredCommon {
  MaSoDoanhNghiep?: Text;
  SoGCNDKKD?: Text;
  MaLoaiHinhDN?: Text;
  LoaiHinhDN?: Text;
  TenTiengViet?: Text;
  TenNuocNgoai?: Text;
  TenVietTat?: Text;
  MaSoDNChuQuan?: Text;
  DaiDienPhapLuat?: NguoiDaiDien[] | null;
  DiaChiTruSo?: DiaChi | null;
}

export interface HopTacXa extends RegisteredCommon {
  MaSoHTX?: Text;
  SoGCNDKHTX?: Text;
  TenTiengViet?: Text;
  TenVietTat?: Text;
  DaiDienPhapLuat?: NguoiDaiDien[] | null;
  DiaChiTruSo?: DiaChi | null;
}

export interface HoKinhDoanh extends RegisteredCommon {
  MaSoThue?: Text;
  SoGCNDKHKD?: Text;
  TenHoKinhDoanh?: Text;
  ChuHoKinhDoanh?: NguoiDaiDien | null;
  DiaDiemKinhDoanh?: DiaChi | null;
}
