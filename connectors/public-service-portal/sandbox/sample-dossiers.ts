import type { HoSo, TienDo } from '../upstream-types.js';
import { wellKnownProcedureCodes } from './seed.js';

/**
 * Dossier and progress items as a one-stop system sends them to the portal
 * (DongBoHoSoMC / CapNhatTienDoHoSoMC `data[]`), for the recorded fixtures and
 * the sandbox's tests. The applicant is the population sandbox's well-known
 * test citizen, not a real person.
 */
export const sampleDossierCode = '000.00.14.H22-250714-0001';

export const sampleDossier: HoSo = {
  MaHoSo: sampleDossierCode,
  MaTTHC: wellKnownProcedureCodes.criminalRecordCertificate,
  TenTTHC: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
  MaLinhVuc: 'G06-LLTP',
  TenLinhVuc: 'Lý lịch tư pháp',
  SoBienNhan: sampleDossierCode,
  ChuHoSo: 'Nguyễn Văn An',
  LoaiDoiTuong: '1',
  MaDoiTuong: '001090012345',
  TrichYeuHoSo: 'Cấp Phiếu lý lịch tư pháp số 1',
  // 2025-07-13T17:30:00Z: after midnight in Vietnam.
  NgayTiepNhan: '20250714003000',
  NgayHenTra: '20250724170000',
  TrangThaiHoSo: '2',
  HinhThuc: '1',
  DonViXuLy: 'Sở Tư pháp',
  SoDienThoai: '0912345678',
  TaiLieuNop: [{ TepDinhKemId: 'F-1', TenTepDinhKem: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', IsDeleted: false, MaThanhPhanHoSo: 'TP-01', DuongDanTaiTepTin: 'https://motcua.example.gov.vn/files/F-1' }],
  DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí cấp Phiếu lý lịch tư pháp', MaPhiLePhi: 'LEPHI', HinhThucThu: '1', Gia: 200000, LoaiPhiLePhi: '2' }],
  DanhSachTepDinhKemKhac: [],
  DanhSachGiayToKetQua: [],
  DanhSachHoSoBoSung: [],
};

/** The same dossier, processed: status 9 and the result document. */
export const sampleDossierProcessed: HoSo = {
  ...sampleDossier,
  TrangThaiHoSo: '9',
  NgayKetThucXuLy: '20250722101500',
  DanhSachGiayToKetQua: [{ TenGiayTo: 'Phiếu lý lịch tư pháp số 1', MaThanhPhanHoSo: 'KQ-01', GiayToId: 'KQ-1', DuongDanTepTinKetQua: 'https://motcua.example.gov.vn/files/KQ-1' }],
};

export const sampleProgress: TienDo[] = [
  { MaHoSo: sampleDossierCode, NguoiXuLy: 'Trần Thị Bình', ChucDanh: 'Chuyên viên', ThoiDiemXuLy: '20250714090000', PhongBanXuLy: 'Bộ phận một cửa', NoiDungXuLy: 'Tiếp nhận hồ sơ', TrangThai: '2', NgayBatDau: '20250714003000', NgayKetThucTheoQuyDinh: '20250714170000' },
  { MaHoSo: sampleDossierCode, NguoiXuLy: 'Lê Văn Cường', ChucDanh: 'Chuyên viên', ThoiDiemXuLy: '20250715090000', PhongBanXuLy: 'Phòng Hành chính tư pháp', NoiDungXuLy: 'Thẩm định hồ sơ', TrangThai: '4', NgayBatDau: '20250715090000', NgayKetThucTheoQuyDinh: '20250721170000' },
];
