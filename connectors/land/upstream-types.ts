/**
 * The provincial land database's JSON as it arrives (field names as on the
 * wire, see README.md: the interface is designed, not public). Every leaf may
 * be missing, null or '' upstream, so everything is optional and mapping.ts
 * decides what a gap means. Numbers arrive as strings with a decimal comma
 * ("152,5"; "1.250,0" with a thousands dot).
 */
export type Text = string | null | undefined;

/** Answer envelope of every data call: MaLoi "00" success, DD-xx business errors. */
export interface KetQua<Data> {
  MaLoi?: Text;
  MoTaLoi?: Text;
  TongSoBanGhi?: number | string | null;
  DuLieu?: Data | null;
}

export interface MucDichSuDung {
  MaMucDich?: Text;
  TenMucDich?: Text;
  DienTich?: Text;
  /** Free text: "Lâu dài", "Đến ngày 15/10/2063". */
  ThoiHanSuDung?: Text;
  /** dd/MM/yyyy; '' for long-term use. */
  NgayHetHan?: Text;
}

export interface ChuSuDung {
  /** CN cá nhân, HGD hộ gia đình, TC tổ chức. */
  LoaiChu?: Text;
  TenLoaiChu?: Text;
  HoTen?: Text;
  NamSinh?: Text;
  /** CCCD (12 digits) or CMND (9 digits). */
  LoaiGiayTo?: Text;
  SoChungMinh?: Text;
  NgayCapGiayTo?: Text;
  DiaChi?: Text;
}

export interface GiayChungNhanTomTat {
  /** "DA 123456": two letters, a space, the number. */
  SoPhatHanh?: Text;
  SoVaoSo?: Text;
  NgayCap?: Text;
  CoQuanCap?: Text;
  TrangThai?: Text;
  TenTrangThai?: Text;
}

export interface HanChe {
  LoaiHanChe?: Text;
  TenLoaiHanChe?: Text;
  BenNhanQuyen?: Text;
  SoHopDong?: Text;
  NgayDangKy?: Text;
  /** '' while the registration is in force. */
  NgayXoaDangKy?: Text;
}

export interface ThongBaoThue {
  HoTenChu?: Text;
  /** Code and label in one string: "SDDPNN - Thuế sử dụng đất phi nông nghiệp". */
  LoaiThue?: Text;
  SoThongBaoThue?: Text;
  NamThue?: Text;
  /** VND with thousands dots: "1.250.000". */
  SoTien?: Text;
  HanNop?: Text;
  TrangThaiNop?: Text;
}

export interface ThuaDat {
  MaThuaDat?: Text;
  MaTinh?: Text;
  MaXa?: Text;
  TenXa?: Text;
  SoHieuBanDo?: Text;
  SoThuTuThua?: Text;
  DienTich?: Text;
  DiaChiChiTiet?: Text;
  MucDichSuDung?: MucDichSuDung[] | null;
  /** Code and label in one string: "DG - Nhà nước giao đất có thu tiền sử dụng đất". */
  NguonGocSuDung?: Text;
  HinhThucSuDung?: { Ma?: Text; Ten?: Text } | null;
  ChuSuDung?: ChuSuDung[] | null;
  GiayChungNhan?: GiayChungNhanTomTat[] | null;
  ThongTinHanChe?: HanChe[] | null;
  ThongBaoThue?: ThongBaoThue[] | null;
  NgayCapNhat?: Text;
}

export interface GiayChungNhan extends GiayChungNhanTomTat {
  ChuSuDung?: ChuSuDung[] | null;
  ThuaDat?: ThuaDat[] | null;
}

export type KetQuaTraCuuThuaDat = KetQua<ThuaDat[]>;
export type KetQuaTraCuuGiayChungNhan = KetQua<GiayChungNhan>;
