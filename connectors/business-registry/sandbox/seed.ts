import { loadAdministrativeUnits2025 } from '../../../simulators/kit/administrative-units.js';
import { compactDateTime, dayMonthYear, type CalendarDate, type LegalForm, type RegistryStatus, type SeededBusiness } from '../../../simulators/kit/enterprises.js';
import { findHistoricProvince } from '../../../simulators/kit/historic-admin-units.js';
import { findPersonById, fullNameOf, type SeededPerson } from '../../../simulators/kit/people.js';

/**
 * The shared seeded businesses as the national business registration
 * database shows them through the provincial proxy: one JSON record per
 * enterprise (DoanhNghiep), household business (HoKinhDoanh) or cooperative
 * (HopTacXa), with the field names seen in real integrations and the
 * registry's quirks — names in capitals WITH diacritics, dates as dd/MM/yyyy
 * or yyyyMMddHHmmss strings, counts and money as strings, empty strings for
 * suspension fields that do not apply, optional names left out altogether.
 */

export interface TinhTrangPhapLy {
  MaTinhTrangPhapLy: string;
  TinhTrangPhapLy: string;
  NgayBatDauTamNgung: string;
  NgayKetThucTamNgung: string;
  LyDoTamNgung: string;
}

export interface NguoiDaiDien {
  HoVaTen: string;
  LoaiGiayToChungThuc: string;
  SoGiayChungThuc: string;
  NgayCap: string;
  NoiCap: string;
  QuocTich: string;
}

export interface DiaChiRecord {
  MaTinhThanh: string;
  TenTinhThanh: string;
  MaPhuongXa: string;
  TenPhuongXa: string;
  SoNhaDuong: string;
  DiaChiDayDu: string;
}

export interface NganhNghe {
  MaNganh: string;
  TenNganh: string;
  /** "1" main line, "0" otherwise. */
  LaNganhChinh: string;
}

/** Registry status codes. ASSUMPTION: the codes; the wording is the registry's. */
export const legalStatuses: Record<RegistryStatus, { code: string; label: string }> = {
  active: { code: '01', label: 'Đang hoạt động' },
  suspended: { code: '02', label: 'Tạm ngừng kinh doanh có thời hạn' },
  dissolving: { code: '03', label: 'Đang làm thủ tục giải thể' },
  dissolved: { code: '04', label: 'Đã giải thể' },
  revoked: { code: '05', label: 'Bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp' },
};

/** MaLoaiHinhDN / LoaiHinhDN. ASSUMPTION: the codes. */
export const legalForms: Record<LegalForm, { code: string; label: string }> = {
  'private-enterprise': { code: '1', label: 'Doanh nghiệp tư nhân' },
  'llc-one-member': { code: '2', label: 'Công ty trách nhiệm hữu hạn một thành viên' },
  'llc-multi-member': { code: '3', label: 'Công ty trách nhiệm hữu hạn hai thành viên trở lên' },
  'joint-stock': { code: '4', label: 'Công ty cổ phần' },
  branch: { code: 'CN', label: 'Chi nhánh' },
  'household-business': { code: 'HKD', label: 'Hộ kinh doanh' },
  cooperative: { code: 'HTX', label: 'Hợp tác xã' },
};

let communeNames: Map<string, string> | undefined;
let provinceNames: Map<string, string> | undefined;

function addressRecord(business: SeededBusiness): DiaChiRecord {
  const provinces = loadAdministrativeUnits2025();
  provinceNames ??= new Map(provinces.map((province) => [province.code, province.fullName]));
  communeNames ??= new Map(provinces.flatMap((province) => province.communes.map((commune) => [commune.code, commune.fullName] as const)));
  const { provinceCode, communeCode, street } = business.headOffice;
  const province = provinceNames.get(provinceCode) ?? '';
  const commune = communeNames.get(communeCode) ?? '';
  return {
    MaTinhThanh: provinceCode,
    TenTinhThanh: province,
    MaPhuongXa: communeCode,
    TenPhuongXa: commune,
    SoNhaDuong: street,
    DiaChiDayDu: [street, commune, province].filter(Boolean).join(', '),
  };
}

function statusRecord(business: SeededBusiness): TinhTrangPhapLy[] {
  const status = legalStatuses[business.status];
  return [
    {
      MaTinhTrangPhapLy: status.code,
      TinhTrangPhapLy: status.label,
      NgayBatDauTamNgung: business.suspension ? dayMonthYear(business.suspension.from) : '',
      NgayKetThucTamNgung: business.suspension ? dayMonthYear(business.suspension.until) : '',
      LyDoTamNgung: business.suspension?.reason ?? '',
    },
  ];
}

/**
 * The identity paper the registration was filed with: the old CMND for
 * registrations before chip-based CCCD cards (2016) by someone who had one,
 * the CCCD otherwise.
 */
