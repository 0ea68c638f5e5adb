import { codeWithLabel, compact, upstreamDateTime, requireRecordFor, upstreamDate, upstreamText } from '../../src/connector-kit/index.js';
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
 * The participant the answer holds, which must be the one asked for: a
 * record for another code or personal id (or without the key asked by) is a
 * contract violation, never released.
 */
export function participantFromLookup(answer: KetQuaTraCuuNguoiThamGia | undefined, key: LookupKey): LookupOutcome {
  const record = answer?.NguoiThamGia;
  if (!record || notFoundCodes.has(upstreamText(answer?.MaKetQua) ?? '')) return { kind: 'not_found' };
  if ('socialInsuranceCode' in key) requireRecordFor(record.MaSoBHXH, key.socialInsuranceCode, 'MaSoBHXH');
  else requireRecordFor(record.SoDinhDanh, key.personalId, 'SoDinhDanh');
  return { kind: 'found', participant: participantFromRecord(record) };
}

export function participantFromRecord(record: NguoiThamGia): SocialInsuranceParticipant {
  return compact({
    socialInsuranceCode: upstreamText(record.MaSoBHXH),
    personalId: upstreamText(record.SoDinhDanh),
    fullName: upstreamText(record.HoTen),
    dateOfBirth: upstreamDate(record.NgaySinh, 'NgaySinh'),
    sex: codeWithLabel(record.GioiTinh?.Ma, record.GioiTinh?.Ten),
    participationStatus: codeWithLabel(record.TrangThaiThamGia?.Ma, record.TrangThaiThamGia?.Ten),
    healthInsuranceCard: healthInsuranceCard(record.TheBHYT),
    contributions: contributions(record.QuaTrinhThamGia),
    updatedAt: upstreamDateTime(record.NgayCapNhat, 'NgayCapNhat'),
  }) as SocialInsuranceParticipant;
}

function healthInsuranceCard(card: TheBHYT | undefined): SocialInsuranceParticipant['healthInsuranceCard'] {
  const facility = card?.NoiDangKyKCBBanDau;
  return compact({
    cardNumber: upstreamText(card?.SoThe),
    beneficiaryCategory: codeWithLabel(card?.DoiTuong?.Ma, card?.DoiTuong?.Ten),
    benefitLevel: codeWithLabel(card?.MucHuong?.Ma, card?.MucHuong?.Ten),
    validFrom: upstreamDate(card?.GiaTriTu, 'GiaTriTu', { expect: 'day' }),
    validTo: upstreamDate(card?.GiaTriDen, 'GiaTriDen', { expect: 'day' }),
    fiveConsecutiveYearsFrom: upstreamDate(card?.ThoiDiemDu5NamLienTuc, 'ThoiDiemDu5NamLienTuc', { expect: 'day' }),
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
    lastContributionPeriod: upstreamDate(history?.KyDongCuoi, 'KyDongCuoi', { expect: 'month' }),
  });
}

