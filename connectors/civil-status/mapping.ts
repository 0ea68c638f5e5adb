import { codeWithLabel, compact, ethnicityCodes, labelOf, nationalityCodes, sexCodes, UpstreamError, upstreamDate, upstreamText } from '../../src/connector-kit/index.js';
import type { BirthRegistration, CivilRegistration, Declarant, DeathRegistration, MarriageRegistration, RecordedPerson } from '../../contracts/types.generated.js';
import type { RegistrationKey } from './client.js';
import { identityDocumentTypes, type DangKyHoTich, type KetHon, type KhaiSinh, type KhaiTu } from './upstream-types.js';

/**
 * Pure functions from the civil-status database's JSON to our contracts.
 * Empty, null and missing values become absent fields; dd/MM/yyyy dates
 * (with 00 for what an old book does not know) ISO dates at their precision;
 * codes keep their labels. A record for another key than the one asked for
 * is a contract violation, never released.
 */

export function birthFromKhaiSinh(record: KhaiSinh): BirthRegistration {
  return compact({
    registration: registrationOf(record),
    child: required(recordedPerson({ fullName: record.nksHoTen, sex: record.nksGioiTinh, birthDate: record.nksNgaySinh, ethnicity: record.nksDanToc, nationality: record.nksQuocTich, personalId: record.nksSoDinhDanh }, 'nks'), 'nksHoTen'),
    birthPlace: upstreamText(record.nksNoiSinh),
    hometown: upstreamText(record.nksQueQuan),
    mother: recordedPerson({ fullName: record.meHoTen, birthDate: record.meNgaySinh, ethnicity: record.meDanToc, nationality: record.meQuocTich, residence: record.meNoiCuTru, documentType: record.meLoaiGiayToTuyThan, documentNumber: record.meSoGiayToTuyThan }, 'me'),
    father: recordedPerson({ fullName: record.chaHoTen, birthDate: record.chaNgaySinh, ethnicity: record.chaDanToc, nationality: record.chaQuocTich, residence: record.chaNoiCuTru, documentType: record.chaLoaiGiayToTuyThan, documentNumber: record.chaSoGiayToTuyThan }, 'cha'),
    declarant: declarantOf(record.nycHoTen, record.nycQuanHe),
  }) as BirthRegistration;
}

export function marriageFromKetHon(record: KetHon): MarriageRegistration {
  const status = upstreamText(record.tinhTrangKetHon);
  return compact({
    registration: registrationOf(record),
    husband: required(recordedPerson({ fullName: record.chongHoTen, birthDate: record.chongNgaySinh, ethnicity: record.chongDanToc, nationality: record.chongQuocTich, residence: record.chongNoiCuTru, documentType: record.chongLoaiGiayToTuyThan, documentNumber: record.chongSoGiayToTuyThan }, 'chong'), 'chongHoTen'),
    wife: required(recordedPerson({ fullName: record.voHoTen, birthDate: record.voNgaySinh, ethnicity: record.voDanToc, nationality: record.voQuocTich, residence: record.voNoiCuTru, documentType: record.voLoaiGiayToTuyThan, documentNumber: record.voSoGiayToTuyThan }, 'vo'), 'voHoTen'),
    status: status ? codeWithLabel(status, marriageStatusLabels[status]) : undefined,
    dissolvedOn: upstreamDate(record.ngayGhiChuLyHon, 'ngayGhiChuLyHon'),
  }) as MarriageRegistration;
}

export function deathFromKhaiTu(record: KhaiTu): DeathRegistration {
  const time = upstreamText(record.nktGioPhutChet);
  if (time !== undefined && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(time)) throw new UpstreamError('contract', 'nktGioPhutChet: not an HH:mm time');
  return compact({
    registration: registrationOf(record),
    deceased: required(
      recordedPerson({ fullName: record.nktHoTen, sex: record.nktGioiTinh, birthDate: record.nktNgaySinh, ethnicity: record.nktDanToc, nationality: record.nktQuocTich, residence: record.nktNoiCuTru, documentType: record.nktLoaiGiayToTuyThan, documentNumber: record.nktSoGiayToTuyThan }, 'nkt'),
      'nktHoTen',
    ),
    diedOn: upstreamDate(record.nktNgayChet, 'nktNgayChet'),
    timeOfDeath: time,
    placeOfDeath: upstreamText(record.nktNoiChet),
    cause: upstreamText(record.nktNguyenNhanChet),
    declarant: declarantOf(record.nycHoTen, record.nycQuanHe),
  }) as DeathRegistration;
}

