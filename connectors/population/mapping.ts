import { bloodGroupCodes, ethnicityCodes, householdRelationCodes, labelOf, maritalStatusCodes, nationalityCodes, religionCodes, sexCodes, type CatalogEntry, UpstreamError, compact, requireRecordFor, upstreamArray, upstreamBoolean, upstreamDate, upstreamText as text } from '../../src/connector-kit/index.js';
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

/**
 * The citizen asked for, or not found. The answer to a lookup by id must be
 * that id's record: one record for another person (or without its id) is a
 * contract violation and is never released; among several, the one with the
 * id is taken and the others are ignored.
 */
export function citizenFromLookup(collection: CongdanCollection | undefined, personalId: string): LookupOutcome {
  const records = upstreamArray(collection?.CongDan);
  if (records.length === 0 || notFoundCodes.has(text(collection?.MaKetQua) ?? '')) return { kind: 'not_found' };
  const record = records.find((candidate) => text(candidate.SoDinhDanh) === personalId);
  if (!record) {
    if (records.length === 1) requireRecordFor(records[0]!.SoDinhDanh, personalId, 'SoDinhDanh');
    throw new UpstreamError('contract', 'none of the records carries the SoDinhDanh asked for');
  }
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

/**
 * Our verify request → the upstream's claim elements. A birth date the caller
 * did not give is left out (never an empty or placeholder element); a partial
 * one goes as far as it is known (yyyyMMdd, yyyyMM, or the year in Nam).
 */
export function verificationClaim(request: CitizenVerificationRequest): {
  SoDinhDanh: string;
  HoVaTen: string;
  NgayThangNamSinh?: NgayThangNamSinh;
  GioiTinh?: string;
} {
  return {
    SoDinhDanh: request.personalId,
    HoVaTen: request.fullName,
    ...(request.dateOfBirth !== undefined && { NgayThangNamSinh: claimedBirthDate(request.dateOfBirth) }),
    ...(request.sex ? { GioiTinh: request.sex === 'male' ? '1' : '2' } : {}),
  };
}

function claimedBirthDate(isoDate: string): NgayThangNamSinh {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return month === '' ? { Nam: year } : { Nam: year, NgayThangNam: `${year}${month}${day}` };
}

type Match = boolean | null;

/**
 * What the upstream confirmed about the attributes the caller gave, and only
 * those (the contract releases match results, nothing of the record).
 *
 * TonTai, the one documented element, answers for the whole combination:
 * true confirms the id together with every attribute sent (each is true);
 * false says only that this combination does not match, so no attribute is
 * claimed to differ (each is null) and whether the id exists is unknown
 * (null). When the upstream also sends per-field flags (KetQuaKhop, our
 * sandbox's assumption), they are reported as sent: a flag left out is null,
 * not false. The sandbox's assumed "not found" result code (01) says the id
 * does not exist: then nothing matches.
 */
export function verificationResult(answer: KetQuaXacThuc | undefined, request: CitizenVerificationRequest): CitizenVerificationResult {
  const confirmed = upstreamBoolean(answer?.TonTai);
  if (confirmed === undefined) throw new UpstreamError('contract', 'verification answer without a readable TonTai');
  const asked = askedAttributes(request);
  const flags = answer?.KetQuaKhop && typeof answer.KetQuaKhop === 'object' ? answer.KetQuaKhop : undefined;
  const perField = flags !== undefined && Object.values(flags).some((flag) => upstreamBoolean(flag) !== undefined);
  if (perField) {
    const matches = matchesOf(asked, (attribute) => (confirmed ? true : (upstreamBoolean(flags[upstreamFieldOf[attribute]]) ?? null)));
    return { exists: true, allMatch: confirmed, basis: 'per-field', matches };
  }
  if (confirmed) return { exists: true, allMatch: true, basis: 'combined', matches: matchesOf(asked, () => true) };
  if (notFoundCodes.has(text(answer?.MaKetQua) ?? '')) return { exists: false, allMatch: false, basis: 'combined', matches: matchesOf(asked, () => false) };
  return { exists: null, allMatch: false, basis: 'combined', matches: matchesOf(asked, () => null) };
}

type Attribute = keyof CitizenVerificationResult['matches'];

const upstreamFieldOf = { fullName: 'HoVaTen', dateOfBirth: 'NgayThangNamSinh', sex: 'GioiTinh' } as const satisfies Record<Attribute, string>;

function askedAttributes(request: CitizenVerificationRequest): Attribute[] {
  return (['fullName', 'dateOfBirth', 'sex'] as const).filter((attribute) => request[attribute] !== undefined);
}

function matchesOf(asked: Attribute[], match: (attribute: Attribute) => Match): CitizenVerificationResult['matches'] {
  return Object.fromEntries(asked.map((attribute) => [attribute, match(attribute)]));
}

/**
 * NgayThangNam (yyyyMMdd, yyyyMM, or any form the kit's date reader accepts)
 * at its precision; otherwise the year alone (Nam). An unreadable date is a
 * contract violation, not a missing birth date.
 */
export function partialDate(value: NgayThangNamSinh | undefined): string | undefined {
  return upstreamDate(value?.NgayThangNam, 'NgayThangNam') ?? upstreamDate(value?.Nam, 'Nam', { expect: 'year' });
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
