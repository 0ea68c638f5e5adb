import {
  codeWithLabel,
  compact,
  isoDateFromDayMonthYear,
  isoDateTimeFromCompact,
  upstreamText,
  isoFullDateFromDayMonthYear,
} from '../../src/connector-kit/index.js';
import type { SocialInsuranceParticipant } from '../../contracts/types.generated.js';
import type { KetQuaTraCuuNguoiThamGia, NguoiThamGia, QuaTrinhThamGia, TheBHYT } from './upstream-types.js';

/**
 * Pure functions between the social-insurance lookup's answer and our
 * contract. Empty upstream elements become absent fields (never null or '');
 * codes keep the labels the upstream sends. Whatever cannot be mapped is left
 * out and the response contract check reports the gap as contract drift.
 */

/** MaKetQua of a lookup that found nobody (sandbox assumption, see README.md). */
const notFoundCodes = new Set(['01']);

export type LookupKey = { socialInsuranceCode: string } | { personalId: string };

export type LookupOutcome = { kind: 'found'; participant: SocialInsuranceParticipant } | { kind: 'not_found' };

/**
 * The participant the answer holds, if it is the one asked for: a record for
 * another key is treated as not found rather than released.
 */
export function participantFromLookup(answer: KetQuaTraCuuNguoiThamGia | undefined, key: LookupKey): LookupOutcome {
  const record = answer?.NguoiThamGia;
  if (!record || notFoundCodes.has(upstreamText(answer?.MaKetQua) ?? '')) return { kind: 'not_found' };
  const matches =
    'socialInsuranceCode' in key ? upstreamText(record.MaSoBHXH) === key.socialInsuranceCode : upstreamText(record.SoDinhDanh) === key.personalId;
  return matches ? { kind: 'found', participant: participantFromRecord(record) } : { kind: 'not_found' };
}

export function participantFromRecord(record: NguoiThamGia): SocialInsuranceParticipant {
  return compact({
    socialInsuranceCode: upstreamText(record.MaSoBHXH),
    personalId: upstreamText(record.SoDinhDanh),
    fullName: upstreamText(record.HoTen),
    dateOfBirth: isoDateFromDayMonthYear(record.NgaySinh),
    sex: codeWithLabel(record.GioiTinh?.Ma, record.GioiTinh?.Ten),
    participationStatus: codeWithLabel(record.TrangThaiThamGia?.Ma, record.TrangThaiThamGia?.Ten),
    healthInsuranceCard: healthInsuranceCard(record.TheBHYT),
    contributions: contributions(record.QuaTrinhThamGia),
    updatedAt: isoDateTimeFromCompact(record.NgayCapNhat),
  }) as SocialInsuranceParticipant;
}

function healthInsuranceCard(card: TheBHYT | undefined): SocialInsuranceParticipant['healthInsuranceCard'] {
  const facility = card?.NoiDangKyKCBBanDau;
  return compact({
    cardNumber: upstreamText(card?.SoThe),
    beneficiaryCategory: codeWithLabel(card?.DoiTuong?.Ma, card?.DoiTuong?.Ten),
    benefitLevel: codeWithLabel(card?.MucHuong?.Ma, card?.MucHuong?.Ten),
    validFrom: isoFullDateFromDayMonthYear(card?.GiaTriTu),
    validTo: isoFullDateFromDayMonthYear(card?.GiaTriDen),
    fiveConsecutiveYearsFrom: isoFullDateFromDayMonthYear(card?.ThoiDiemDu5NamLienTuc),
    initialCareFacility: compact({
      code: upstreamText(facility?.MaCSKCB),
      name: upstreamText(facility?.TenCSKCB),
      provinceCode: upstreamText(facility?.MaTinh),
    }),
  }) as SocialInsuranceParticipant['healthInsuranceCard'];
}

function contributions(history: QuaTrinhThamGia | undefined): SocialInsuranceParticipant['contributions'] {
  const months = upstreamText(history?.TongSoThangDong);
  // An empty DonViThamGia parses as '' (or {}): nobody pays for the person now.
  const unit = typeof history?.DonViThamGia === 'object' ? history.DonViThamGia : undefined;
  return compact({
    monthsContributed: months !== undefined && /^\d+$/.test(months) ? Number(months) : undefined,
    employer: compact({
      unitCode: upstreamText(unit?.MaDonVi),
      name: upstreamText(unit?.TenDonVi),
      taxCode: upstreamText(unit?.MaSoThue),
    }),
    lastContributionPeriod: yearMonth(history?.KyDongCuoi),
  });
}


/** MM/yyyy → YYYY-MM. */
function yearMonth(value: unknown): string | undefined {
  const date = isoDateFromDayMonthYear(value);
  return date?.length === 7 ? date : undefined;
}
