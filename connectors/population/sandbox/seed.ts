import { loadAdministrativeUnits2025 } from '../../../simulators/kit/administrative-units.js';
import { findHistoricDistrict, findHistoricProvince } from '../../../simulators/kit/historic-admin-units.js';
import {
  findPersonById,
  type CurrentAddress,
  type HistoricAddress,
  type HouseholdRelation,
  type MaritalStatus,
  type PartialDate,
  type RelativeRef,
  type SeededPerson,
} from '../../../simulators/kit/people.js';
import { recordedFullName, recordedNameParts } from '../../../simulators/kit/recorded-names.js';

/**
 * The shared seeded people as the national population database holds them:
 * a `CongDan` record per person, with that upstream's field names, codes and
 * data-quality quirks. Values are strings; '' renders an empty element and
 * undefined leaves the element out — both happen upstream and mean different
 * things to a careful client.
 */

export interface TenRecord {
  Ho: string;
  ChuDem: string;
  Ten: string;
}

export interface DiaChiRecord {
  MaTinhThanh: string;
  MaQuanHuyen: string;
  MaPhuongXa: string;
  ChiTiet: string;
  QuocGia: string;
}

export interface NguoiThanRecord {
  HoVaTen: string;
  QuocTich: string;
  SoDinhDanh: string;
  SoCMND: string;
}

/** Member order is element order on the wire (as in a real recorded response). */
export interface CongDanRecord {
  SoDinhDanh: string;
  SoCMND: string;
  HoVaTen: TenRecord;
  GioiTinh: string;
  DanToc: string;
  TonGiao: string;
  TinhTrangHonNhan: string;
  NhomMau: string;
  NgayThangNamSinh: { Nam: string; NgayThangNam: string };
  NoiDangKyKhaiSinh: DiaChiRecord;
  QuocTich: string;
  QueQuan: DiaChiRecord;
  ThuongTru: DiaChiRecord;
  NoiOHienTai: DiaChiRecord;
  Cha?: NguoiThanRecord;
  Me?: NguoiThanRecord;
  VoChong?: NguoiThanRecord;
  NguoiDaiDien?: NguoiThanRecord;
  ChuHo: { QuanHe: string; SoDinhDanh: string; SoCMND: string; HoVaTen: string };
  SoSoHoKhau: string;
}

const maritalStatusCode: Record<MaritalStatus, string> = { single: '1', married: '2', divorced: '3', widowed: '4' };
const bloodGroupCode = { A: '01', B: '02', AB: '03', O: '04' } as const;
const householdRelationCode: Record<HouseholdRelation, string> = {
  head: '01',
  wife: '02',
  husband: '03',
  child: '04',
  father: '05',
  mother: '06',
};

export function recordedName(person: SeededPerson): TenRecord {
  const { family, middle, given } = recordedNameParts(person);
  return { Ho: family, ChuDem: middle, Ten: given };
}

function birthDateRecord(date: PartialDate): CongDanRecord['NgayThangNamSinh'] {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const yearMonth = date.month === undefined ? '' : `${date.year}${pad(date.month)}`;
  return {
    Nam: String(date.year),
    NgayThangNam: date.day === undefined ? yearMonth : `${yearMonth}${pad(date.day)}`,
  };
}

function historicAddressRecord(address: HistoricAddress): DiaChiRecord {
  const province = findHistoricProvince(address.provinceCode);
  const district = address.districtCode ? findHistoricDistrict(address.provinceCode) : undefined;
  const ward = address.communeCode && district?.ward?.code === address.communeCode ? district.ward : undefined;
  const detail = [ward?.fullName, district?.fullName, province?.fullName].filter((part) => part !== undefined).join(', ');
  return {
    MaTinhThanh: address.provinceCode,
    MaQuanHuyen: address.districtCode ?? '',
    MaPhuongXa: address.communeCode ?? '',
    // Old records print the place in capitals, e.g. "XÃ LŨNG HOÀ, HUYỆN VĨNH TƯỜNG, TỈNH VĨNH PHÚC".
    ChiTiet: detail.toLocaleUpperCase('vi'),
    QuocGia: address.country,
  };
}

let communeNames: Map<string, { commune: string; province: string }> | undefined;

function currentAddressRecord(address: CurrentAddress): DiaChiRecord {
  communeNames ??= new Map(
    loadAdministrativeUnits2025().flatMap((province) =>
      province.communes.map((commune) => [commune.code, { commune: commune.fullName, province: province.fullName }] as const),
    ),
  );
  const names = communeNames.get(address.communeCode);
  return {
    MaTinhThanh: address.provinceCode,
    // Two-level units since 1 July 2025: the district element stays, empty.
    MaQuanHuyen: '',
    MaPhuongXa: address.communeCode,
    ChiTiet: [address.street, names?.commune, names?.province].filter((part) => part !== undefined).join(', '),
    QuocGia: address.country,
  };
}

const emptyAddress: DiaChiRecord = { MaTinhThanh: '', MaQuanHuyen: '', MaPhuongXa: '', ChiTiet: '', QuocGia: '' };

function relativeRecord(relative: RelativeRef | undefined): NguoiThanRecord | undefined {
  if (!relative) return undefined;
  const seeded = relative.personalId ? findPersonById(relative.personalId) : undefined;
  return {
    HoVaTen: seeded ? recordedFullName(seeded) : relative.fullName,
    QuocTich: 'VN',
    SoDinhDanh: relative.personalId ?? '',
    SoCMND: relative.oldIdCardNumber ?? '',
  };
}

export function toCongDanRecord(person: SeededPerson): CongDanRecord {
  const head = findPersonById(person.household.headId);
  if (!head) throw new Error('seeded household head missing');
  const sparse = person.sparseRecord;
  return {
    SoDinhDanh: person.personalId,
    SoCMND: person.oldIdCardNumber ?? '',
    HoVaTen: recordedName(person),
    GioiTinh: person.sex === 'male' ? '1' : '2',
    DanToc: person.ethnicityCode,
    TonGiao: person.religionCode,
    TinhTrangHonNhan: maritalStatusCode[person.maritalStatus],
    NhomMau: sparse || !person.bloodGroup ? '00' : bloodGroupCode[person.bloodGroup],
    NgayThangNamSinh: birthDateRecord(person.birthDate),
    NoiDangKyKhaiSinh: historicAddressRecord(person.birthRegistration),
    QuocTich: sparse ? '' : person.nationality,
    QueQuan: historicAddressRecord(person.hometown),
    ThuongTru: currentAddressRecord(person.permanentAddress),
    NoiOHienTai: sparse ? emptyAddress : currentAddressRecord(person.currentAddress),
    Cha: relativeRecord(person.father),
    Me: relativeRecord(person.mother),
    VoChong: relativeRecord(person.spouse),
    NguoiDaiDien: relativeRecord(person.legalRepresentative),
    ChuHo: {
      QuanHe: householdRelationCode[person.household.relationToHead],
      SoDinhDanh: head.personalId,
      SoCMND: head.oldIdCardNumber ?? '',
      HoVaTen: recordedFullName(head),
    },
    SoSoHoKhau: sparse ? '' : (person.household.bookNumber ?? ''),
  };
}
