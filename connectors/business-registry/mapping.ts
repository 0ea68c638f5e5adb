import { codeWithLabel, compact, upstreamDateTime, requireRecordFor, upstreamArray, upstreamDate, upstreamText, upstreamWholeNumber } from '../../src/connector-kit/index.js';
import type { RegisteredBusiness } from '../../contracts/types.generated.js';
import type { DiaChi, DoanhNghiep, HoKinhDoanh, HopTacXa, NganhNghe, NguoiDaiDien, ProxyEnvelope, TinhTrangPhapLy } from './upstream-types.js';

/**
 * Pure functions between the registry's JSON (through the provincial proxy)
 * and our contract. Empty strings, nulls and missing fields all become
 * absent fields; codes keep their labels; dates become ISO. Whatever cannot
 * be mapped is left out and the response contract check reports the gap.
 */

export type EnvelopeOutcome<Body> = { kind: 'record'; record: Body } | { kind: 'not_found' } | { kind: 'error'; code: string };

/** error_code 0 with data: a record; 1 (or 0 without data): nothing registered; anything else: the registry failed. */
export function readEnvelope<Body>(envelope: ProxyEnvelope<Body> | undefined): EnvelopeOutcome<Body> {
  const code = upstreamText(envelope?.error_code) ?? '';
  if (code === '0') return envelope?.data ? { kind: 'record', record: envelope.data } : { kind: 'not_found' };
  if (code === '1') return { kind: 'not_found' };
  return { kind: 'error', code: code || 'missing error_code' };
}

/**
 * The business asked for: each register keys its record by the code asked
 * for (MaSoDoanhNghiep, MaSoHTX, MaSoThue, all mapped to enterpriseCode); a
 * record for another code, or without one, is a contract violation, never
 * released.
 */
export function businessFor(code: string, business: RegisteredBusiness): RegisteredBusiness {
  requireRecordFor(business.enterpriseCode, code, 'enterprise code (MaSoDoanhNghiep / MaSoHTX / MaSoThue)');
  return business;
}

export function businessFromDoanhNghiep(record: DoanhNghiep): RegisteredBusiness {
  const headUnitCode = text(record.MaSoDNChuQuan);
  return compact({
    enterpriseCode: text(record.MaSoDoanhNghiep),
    kind: headUnitCode || /-\d{3}$/.test(text(record.MaSoDoanhNghiep) ?? '') ? 'branch' : 'enterprise',
    registrationNumber: text(record.SoGCNDKKD),
    legalForm: codeWithLabel(record.MaLoaiHinhDN, record.LoaiHinhDN),
    name: text(record.TenTiengViet),
    foreignName: text(record.TenNuocNgoai),
    shortName: text(record.TenVietTat),
    headUnitCode,
    ...registration(record),
    legalRepresentatives: upstreamArray(record.DaiDienPhapLuat).flatMap(representative),
    headOffice: address(record.DiaChiTruSo),
  }) as RegisteredBusiness;
}

export function businessFromHopTacXa(record: HopTacXa): RegisteredBusiness {
  return compact({
    enterpriseCode: text(record.MaSoHTX),
    kind: 'cooperative',
    registrationNumber: text(record.SoGCNDKHTX),
    name: text(record.TenTiengViet),
    shortName: text(record.TenVietTat),
    ...registration(record),
    legalRepresentatives: upstreamArray(record.DaiDienPhapLuat).flatMap(representative),
    headOffice: address(record.DiaChiTruSo),
  }) as RegisteredBusiness;
}

export function businessFromHoKinhDoanh(record: HoKinhDoanh): RegisteredBusiness {
  return compact({
    enterpriseCode: text(record.MaSoThue),
    kind: 'household-business',
    registrationNumber: text(record.SoGCNDKHKD),
    name: text(record.TenHoKinhDoanh),
    ...registration(record),
    // The owner is the household business's legal representative.
    legalRepresentatives: record.ChuHoKinhDoanh ? representative(record.ChuHoKinhDoanh) : [],
    headOffice: address(record.DiaDiemKinhDoanh),
  }) as RegisteredBusiness;
}

function registration(record: DoanhNghiep | HopTacXa | HoKinhDoanh): Partial<RegisteredBusiness> {
  return {
    firstRegisteredOn: fullDate(record.NgayDangKyLanDau, 'NgayDangKyLanDau'),
    lastChangedAt: upstreamDateTime(record.NgayDangKyThayDoi, 'NgayDangKyThayDoi'),
    changeCount: upstreamWholeNumber(record.SoLanDangKyThayDoi),
    legalStatus: legalStatus(upstreamArray(record.TinhTrangPhapLy)[0]),
    businessLines: upstreamArray(record.NganhNgheKinhDoanh).map(businessLine),
    capital: upstreamWholeNumber(record.VonDieuLe),
  };
}

function legalStatus(status: TinhTrangPhapLy | undefined): RegisteredBusiness['legalStatus'] | undefined {
  const coded = codeWithLabel(status?.MaTinhTrangPhapLy, status?.TinhTrangPhapLy);
  return coded && compact({
    ...coded,
    suspendedFrom: fullDate(status?.NgayBatDauTamNgung, 'NgayBatDauTamNgung'),
    suspendedUntil: fullDate(status?.NgayKetThucTamNgung, 'NgayKetThucTamNgung'),
    suspensionReason: text(status?.LyDoTamNgung),
  });
}

function representative(person: NguoiDaiDien): RegisteredBusiness['legalRepresentatives'] {
  const fullName = text(person.HoVaTen);
  if (!fullName) return [];
  const type = text(person.LoaiGiayToChungThuc);
  const number = text(person.SoGiayChungThuc);
  return [
    compact({
      fullName,
      idDocument: type && number ? compact({ type, number, issuedOn: fullDate(person.NgayCap, 'NgayCap'), issuedBy: text(person.NoiCap) }) : undefined,
      nationality: text(person.QuocTich),
    })!,
  ];
}

function address(value: DiaChi | null | undefined): RegisteredBusiness['headOffice'] {
  return compact({
    provinceCode: text(value?.MaTinhThanh),
    provinceName: text(value?.TenTinhThanh),
    communeCode: text(value?.MaPhuongXa),
    communeName: text(value?.TenPhuongXa),
    street: text(value?.SoNhaDuong),
    detail: text(value?.DiaChiDayDu),
  });
}

function businessLine(line: NganhNghe): NonNullable<RegisteredBusiness['businessLines']>[number] {
  return compact({ code: text(line.MaNganh), name: text(line.TenNganh), main: flag(line.LaNganhChinh) }) as NonNullable<RegisteredBusiness['businessLines']>[number];
}

/** "1"/1/true/"true" → true; "0"/0/false/"" → false (an unmarked line is not the main one). */
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** The contract types these as full dates: a partial one is a contract violation too. */
function fullDate(value: unknown, element: string): string | undefined {
  return upstreamDate(value, element, { expect: 'day' });
}

function text(value: unknown): string | undefined {
  return upstreamText(value);
}

