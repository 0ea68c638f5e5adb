import {
  bloodGroupCodes,
  ethnicityCodes,
  householdRelationCodes,
  labelOf,
  maritalStatusCodes,
  nationalityCodes,
  religionCodes,
  sexCodes,
  type CatalogEntry,
} from '../../src/connector-kit/index.js';
import { compact, upstreamArray, upstreamText as text } from '../../src/connector-kit/index.js';
import type { Address, Citizen, CitizenVerificationRequest, CitizenVerificationResult, CodedValue, Relative } from '../../contracts/types.generated.js';
import type { CongDan, CongdanCollection, DiaChi, KetQuaXacThuc, NguoiThan, NgayThangNamSinh } from './upstream-types.js';

/**
 * Pure functions between the population database's records and our
 * contracts. Empty upstream elements become absent fields (never null or
 * ''); codes keep their labels. Whatever cannot be mapped is left out and
 * the response contract check reports the gap as contract drift.
 */

/** MaKetQua of a lookup that found nothing (sandbox assumption, see README.md). */
const notFoundCodes = new Set(['01']);

export type LookupOutcome = { kind: 'found'; citizen: Citizen } | { kind: 'not_found' };

export function citizenFromLookup(collection: CongdanCollection | undefined, personalId: string): LookupOutcome {
  const records = upstreamArray(collection?.CongDan);
  const record = records.find((candidate) => text(candidate.SoDinhDanh) === personalId) ?? (records.length === 1 ? records[0] : undefined);
  if (!record || notFoundCodes.has(text(collection?.MaKetQua) ?? '')) return { kind: 'not_found' };
  return { kind: 'found', citizen: citizenFromCongDan(record) };
}

export function citizenFromCongDan(record: CongDan): Citizen {
  const familyName = text(record.HoVaTen?.Ho);
  const middleName = text(record.HoVaTen?.ChuDem);
  const givenName = text(record.HoVaTen?.Ten);
  return compact({
    personalId: text(record.SoDinhDanh),
    legacyIdNumber: text(record.SoCMND),
    fullName: [familyName, middleName, givenName].filter(Boolean).join(' ') || undefined,
    nameParts: compact({ familyName, middleName, givenName }),
    sex: coded(record.GioiTinh, sexCodes),
    dateOfBirth: partialDate(record.NgayThangNamSinh),
    ethnicity: coded(record.DanToc, ethnicityCodes),
    religion: coded(record.TonGiao, religionCodes),
    maritalStatus: coded(record.TinhTrangHonNhan, maritalStatusCodes),
    // '00' means the blood group was never recorded: no information, not a value.
    bloodType: text(record.NhomMau) === '00' ? undefined : coded(record.NhomMau, bloodGroupCodes),
    nationality: coded(record.QuocTich, nationalityCodes),
    householdBookNumber: text(record.SoSoHoKhau),
    birthRegistrationPlace: address(record.NoiDangKyKhaiSinh),
    hometown: address(record.QueQuan),
    permanentResidence: address(record.ThuongTru),
    currentResidence: address(record.NoiOHienTai),
    father: relative(record.Cha),
    mother: relative(record.Me),
    spouse: relative(record.VoChong),
    representative: relative(record.NguoiDaiDien),
    householdHead: compact({
      relationship: coded(record.ChuHo?.QuanHe, householdRelationCodes),
      personalId: text(record.ChuHo?.SoDinhDanh),
      fullName: text(record.ChuHo?.HoVaTen),
    }),
  }) as Citizen;
}

/** Our verify request → the upstream's claim elements. */
export function verificationClaim(request: CitizenVerificationRequest): {
  SoDinhDanh: string;
  HoVaTen: string;
  NgayThangNamSinh: NgayThangNamSinh;
  GioiTinh?: string;
} {
  const [year = '', month = '', day = ''] = request.dateOfBirth.split('-');
  return {
    SoDinhDanh: request.personalId,
    HoVaTen: request.fullName,
    NgayThangNamSinh: { Nam: year, NgayThangNam: `${year}${month}${day}` === year ? '' : `${year}${month}${day}` },
    ...(request.sex ? { GioiTinh: request.sex === 'male' ? '1' : '2' } : {}),
  };
}

/** Only the attributes the caller asked about are reported: the contract releases booleans, nothing else. */
export function verificationResult(answer: KetQuaXacThuc | undefined, request: CitizenVerificationRequest): CitizenVerificationResult {
  const flags = answer?.KetQuaKhop;
  const exists = flags !== undefined || bool(answer?.TonTai);
  const matches: CitizenVerificationResult['matches'] = {};
  matches.fullName = exists && bool(flags?.HoVaTen);
  matches.dateOfBirth = exists && bool(flags?.NgayThangNamSinh);
  if (request.sex !== undefined) matches.sex = exists && bool(flags?.GioiTinh);
  return { exists, allMatch: exists && Object.values(matches).every(Boolean), matches };
}

/** yyyyMMdd → YYYY-MM-DD, yyyyMM → YYYY-MM, otherwise the year alone (Nam). */
export function partialDate(value: NgayThangNamSinh | undefined): string | undefined {
  const digits = text(value?.NgayThangNam);
  if (digits && /^\d{8}$/.test(digits)) return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (digits && /^\d{6}$/.test(digits)) return `${digits.slice(0, 4)}-${digits.slice(4, 6)}`;
  const year = text(value?.Nam);
  return year && /^\d{4}$/.test(year) ? year : undefined;
}

function address(value: DiaChi | undefined): Address | undefined {
  return compact({
    provinceCode: text(value?.MaTinhThanh),
    districtCode: text(value?.MaQuanHuyen),
    communeCode: text(value?.MaPhuongXa),
    detail: text(value?.ChiTiet),
    country: text(value?.QuocGia),
  });
}

function relative(value: NguoiThan | undefined): Relative | undefined {
  return compact({
    fullName: text(value?.HoVaTen),
    personalId: text(value?.SoDinhDanh),
    legacyIdNumber: text(value?.SoCMND),
    nationality: text(value?.QuocTich),
  });
}

function coded(value: unknown, codeList: readonly CatalogEntry[]): CodedValue | undefined {
  const code = text(value);
  if (!code) return undefined;
  const label = labelOf(codeList, code);
  return label ? { code, label } : { code };
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}
