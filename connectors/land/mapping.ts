import { codeWithLabel, compact, requireRecordFor, upstreamArray, upstreamDate, upstreamText } from '../../src/connector-kit/index.js';
import type { LandCertificate, LandCertificateSummary, LandEncumbrance, LandOwner, LandParcel, LandTaxNotice, LandUse } from '../../contracts/types.generated.js';
import type { ChuSuDung, GiayChungNhan, GiayChungNhanTomTat, HanChe, MucDichSuDung, ThongBaoThue, ThuaDat } from './upstream-types.js';

/**
 * Pure functions from the land database's JSON to our contracts. Empty,
 * null and missing upstream values all become absent fields; lists are
 * always arrays. Numbers with a decimal comma become numbers, dates (every
 * form the kit's upstreamDate reads) ISO dates, "code - label" strings coded
 * values. A date in no accepted form is a contract violation; whatever else
 * cannot be read is left out, and the response contract check reports the gap.
 */

export function parcelsFromSearch(records: ThuaDat[] | null | undefined): LandParcel[] {
  return upstreamArray(records).map(parcelFromThuaDat);
}

export function parcelFromThuaDat(record: ThuaDat): LandParcel {
  return compactKeepingLists({
    parcelId: upstreamText(record.MaThuaDat),
    provinceCode: upstreamText(record.MaTinh),
    communeCode: upstreamText(record.MaXa),
    communeName: upstreamText(record.TenXa),
    mapSheet: upstreamText(record.SoHieuBanDo),
    parcelNumber: upstreamText(record.SoThuTuThua),
    area: landArea(record.DienTich),
    address: upstreamText(record.DiaChiChiTiet),
    landUses: upstreamArray(record.MucDichSuDung).map(landUse).filter(isDefined),
    origin: codeAndLabelInOne(record.NguonGocSuDung),
    useForm: codeWithLabel(record.HinhThucSuDung?.Ma, record.HinhThucSuDung?.Ten),
    owners: owners(record.ChuSuDung),
    certificates: upstreamArray(record.GiayChungNhan).map(certificateSummary).filter(isDefined),
    encumbrances: upstreamArray(record.ThongTinHanChe).map(encumbrance).filter(isDefined),
    landTaxNotices: upstreamArray(record.ThongBaoThue).map(taxNotice).filter(isDefined),
    updatedOn: upstreamDate(record.NgayCapNhat, 'NgayCapNhat'),
  }) as LandParcel;
}

/** The certificate asked for: one with another serial (or none) is a contract violation, never released. */
export function certificateFromLookup(record: GiayChungNhan, serial: string): LandCertificate {
  requireRecordFor(canonicalCertificateSerial(record.SoPhatHanh), serial, 'SoPhatHanh');
  return certificateFromGiayChungNhan(record);
}

export function certificateFromGiayChungNhan(record: GiayChungNhan): LandCertificate {
  return compactKeepingLists({
    ...certificateSummary(record),
    holders: owners(record.ChuSuDung),
    parcels: parcelsFromSearch(record.ThuaDat),
  }) as LandCertificate;
}

/**
 * "152,5" → 152.5; "1.250,0" → 1250 (dots group thousands when a comma is
 * the decimal mark); "1.250" → 1250 too, since land areas are never given
 * to the thousandth of a m²; "152.5" (a dot decimal, as some exports print)
 * → 152.5.
 */
export function landArea(value: unknown): number | undefined {
  const raw = upstreamText(value)?.replace(/\s/g, '');
  if (!raw) return undefined;
  let normalized: string;
  if (raw.includes(',')) normalized = raw.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(raw)) normalized = raw.replace(/\./g, '');
  else normalized = raw;
  if (!/^\d+(\.\d+)?$/.test(normalized)) return undefined;
  return Number(normalized);
}

