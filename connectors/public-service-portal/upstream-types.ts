/**
 * The national public-service portal's JSON as the provincial bus adapter
 * passes it (field names as on the wire). Everything may be missing, empty or
 * null, and numbers may arrive as strings, so everything is optional here and
 * mapping.ts decides what a gap means.
 */
export type Text = string | number | null | undefined;

/**
 * Every call is a JSON POST `{session, madonvi, service, ...parameters}`; the
 * answer is this envelope: error_code 0 ok (REFERENCE.md) with `result[]`.
 */
export interface PortalEnvelope<Item> {
  error_code?: number | string;
  message?: string;
  result?: Item[] | null;
  /** LayDanhSachTTHC: matches over all pages. ASSUMPTION: the total's field name. */
  TONGSO?: Text;
}

/** The request body of one service call, minus the session (added by the client). */
export interface PortalCall {
  service: string;
  /** Scalars for the catalog's parameters; `data[]` (the dossier services' items) is an array of records. */
  [parameter: string]: string | number | undefined | readonly object[];
}

export interface LinhVuc {
  MALINHVUC?: Text;
  TENLINHVUC?: Text;
}

export interface CoQuan {
  MADONVI?: Text;
  TENDONVI?: Text;
}

export interface PhiLePhi {
  MAPHILEPHI?: Text;
  /** In đồng; "50000", 50000 or "50.000" depending on who typed it. */
  SOTIEN?: Text;
  MOTA?: Text;
}

export interface ThoiGian {
  THOIGIANGIAIQUYET?: Text;
  DONVITINH?: Text;
  MOTA?: Text;
  PHILEPHI?: PhiLePhi[] | null;
}

export interface CachThuc {
  /** 1 in person, 2 online, 3 post. */
  KENH?: Text;
  THOIGIAN?: ThoiGian[] | null;
}

export interface GiayTo {
  TENGIAYTO?: Text;
  SOBANCHINH?: Text;
  SOBANSAO?: Text;
  MAUDON?: Text;
}

/** LayDanhSachTTHC item. */
export interface ThuTucTomTat {
  MATTHC?: Text;
  TENTTHC?: Text;
  LINHVUCTHUCHIEN?: LinhVuc[] | null;
  COQUANTHUCHIEN?: CoQuan[] | null;
  TRANGTHAI?: Text;
}

/** LayThuTuc item. */
export interface ThuTuc extends ThuTucTomTat {
  CAPTHUCHIEN?: Text;
  TENCAPTHUCHIEN?: Text;
  DOITUONGTHUCHIEN?: Text[] | Text | null;
  CACHTHUCTHUCHIEN?: CachThuc[] | null;
  THANHPHANHOSO?: GiayTo[] | null;
}

/**
 * One dossier as DongBoHoSoMC takes it in `data[]` and TraCuuHoSo answers it
 * (REFERENCE.md). Dates `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; codes as
 * strings (LoaiDoiTuong "1" citizen / "2" business, HinhThuc "0" / "1" by
 * post, TrangThaiHoSo "1"-"10"). ASSUMPTION: Gia, SoLuong as numbers,
 * IsDeleted as a boolean; answers may carry any of them as strings.
 */
export interface HoSo {
  MaHoSo?: Text;
  MaTTHC?: Text;
  TenTTHC?: Text;
  MaLinhVuc?: Text;
  TenLinhVuc?: Text;
  SoBienNhan?: Text;
  ChuHoSo?: Text;
  LoaiDoiTuong?: Text;
  MaDoiTuong?: Text;
  TrichYeuHoSo?: Text;
  NgayTiepNhan?: Text;
  NgayHenTra?: Text;
  TrangThaiHoSo?: Text;
  NgayTra?: Text;
  NgayKetThucXuLy?: Text;
  HinhThuc?: Text;
  DonViXuLy?: Text;
  Email?: Text;
  Fax?: Text;
  SoDienThoai?: Text;
  ThongTinTra?: Text;
  ThongTinKhac?: Text;
  GhiChu?: Text;
  TaiLieuNop?: TaiLieuNop[] | null;
  DanhSachLePhi?: LePhi[] | null;
  DanhSachTepDinhKemKhac?: TepDinhKemKhac[] | null;
  DanhSachGiayToKetQua?: GiayToKetQua[] | null;
  DanhSachHoSoBoSung?: HoSoBoSung[] | null;
}

export interface TaiLieuNop {
  TepDinhKemId?: Text;
  TenTepDinhKem?: Text;
  IsDeleted?: boolean | Text;
  MaThanhPhanHoSo?: Text;
  DuongDanTaiTepTin?: Text;
}

export interface LePhi {
  TenPhiLePhi?: Text;
  MaPhiLePhi?: Text;
  HinhThucThu?: Text;
  /** In đồng. */
  Gia?: Text;
  LoaiPhiLePhi?: Text;
}

export interface TepDinhKemKhac {
  TenGiayTo?: Text;
  SoLuong?: Text;
  LoaiGiayTo?: Text;
}

export interface GiayToKetQua {
  TenGiayTo?: Text;
  MaThanhPhanHoSo?: Text;
  GiayToId?: Text;
  DuongDanTepTinKetQua?: Text;
}

/** ASSUMPTION: DanhSachGiayToBoSung items shaped as TaiLieuNop, DanhSachLePhiBoSung items as DanhSachLePhi. */
export interface HoSoBoSung {
  HoSoBoSungId?: Text;
  NguoiYeuCauBoSung?: Text;
  NoiDungBoSung?: Text;
  NgayBoSung?: Text;
  NguoiTiepNhanBoSung?: Text;
  ThongTinTiepNhan?: Text;
  NgayTiepNhanBoSung?: Text;
  TrangThaiBoSung?: Text;
  DanhSachGiayToBoSung?: TaiLieuNop[] | null;
  DanhSachLePhiBoSung?: LePhi[] | null;
  NgayHenTraTruoc?: Text;
  NgayHenTraMoi?: Text;
}

/** One processing step, CapNhatTienDoHoSoMC's item. ASSUMPTION: sent in `data[]` like DongBoHoSoMC's. */
export interface TienDo {
  MaHoSo?: Text;
  NguoiXuLy?: Text;
  ChucDanh?: Text;
  ThoiDiemXuLy?: Text;
  PhongBanXuLy?: Text;
  NoiDungXuLy?: Text;
  TrangThai?: Text;
  NgayBatDau?: Text;
  NgayKetThucTheoQuyDinh?: Text;
}

/** DongBoHoSoMC / CapNhatTienDoHoSoMC success item. ASSUMPTION: the portal's own id of the dossier, `IdHoSo`. */
export interface KetQuaDongBo {
  MaHoSo?: Text;
  IdHoSo?: Text;
}