function representativeRecord(person: SeededPerson, registeredOn: CalendarDate): NguoiDaiDien {
  const name = fullNameOf(person.name).toLocaleUpperCase('vi');
  if (person.oldIdCardNumber && registeredOn.year < 2016) {
    const province = findHistoricProvince(person.birthRegistration.provinceCode)?.fullName ?? '';
    return {
      HoVaTen: name,
      LoaiGiayToChungThuc: 'Chứng minh nhân dân',
      SoGiayChungThuc: person.oldIdCardNumber,
      NgayCap: dayMonthYear({ year: Math.max(registeredOn.year - 3, person.birthDate.year + 16), month: 6, day: 12 }),
      NoiCap: `Công an ${province}`.trim(),
      QuocTich: 'Việt Nam',
    };
  }
  return {
    HoVaTen: name,
    LoaiGiayToChungThuc: 'Căn cước công dân',
    SoGiayChungThuc: person.personalId,
    NgayCap: dayMonthYear({ year: 2021, month: 4, day: 10 + (Number(person.personalId.slice(-2)) % 18) }),
    NoiCap: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
    QuocTich: 'Việt Nam',
  };
}

function representatives(business: SeededBusiness): NguoiDaiDien[] {
  return business.representativeIds.flatMap((id) => {
    const person = findPersonById(id);
    return person ? [representativeRecord(person, business.firstRegisteredOn)] : [];
  });
}

function businessLines(business: SeededBusiness): NganhNghe[] {
  return business.businessLines.map((line) => ({ MaNganh: line.code, TenNganh: line.name, LaNganhChinh: line.main ? '1' : '0' }));
}

function changes(business: SeededBusiness): { NgayDangKyThayDoi: string; SoLanDangKyThayDoi: string } {
  return {
    NgayDangKyThayDoi: business.lastChange ? compactDateTime(business.lastChange.at) : '',
    SoLanDangKyThayDoi: String(business.lastChange?.count ?? 0),
  };
}

/** `.../DoanhNghiep/chiTietDoanhNghiep?msdn=`: enterprises and their dependent units. */
export function doanhNghiepRecord(business: SeededBusiness): Record<string, unknown> {
  const form = legalForms[business.legalForm];
  return {
    MaSoDoanhNghiep: business.taxCode,
    SoGCNDKKD: business.taxCode,
    MaLoaiHinhDN: form.code,
    LoaiHinhDN: form.label,
    TenTiengViet: business.name.toLocaleUpperCase('vi'),
    // Registered without a foreign name: some records carry "", others leave the field out.
    ...(business.foreignName !== undefined && { TenNuocNgoai: business.foreignName }),
    ...(business.shortName !== undefined && { TenVietTat: business.shortName }),
    ...(business.headUnitCode !== undefined && { MaSoDNChuQuan: business.headUnitCode }),
    NgayDangKyLanDau: dayMonthYear(business.firstRegisteredOn),
    ...changes(business),
    TinhTrangPhapLy: statusRecord(business),
    DaiDienPhapLuat: representatives(business),
    DiaChiTruSo: addressRecord(business),
    NganhNgheKinhDoanh: businessLines(business),
    ...(business.charterCapital !== undefined && { VonDieuLe: String(business.charterCapital) }),
  };
}

/** `.../HopTacXa/chiTietHopTacXa?mst=`. ASSUMPTION: field names modelled on the enterprise record. */
export function hopTacXaRecord(business: SeededBusiness): Record<string, unknown> {
  return {
    MaSoHTX: business.taxCode,
    SoGCNDKHTX: business.taxCode,
    TenTiengViet: business.name.toLocaleUpperCase('vi'),
    NgayDangKyLanDau: dayMonthYear(business.firstRegisteredOn),
    ...changes(business),
    TinhTrangPhapLy: statusRecord(business),
    DaiDienPhapLuat: representatives(business),
    DiaChiTruSo: addressRecord(business),
    NganhNgheKinhDoanh: businessLines(business),
    ...(business.charterCapital !== undefined && { VonDieuLe: String(business.charterCapital) }),
  };
}

/** `.../HoKinhDoanh/chiTietHoKinhDoanh?mst=`. ASSUMPTION: field names modelled on the enterprise record. */
export function hoKinhDoanhRecord(business: SeededBusiness): Record<string, unknown> {
  const [owner] = representatives(business);
  return {
    MaSoThue: business.taxCode,
    // Household registration certificates are numbered by the commune-level office: province, "A", serial.
    SoGCNDKHKD: `${business.headOffice.provinceCode}A${business.taxCode.slice(2, 10)}`,
    TenHoKinhDoanh: business.name.toLocaleUpperCase('vi'),
    NgayDangKyLanDau: dayMonthYear(business.firstRegisteredOn),
    TinhTrangPhapLy: statusRecord(business),
    ChuHoKinhDoanh: owner,
    DiaDiemKinhDoanh: addressRecord(business),
    NganhNgheKinhDoanh: businessLines(business),
  };
}