/** VND amounts with thousands dots: "1.250.000" → 1250000. */
export function vndAmount(value: unknown): number | undefined {
  const raw = upstreamText(value)?.replace(/[.\s]/g, '');
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** "DG - Nhà nước giao đất có thu tiền sử dụng đất" → { code: 'DG', label: ... }; a bare code stays a code. */
export function codeAndLabelInOne(value: unknown): { code: string; label?: string } | undefined {
  const raw = upstreamText(value);
  if (!raw) return undefined;
  const match = /^(\S+)\s+-\s+(.+)$/.exec(raw);
  return match ? codeWithLabel(match[1], match[2]) : codeWithLabel(raw, undefined);
}

/** "DA 123456" → "DA123456", the contract's canonical serial. */
export function canonicalCertificateSerial(value: unknown): string | undefined {
  return upstreamText(value)?.replace(/\s+/g, '').toUpperCase();
}

function landUse(record: MucDichSuDung): LandUse | undefined {
  const purpose = codeWithLabel(record.MaMucDich, record.TenMucDich);
  if (!purpose) return undefined;
  const text = upstreamText(record.ThoiHanSuDung);
  const until = upstreamDate(record.NgayHetHan, 'NgayHetHan');
  // "Lâu dài" (long-term) is worded, not coded: read it from the text when no end date is given.
  const longTerm = until === undefined && text !== undefined && /lâu dài/i.test(text.normalize('NFC'));
  const term = text !== undefined || until !== undefined ? compact({ longTerm, until, text }) : undefined;
  return compact({ purpose, area: landArea(record.DienTich), term }) as LandUse | undefined;
}

function owners(records: ChuSuDung[] | null | undefined): LandOwner[] {
  return upstreamArray(records).map(owner).filter(isDefined);
}

function owner(record: ChuSuDung): LandOwner | undefined {
  const fullName = upstreamText(record.HoTen);
  if (!fullName) return undefined;
  const documentNumber = upstreamText(record.SoChungMinh);
  const documentType = upstreamText(record.LoaiGiayTo)?.toUpperCase();
  // The document type is not always filled in: the number's length tells a CCCD (12) from a CMND (9).
  const isPersonalId = documentNumber !== undefined && (documentType === 'CCCD' || (documentType === undefined && /^\d{12}$/.test(documentNumber)));
  const isLegacyId = documentNumber !== undefined && !isPersonalId && /^(\d{9}|\d{12})$/.test(documentNumber);
  return compact({
    kind: codeWithLabel(record.LoaiChu, record.TenLoaiChu),
    fullName,
    // A full birth date where a year is expected still says the year.
    birthYear: upstreamDate(record.NamSinh, 'NamSinh')?.slice(0, 4),
    personalId: isPersonalId ? documentNumber : undefined,
    legacyIdNumber: isLegacyId ? documentNumber : undefined,
    address: upstreamText(record.DiaChi),
  }) as LandOwner;
}

function certificateSummary(record: GiayChungNhanTomTat): LandCertificateSummary | undefined {
  const serial = canonicalCertificateSerial(record.SoPhatHanh);
  if (!serial) return undefined;
  return compact({
    serial,
    registryNumber: upstreamText(record.SoVaoSo),
    issuedOn: upstreamDate(record.NgayCap, 'NgayCap'),
    issuer: upstreamText(record.CoQuanCap),
    status: codeWithLabel(record.TrangThai, record.TenTrangThai),
  }) as LandCertificateSummary;
}

function encumbrance(record: HanChe): LandEncumbrance | undefined {
  const kind = codeWithLabel(record.LoaiHanChe, record.TenLoaiHanChe);
  if (!kind) return undefined;
  const cancelledOn = upstreamDate(record.NgayXoaDangKy, 'NgayXoaDangKy');
  return compact({
    kind,
    active: cancelledOn === undefined,
    holder: upstreamText(record.BenNhanQuyen),
    contractNumber: upstreamText(record.SoHopDong),
    registeredOn: upstreamDate(record.NgayDangKy, 'NgayDangKy'),
    cancelledOn,
  }) as LandEncumbrance;
}

function taxNotice(record: ThongBaoThue): LandTaxNotice | undefined {
  const noticeNumber = upstreamText(record.SoThongBaoThue);
  if (!noticeNumber) return undefined;
  return compact({
    noticeNumber,
    ownerName: upstreamText(record.HoTenChu),
    taxType: codeAndLabelInOne(record.LoaiThue),
    taxYear: upstreamText(record.NamThue),
    amount: vndAmount(record.SoTien),
    dueDate: upstreamDate(record.HanNop, 'HanNop'),
    paymentStatus: upstreamText(record.TrangThaiNop),
  }) as LandTaxNotice;
}

/** compact() for records whose list members must stay (as empty arrays) even when empty. */
function compactKeepingLists<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