/** The record asked for by its key: one with another authority, book or number (or none) is a contract violation. */
export function requireRegistrationKey(record: DangKyHoTich, key: RegistrationKey): void {
  const same = upstreamText(record.noiDangKy) === key.authorityCode && upstreamText(record.quyenSo) === key.book && Number(upstreamText(record.so)) === Number(key.number);
  if (!same) throw new UpstreamError('contract', 'the record is not the registration asked for (noiDangKy, quyenSo, so)');
}

/** A record found by personal id must name that person in the role asked for. */
export function requirePersonalId(recordIds: ReadonlyArray<string | null | undefined>, personalId: string, element: string): void {
  if (!recordIds.some((id) => upstreamText(id) === personalId)) throw new UpstreamError('contract', `the record's ${element} is not the person asked for`);
}

const marriageStatusLabels: Record<string, string> = { '1': 'Đang có hiệu lực', '2': 'Đã chấm dứt (ly hôn)' };

function registrationOf(record: DangKyHoTich): CivilRegistration {
  const authorityCode = upstreamText(record.noiDangKy);
  const book = upstreamText(record.quyenSo);
  const number = upstreamText(record.so);
  // Without its key a record cannot be cited, nor shown to be the one asked for.
  if (!authorityCode || !book || !number) throw new UpstreamError('contract', 'a civil-status record without noiDangKy, quyenSo or so');
  const type = upstreamText(record.loaiDangKy);
  return compact({
    authority: compact({ code: authorityCode, name: upstreamText(record.tenNoiDangKy) })!,
    book,
    number: /^[0-9]+$/.test(number) ? String(Number(number)) : number,
    page: upstreamText(record.trangSo),
    registeredOn: upstreamDate(record.ngayDangKy, 'ngayDangKy'),
    type: type ? codeWithLabel(type, upstreamText(record.tenLoaiDangKy)) : undefined,
    signedBy: upstreamText(record.chucVuNguoiKy),
    note: upstreamText(record.ghiChu),
  }) as CivilRegistration;
}

interface PersonFields {
  fullName?: string | null;
  sex?: string | null;
  birthDate?: string | null;
  ethnicity?: string | null;
  nationality?: string | null;
  residence?: string | null;
  documentType?: string | null;
  documentNumber?: string | null;
  /** A personal id the record carries on its own (the child's nksSoDinhDanh), without a document type. */
  personalId?: string | null;
}

function person(fields: PersonFields, prefix: string): Omit<RecordedPerson, 'fullName'> & { fullName?: string } {
  const sex = upstreamText(fields.sex);
  const ethnicity = upstreamText(fields.ethnicity);
  const nationality = upstreamText(fields.nationality);
  return {
    fullName: upstreamText(fields.fullName),
    sex: sex ? codeWithLabel(sex, labelOf(sexCodes, sex)) : undefined,
    birthDate: upstreamDate(fields.birthDate, `${prefix}NgaySinh`),
    ethnicity: ethnicity ? codeWithLabel(ethnicity, labelOf(ethnicityCodes, ethnicity)) : undefined,
    nationality: nationality ? codeWithLabel(nationality, labelOf(nationalityCodes, nationality)) : undefined,
    residence: upstreamText(fields.residence),
    ...documentOf(fields.documentType, fields.documentNumber),
    ...(personalIdOf(fields.personalId) && { personalId: personalIdOf(fields.personalId) }),
  };
}

/** A person the record names; none when it has no name (a parent the register leaves blank). */
function recordedPerson(fields: PersonFields, prefix: string): RecordedPerson | undefined {
  const mapped = compact(person(fields, prefix));
  return mapped?.fullName ? (mapped as RecordedPerson) : undefined;
}

function required<T>(value: T | undefined, element: string): T {
  if (value === undefined) throw new UpstreamError('contract', `a civil-status record without ${element}`);
  return value;
}

/** The identity document as our fields: a personal id, or an old CMND; other documents (passports) are not released. */
function documentOf(type: string | null | undefined, number: string | null | undefined): { personalId?: string; legacyIdNumber?: string } {
  const text = upstreamText(number);
  if (!text) return {};
  const kind = upstreamText(type);
  if (kind === identityDocumentTypes.personalId && /^[0-9]{12}$/.test(text)) return { personalId: text };
  if (kind === identityDocumentTypes.oldIdCard && /^([0-9]{9}|[0-9]{12})$/.test(text)) return { legacyIdNumber: text };
  return {};
}

function personalIdOf(value: string | null | undefined): string | undefined {
  const text = upstreamText(value);
  return text && /^[0-9]{12}$/.test(text) ? text : undefined;
}

function declarantOf(name: string | null | undefined, relationship: string | null | undefined): Declarant | undefined {
  const fullName = upstreamText(name);
  return fullName ? (compact({ fullName, relationship: upstreamText(relationship) }) as Declarant) : undefined;
}
