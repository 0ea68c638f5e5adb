/**
 * The social-insurance lookup's answer as the SOAP client parses it (field
 * names as on the wire, see social-insurance.wsdl). Every leaf may be missing
 * or empty upstream, so everything is optional here and mapping.ts decides
 * what a gap means.
 */
export type Text = string | undefined;

/** Every coded value comes with its label. */
export interface MaTen {
  Ma?: Text;
  Ten?: Text;
}

export interface TheBHYT {
  SoThe?: Text;
  DoiTuong?: MaTen;
  MucHuong?: MaTen;
  /** dd/MM/yyyy */
  GiaTriTu?: Text;
  GiaTriDen?: Text;
  /** dd/MM/yyyy, empty while five consecutive years are not reached. */
  ThoiDiemDu5NamLienTuc?: Text;
  NoiDangKyKCBBanDau?: { MaCSKCB?: Text; TenCSKCB?: Text; MaTinh?: Text };
}

export interface QuaTrinhThamGia {
  TongSoThangDong?: Text;
  /** Empty for voluntary participants and pensioners: no unit pays for them. */
  DonViThamGia?: { MaDonVi?: Text; TenDonVi?: Text; MaSoThue?: Text } | Text;
  /** MM/yyyy */
  KyDongCuoi?: Text;
}

export interface NguoiThamGia {
  MaSoBHXH?: Text;
  /** Empty on old books never matched with the population database. */
  SoDinhDanh?: Text;
  /** Upper case; legacy records without diacritics. */
  HoTen?: Text;
  /** dd/MM/yyyy; 00 for an unknown day or month. */
  NgaySinh?: Text;
  GioiTinh?: MaTen;
  TrangThaiThamGia?: MaTen;
  TheBHYT?: TheBHYT;
  QuaTrinhThamGia?: QuaTrinhThamGia;
  /** yyyyMMddHHmmss, Asia/Ho_Chi_Minh. */
  NgayCapNhat?: Text;
}

export interface KetQuaTraCuuNguoiThamGia {
  MaYeuCau?: Text;
  /** 00 found, 01 no participant (assumption, see README.md). */
  MaKetQua?: Text;
  MoTaKetQua?: Text;
  NguoiThamGia?: NguoiThamGia;
}
