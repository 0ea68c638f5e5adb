/**
 * Code lists the national databases use for personal attributes. Upstream
 * records carry only the code; these tables give the label (connectors map
 * codes to labels with them, sandboxes draw their data from them). Marks as in
 * REFERENCE.md: [seen] = observed in a real recorded response, [guess] =
 * plausible, keep swappable.
 */

export interface CatalogEntry {
  code: string;
  label: string;
}

/** Label by code for every list built here: a lookup per mapped field, on every answer. */
const labelsByCatalog = new WeakMap<readonly CatalogEntry[], ReadonlyMap<string, string>>();

function catalog(rows: Array<[string, string]>): readonly CatalogEntry[] {
  const entries = Object.freeze(rows.map(([code, label]) => Object.freeze({ code, label })));
  const labels = new Map<string, string>();
  // The first entry of a code wins, as a search from the top finds it.
  for (const { code, label } of entries) if (!labels.has(code)) labels.set(code, label);
  labelsByCatalog.set(entries, labels);
  return entries;
}

/** GioiTinh. [seen] '1' for a man; the rest [guess]. */
export const sexCodes = catalog([
  ['0', 'Chưa có thông tin'],
  ['1', 'Nam'],
  ['2', 'Nữ'],
]);

/** DanToc: the General Statistics Office list of 54 ethnic groups (first rows). [seen] '01' Kinh. */
export const ethnicityCodes = catalog([
  ['01', 'Kinh'],
  ['02', 'Tày'],
  ['03', 'Thái'],
  ['04', 'Hoa'],
  ['05', 'Khơ-me'],
  ['06', 'Mường'],
  ['07', 'Nùng'],
  ['08', 'Mông'],
  ['09', 'Dao'],
  ['10', 'Gia-rai'],
  ['11', 'Ngái'],
  ['12', 'Ê-đê'],
  ['13', 'Ba-na'],
  ['14', 'Xơ-đăng'],
  ['17', 'Chăm'],
]);

/** TonGiao. [seen] '00' for no religion; the rest [guess]. */
export const religionCodes = catalog([
  ['00', 'Không'],
  ['01', 'Phật giáo'],
  ['02', 'Công giáo'],
  ['03', 'Tin lành'],
  ['04', 'Cao đài'],
  ['05', 'Phật giáo Hoà Hảo'],
  ['06', 'Hồi giáo'],
]);

/** TinhTrangHonNhan. [seen] '2' on a married-age record; [guess] otherwise. */
export const maritalStatusCodes = catalog([
  ['0', 'Chưa có thông tin'],
  ['1', 'Chưa kết hôn'],
  ['2', 'Đã kết hôn'],
  ['3', 'Ly hôn'],
  ['4', 'Góa'],
]);

/** NhomMau. [seen] '00' (unknown); the rest [guess]. */
export const bloodGroupCodes = catalog([
  ['00', 'Chưa xác định'],
  ['01', 'A'],
  ['02', 'B'],
  ['03', 'AB'],
  ['04', 'O'],
]);

/** ChuHo/QuanHe: relation to the household head. [guess] (a real record showed 'CH01' for the head). */
export const householdRelationCodes = catalog([
  ['01', 'Chủ hộ'],
  ['02', 'Vợ'],
  ['03', 'Chồng'],
  ['04', 'Con'],
  ['05', 'Bố'],
  ['06', 'Mẹ'],
  ['07', 'Cháu'],
  ['08', 'Anh/chị/em'],
  ['99', 'Khác'],
]);

/** QuocTich: ISO 3166-1 alpha-2 as the population database records it. [seen] 'VN'; the rest [guess]. */
export const nationalityCodes = catalog([
  ['VN', 'Việt Nam'],
  ['LA', 'Lào'],
  ['KH', 'Campuchia'],
  ['CN', 'Trung Quốc'],
  ['KR', 'Hàn Quốc'],
  ['JP', 'Nhật Bản'],
  ['US', 'Hoa Kỳ'],
  ['FR', 'Pháp'],
]);

export function labelOf(entries: readonly CatalogEntry[], code: string): string | undefined {
  const labels = labelsByCatalog.get(entries);
  if (labels) return labels.get(code);
  return entries.find((entry) => entry.code === code)?.label;
}
