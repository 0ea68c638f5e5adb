import { renderXmlElement, type XmlFields } from '../../../simulators/kit/xml.js';
import { bhxhNamespace, type LookupResult } from './operations.js';
import { benefitLevels, beneficiaryCategories, birthDateText, dayMonthYear, type SeededParticipant } from './seed.js';

/**
 * The SOAP body of a lookup answer, `bhxh:KetQuaTraCuuNguoiThamGia`, with the
 * quirks a client must survive: every coded value as `{Ma, Ten}`, dates as
 * dd/MM/yyyy (00 for an unknown day or month) and yyyyMMddHHmmss, upper-case
 * names (legacy ones without diacritics), and empty elements (an unlinked
 * SoDinhDanh, a voluntary participant's DonViThamGia, a card not yet five
 * years continuous) distinct from missing ones (no TheBHYT, no
 * QuaTrinhThamGia for someone who never contributed).
 */

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

export function participantRecord(participant: SeededParticipant): XmlFields {
  const { person, card, contributions } = participant;
  const category = card && beneficiaryCategories[card.category];
  return {
    MaSoBHXH: participant.socialInsuranceCode,
    SoDinhDanh: participant.linkedToPersonalId ? person.personalId : '',
    HoTen: participant.recordedName,
    NgaySinh: birthDateText(person.birthDate),
    GioiTinh: person.sex === 'male' ? { Ma: '1', Ten: 'Nam' } : { Ma: '2', Ten: 'Nữ' },
    TrangThaiThamGia: { Ma: participant.status[0], Ten: participant.status[1] },
    TheBHYT:
      card && category
        ? {
            SoThe: `${card.category}${category.level}${card.issuingProvinceCode}${participant.socialInsuranceCode}`,
            DoiTuong: { Ma: card.category, Ten: category.label },
            MucHuong: { Ma: category.level, Ten: benefitLevels[category.level] ?? '' },
            GiaTriTu: dayMonthYear(card.validFrom),
            GiaTriDen: dayMonthYear(card.validTo),
            ThoiDiemDu5NamLienTuc: card.fiveConsecutiveYearsFrom ? dayMonthYear(card.fiveConsecutiveYearsFrom) : '',
            NoiDangKyKCBBanDau: { MaCSKCB: card.facility.code, TenCSKCB: card.facility.name, MaTinh: card.facility.provinceCode },
          }
        : undefined,
    QuaTrinhThamGia: contributions && {
      TongSoThangDong: String(contributions.months),
      DonViThamGia: contributions.unit ? { MaDonVi: contributions.unit.unitCode, TenDonVi: contributions.unit.name, MaSoThue: contributions.unit.taxCode } : '',
      KyDongCuoi: `${pad(contributions.lastPeriod.month)}/${contributions.lastPeriod.year}`,
    },
    NgayCapNhat: participant.updatedAt,
  };
}

export function renderLookup(lookup: LookupResult): string {
  const content: XmlFields = {
    MaYeuCau: lookup.requestId,
    MaKetQua: lookup.result.code,
    MoTaKetQua: lookup.result.description,
    NguoiThamGia: lookup.participant && participantRecord(lookup.participant),
  };
  return `\n${renderXmlElement('KetQuaTraCuuNguoiThamGia', content, { prefix: 'bhxh', rootAttributes: { 'xmlns:bhxh': bhxhNamespace } })}\n`;
}
