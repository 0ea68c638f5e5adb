/**
 * The population database's records as the SOAP client parses them (field
 * names as on the wire, see population.wsdl). Every leaf may be missing or
 * empty upstream, so everything is optional here and mapping.ts decides what
 * a gap means.
 */
export type Text = string | undefined;

export interface HoVaTen {
  Ho?: Text;
  ChuDem?: Text;
  Ten?: Text;
}

export interface NgayThangNamSinh {
  /** yyyy */
  Nam?: Text;
  /** yyyyMMdd, or yyyyMM / empty when the source only knows part of the date. */
  NgayThangNam?: Text;
}

export type NgayThangNamSinhYeuCau = NgayThangNamSinh;

export interface DiaChi {
  MaTinhThanh?: Text;
  MaQuanHuyen?: Text;
  MaPhuongXa?: Text;
  ChiTiet?: Text;
  QuocGia?: Text;
}

export interface NguoiThan {
  HoVaTen?: Text;
  QuocTich?: Text;
  SoDinhDanh?: Text;
  SoCMND?: Text;
}

export interface CongDan {
  SoDinhDanh?: Text;
  SoCMND?: Text;
  HoVaTen?: HoVaTen;
  GioiTinh?: Text;
  DanToc?: Text;
  TonGiao?: Text;
  TinhTrangHonNhan?: Text;
  NhomMau?: Text;
  NgayThangNamSinh?: NgayThangNamSinh;
  NoiDangKyKhaiSinh?: DiaChi;
  QuocTich?: Text;
  QueQuan?: DiaChi;
  ThuongTru?: DiaChi;
  NoiOHienTai?: DiaChi;
  Cha?: NguoiThan;
  Me?: NguoiThan;
  VoChong?: NguoiThan;
  NguoiDaiDien?: NguoiThan;
  ChuHo?: { QuanHe?: Text; SoDinhDanh?: Text; SoCMND?: Text; HoVaTen?: Text };
  SoSoHoKhau?: Text;
}

export interface CongdanCollection {
  /** 00 found, 01 not found (an assumption of the sandbox: see README.md). */
  MaKetQua?: Text;
  MoTaKetQua?: Text;
  /** One element parses as an object, several as an array. */
  CongDan?: CongDan | CongDan[];
}

export interface KetQuaXacThuc {
  MaYeuCau?: Text;
  TonTai?: boolean | string;
  KetQuaKhop?: { HoVaTen?: boolean | string; NgayThangNamSinh?: boolean | string; GioiTinh?: boolean | string };
  MaKetQua?: Text;
  MoTaKetQua?: Text;
}
