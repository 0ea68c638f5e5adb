/**
 * The pre-July-2025 three-level units, as far as the sandboxes need them.
 * Historic records (birth registration, home town) and the first three digits
 * of every personal id use these codes; current addresses use the 2025 list.
 *
 * The 63 provinces and their 2025 successors are complete. Districts and wards
 * are a short curated sample (the first one for Vĩnh Phúc appears in a real
 * recorded response); for other provinces historic addresses carry the
 * province only, which real old records often do too. Sandbox data, not a
 * catalog: the gateway's catalogs must come from configuration.
 */

export interface HistoricProvince {
  /** Two-digit code; the personal id uses it zero-padded to three digits. */
  code: string;
  fullName: string;
  /** The 2025 province that absorbed it (two-digit 2025 code). */
  successorCode: string;
}

export interface HistoricDistrict {
  provinceCode: string;
  code: string;
  fullName: string;
  ward?: { code: string; fullName: string };
}

const provinceRows: Array<[code: string, fullName: string, successorCode: string]> = [
  ['01', 'Thành phố Hà Nội', '01'],
  ['02', 'Tỉnh Hà Giang', '08'],
  ['04', 'Tỉnh Cao Bằng', '04'],
  ['06', 'Tỉnh Bắc Kạn', '19'],
  ['08', 'Tỉnh Tuyên Quang', '08'],
  ['10', 'Tỉnh Lào Cai', '15'],
  ['11', 'Tỉnh Điện Biên', '11'],
  ['12', 'Tỉnh Lai Châu', '12'],
  ['14', 'Tỉnh Sơn La', '14'],
  ['15', 'Tỉnh Yên Bái', '15'],
  ['17', 'Tỉnh Hoà Bình', '25'],
  ['19', 'Tỉnh Thái Nguyên', '19'],
  ['20', 'Tỉnh Lạng Sơn', '20'],
  ['22', 'Tỉnh Quảng Ninh', '22'],
  ['24', 'Tỉnh Bắc Giang', '24'],
  ['25', 'Tỉnh Phú Thọ', '25'],
  ['26', 'Tỉnh Vĩnh Phúc', '25'],
  ['27', 'Tỉnh Bắc Ninh', '24'],
  ['30', 'Tỉnh Hải Dương', '31'],
  ['31', 'Thành phố Hải Phòng', '31'],
  ['33', 'Tỉnh Hưng Yên', '33'],
  ['34', 'Tỉnh Thái Bình', '33'],
  ['35', 'Tỉnh Hà Nam', '37'],
  ['36', 'Tỉnh Nam Định', '37'],
  ['37', 'Tỉnh Ninh Bình', '37'],
  ['38', 'Tỉnh Thanh Hoá', '38'],
  ['40', 'Tỉnh Nghệ An', '40'],
  ['42', 'Tỉnh Hà Tĩnh', '42'],
  ['44', 'Tỉnh Quảng Bình', '44'],
  ['45', 'Tỉnh Quảng Trị', '44'],
  ['46', 'Tỉnh Thừa Thiên Huế', '46'],
  ['48', 'Thành phố Đà Nẵng', '48'],
  ['49', 'Tỉnh Quảng Nam', '48'],
  ['51', 'Tỉnh Quảng Ngãi', '51'],
  ['52', 'Tỉnh Bình Định', '52'],
  ['54', 'Tỉnh Phú Yên', '66'],
  ['56', 'Tỉnh Khánh Hoà', '56'],
  ['58', 'Tỉnh Ninh Thuận', '56'],
  ['60', 'Tỉnh Bình Thuận', '68'],
  ['62', 'Tỉnh Kon Tum', '51'],
  ['64', 'Tỉnh Gia Lai', '52'],
  ['66', 'Tỉnh Đắk Lắk', '66'],
  ['67', 'Tỉnh Đắk Nông', '68'],
  ['68', 'Tỉnh Lâm Đồng', '68'],
  ['70', 'Tỉnh Bình Phước', '75'],
  ['72', 'Tỉnh Tây Ninh', '80'],
  ['74', 'Tỉnh Bình Dương', '79'],
  ['75', 'Tỉnh Đồng Nai', '75'],
  ['77', 'Tỉnh Bà Rịa - Vũng Tàu', '79'],
  ['79', 'Thành phố Hồ Chí Minh', '79'],
  ['80', 'Tỉnh Long An', '80'],
  ['82', 'Tỉnh Tiền Giang', '82'],
  ['83', 'Tỉnh Bến Tre', '86'],
  ['84', 'Tỉnh Trà Vinh', '86'],
  ['86', 'Tỉnh Vĩnh Long', '86'],
  ['87', 'Tỉnh Đồng Tháp', '82'],
  ['89', 'Tỉnh An Giang', '91'],
  ['91', 'Tỉnh Kiên Giang', '91'],
  ['92', 'Thành phố Cần Thơ', '92'],
  ['93', 'Tỉnh Hậu Giang', '92'],
  ['94', 'Tỉnh Sóc Trăng', '92'],
  ['95', 'Tỉnh Bạc Liêu', '96'],
  ['96', 'Tỉnh Cà Mau', '96'],
];

export const historicProvinces: readonly HistoricProvince[] = provinceRows.map(([code, fullName, successorCode]) => ({
  code,
  fullName,
  successorCode,
}));

/** Capital districts (and a ward where known) for the provinces the seeded examples use. */
export const historicDistricts: readonly HistoricDistrict[] = [
  { provinceCode: '01', code: '001', fullName: 'Quận Ba Đình', ward: { code: '00001', fullName: 'Phường Phúc Xá' } },
  { provinceCode: '26', code: '252', fullName: 'Huyện Vĩnh Tường', ward: { code: '09106', fullName: 'Xã Lũng Hoà' } },
  { provinceCode: '31', code: '303', fullName: 'Quận Hồng Bàng' },
  { provinceCode: '38', code: '380', fullName: 'Thành phố Thanh Hoá' },
  { provinceCode: '48', code: '492', fullName: 'Quận Hải Châu' },
  { provinceCode: '79', code: '760', fullName: 'Quận 1', ward: { code: '26743', fullName: 'Phường Bến Thành' } },
  { provinceCode: '92', code: '916', fullName: 'Quận Ninh Kiều' },
];

const provincesByCode = new Map(historicProvinces.map((province) => [province.code, province]));

export function findHistoricProvince(code: string): HistoricProvince | undefined {
  // Accept the three-digit personal-id form as well ('001' → '01').
  return provincesByCode.get(code.length === 3 && code.startsWith('0') ? code.slice(1) : code);
}

export function findHistoricDistrict(provinceCode: string): HistoricDistrict | undefined {
  return historicDistricts.find((district) => district.provinceCode === provinceCode);
}
