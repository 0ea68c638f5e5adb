import { loadAdministrativeUnits2025 } from '../../../simulators/kit/administrative-units.js';
import { findPersonById, fullNameOf, seededPeople, wellKnownPersonIds, type SeededPerson } from '../../../simulators/kit/people.js';
import { createSeededRandom, type SeededRandom } from '../../../simulators/kit/seeded-random.js';
import { toUpperAscii } from '../../../simulators/kit/recorded-names.js';

/**
 * The provincial land database's parcels and certificates, drawn from the
 * shared seeded people: every household head holds the residential parcel at
 * the household's 2025 commune (with the spouse, when married), rural
 * households often a farm parcel too. Records carry the land database's
 * quirks: areas with a decimal comma, dd/MM/yyyy dates, codes beside labels
 * or joined to them ("DG-CTT - Nhà nước giao..."), '' versus a missing member
 * versus null, and legacy records keyed upper case without diacritics.
 *
 * Well-known parcels (fixtures, docs, e2e tests):
 *   00004 / 12 / 345   Phường Ba Đình (Hà Nội): Nguyễn Văn An and Trần Thị Ngọc Ánh,
 *                      certificate DA 123456 (2021), mortgaged to a bank, tax notices
 *   14797 / 5 / 87     Phường Hạc Thành (Thanh Hoá): LE VAN BAY, certificate AB 012345 (1998),
 *                      legacy record: no national parcel id, CMND, upper case without diacritics
 *   14953 / 17 / 1024  Xã Quý Lương (Thanh Hoá): his rice field, "1.250,0" m², term to 2063, AB 012346
 *   20242 / 33 / 120   Phường Hải Châu (Đà Nẵng): NGUYEN THI HOA, BX 654321 (2009), legacy record
 *   11311 / 8 / 56     Phường Hồng Bàng (Hải Phòng): Phạm Thị Thu Hà, CS 789012 (2016) on her CMND,
 *                      mortgage cancelled, unpaid tax
 *   31135 / 3 / 211    Phường Ninh Kiều (Cần Thơ): Võ Minh Khang, inherited, sparse record, no certificate yet
 *   09076 / 21 / 402   Xã Vĩnh Tường (Phú Thọ): HOÀNG VĂN TÚ, CH 135790 (2014)
 */

// ------------------------------------------------------------ wire records
// Member order is the order on the wire. '' is an empty value, a missing
// member is absent, null is null: all three occur and mapping must cope.

export interface MucDichSuDungRecord {
  MaMucDich: string;
  TenMucDich: string;
  DienTich: string;
  ThoiHanSuDung: string;
  NgayHetHan: string;
}

export interface ChuSuDungRecord {
  LoaiChu: string;
  TenLoaiChu: string;
  HoTen: string;
  NamSinh?: string;
  LoaiGiayTo?: string;
  SoChungMinh: string;
  DiaChi: string;
}

export interface GiayChungNhanTomTatRecord {
  SoPhatHanh: string;
  SoVaoSo: string;
  NgayCap: string;
  CoQuanCap: string;
  TrangThai: string;
  TenTrangThai: string;
}

export interface HanCheRecord {
  LoaiHanChe: string;
  TenLoaiHanChe: string;
  BenNhanQuyen: string;
  SoHopDong: string;
  NgayDangKy: string;
  NgayXoaDangKy: string;
}

export interface ThongBaoThueRecord {
  HoTenChu: string;
  LoaiThue: string;
  SoThongBaoThue: string;
  NamThue: string;
  SoTien: string;
  HanNop: string;
  TrangThaiNop: string;
}

export interface ThuaDatRecord {
  MaThuaDat: string;
  MaTinh: string;
  MaXa: string;
  TenXa: string;
  SoHieuBanDo: string;
  SoThuTuThua: string;
  DienTich: string;
  DiaChiChiTiet: string;
  MucDichSuDung: MucDichSuDungRecord[];
  NguonGocSuDung: string;
  HinhThucSuDung: { Ma: string; Ten: string };
  ChuSuDung: ChuSuDungRecord[];
  GiayChungNhan: GiayChungNhanTomTatRecord[];
  ThongTinHanChe?: HanCheRecord[] | null;
  ThongBaoThue?: ThongBaoThueRecord[];
  NgayCapNhat: string;
}

export interface GiayChungNhanRecord extends GiayChungNhanTomTatRecord {
  ChuSuDung: ChuSuDungRecord[];
  ThuaDat: ThuaDatRecord[];
}

// ------------------------------------------------------------ code lists
// Land-use purposes are the land law's codes [seen in land records]; origins
// and the rest follow the land registration circulars' wording [guess].

const landUsePurposes = {
  ODT: 'Đất ở tại đô thị',
  ONT: 'Đất ở tại nông thôn',
  CLN: 'Đất trồng cây lâu năm',
  LUC: 'Đất chuyên trồng lúa',
  BHK: 'Đất bằng trồng cây hàng năm khác',
  NTS: 'Đất nuôi trồng thủy sản',
} as const;
type LandUseCode = keyof typeof landUsePurposes;

const origins = {
  'DG-CTT': 'Nhà nước giao đất có thu tiền sử dụng đất',
  'DG-KTT': 'Nhà nước giao đất không thu tiền sử dụng đất',
  'CNQ-CTT': 'Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất',
  NCN: 'Nhận chuyển nhượng quyền sử dụng đất',
  NTK: 'Nhận thừa kế quyền sử dụng đất',
} as const;
type OriginCode = keyof typeof origins;

const ownerKinds = { CN: 'Cá nhân', HGD: 'Hộ gia đình' } as const;
const encumbranceKinds = { TC: 'Thế chấp quyền sử dụng đất', KB: 'Kê biên quyền sử dụng đất' } as const;
const banks = [
  'Ngân hàng TMCP Ngoại thương Việt Nam',
  'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam',
  'Ngân hàng TMCP Công Thương Việt Nam',
  'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam',
  'Ngân hàng Chính sách xã hội',
];
const fieldNames = ['Đồng Trước', 'Đồng Sau', 'Bãi Dài', 'Cồn Trên', 'Đồng Mạ', 'Bờ Sông'];
/** Long-term agricultural allocations of 1993 were extended by the 2013 land law to 15 Oct 2063 [seen in certificates]. */
const farmTermEnd: SimpleDate = { year: 2063, month: 10, day: 15 };

// ------------------------------------------------------------ the neutral model

interface SimpleDate {
  year: number;
  month: number;
  day: number;
}

interface SeededLandUse {
  code: LandUseCode;
  /** Tenths of a square metre: areas are exact decimals. */
  areaDm: number;
  until?: SimpleDate;
}

interface SeededEncumbrance {
  kind: keyof typeof encumbranceKinds;
  holder: string;
  contractNumber: string;
  registered: SimpleDate;
  cancelled?: SimpleDate;
}

interface SeededTaxNotice {
  year: number;
  number: string;
  amountVnd: number;
  paid: boolean;
}

interface SeededCertificate {
  serial: string;
  registryNumber: string;
  issued: SimpleDate;
}

export interface SeededParcel {
  provinceCode: string;
  provinceName: string;
  communeCode: string;
  communeName: string;
  mapSheet: number;
  parcelNumber: number;
  /** Below the commune: house number and street, hamlet or field name. */
  place: string;
  uses: SeededLandUse[];
  origin: OriginCode;
  owners: SeededPerson[];
  certificate?: SeededCertificate;
  encumbrances: SeededEncumbrance[];
  taxNotices: SeededTaxNotice[];
  updated: SimpleDate;
  /** The record has gaps (no address, no term text, no birth years, null lists). */
  sparse: boolean;
}

// ------------------------------------------------------------ rendering

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
const dayMonthYear = (date: SimpleDate): string => `${pad(date.day)}/${pad(date.month)}/${date.year}`;
const compareDates = (a: SimpleDate, b: SimpleDate): number => (a.year - b.year) * 400 + (a.month - b.month) * 32 + (a.day - b.day);

/** "152,5"; thousands grouped with dots from 1.000 m² ("1.250,0"), as printed on certificates. */
export function landAreaText(areaDm: number): string {
  const whole = Math.floor(areaDm / 10);
  return `${String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${areaDm % 10}`;
}

function vndText(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * National parcel id (MaThuaDat) — the real format is NOT public; ours:
 * 5-digit 2025 commune code, 4-digit map sheet, 5-digit parcel number and a
 * Luhn check digit (15 digits). Legacy records not yet migrated have none ('').
 */
export function nationalParcelId(communeCode: string, mapSheet: number, parcelNumber: number): string {
  const body = `${communeCode}${pad(mapSheet, 4)}${pad(parcelNumber, 5)}`;
  return `${body}${luhnCheckDigit(body)}`;
}

function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Records keyed before the 2012 migration are upper case without diacritics; so are the legacy people's everywhere. */
function isLegacy(parcel: SeededParcel): boolean {
  return parcel.certificate !== undefined && parcel.certificate.issued.year < 2012;
}

function ownerRecord(person: SeededPerson, parcel: SeededParcel): ChuSuDungRecord {
  const legacy = isLegacy(parcel);
  const name = fullNameOf(person.name);
  // Until chip CCCDs (2021) most certificates were issued on the old CMND.
  const onOldIdCard = person.oldIdCardNumber !== undefined && parcel.certificate !== undefined && parcel.certificate.issued.year < 2021;
  const address = `${person.permanentAddress.street}, ${communeName(person.permanentAddress.communeCode)}`;
  return {
    LoaiChu: parcel.owners.length > 1 ? 'HGD' : 'CN',
    TenLoaiChu: parcel.owners.length > 1 ? ownerKinds.HGD : ownerKinds.CN,
    HoTen: legacy || person.nameRecording === 'upper-ascii' ? toUpperAscii(name) : name,
    ...(!parcel.sparse && { NamSinh: String(person.birthDate.year) }),
    // Legacy records never filled the document type in.
    ...(!legacy && { LoaiGiayTo: onOldIdCard ? 'CMND' : 'CCCD' }),
    SoChungMinh: onOldIdCard ? person.oldIdCardNumber! : person.personalId,
    DiaChi: parcel.sparse ? '' : address,
  };
}

function certificateSummaryRecord(parcel: SeededParcel, certificate: SeededCertificate): GiayChungNhanTomTatRecord {
  return {
    SoPhatHanh: certificate.serial,
    SoVaoSo: certificate.registryNumber,
    NgayCap: dayMonthYear(certificate.issued),
    CoQuanCap: certificate.issued.year < 2025 ? `Sở Tài nguyên và Môi trường ${parcel.provinceName}` : `Sở Nông nghiệp và Môi trường ${parcel.provinceName}`,
    TrangThai: '1',
    TenTrangThai: 'Đang hiệu lực',
  };
}

export function toThuaDatRecord(parcel: SeededParcel): ThuaDatRecord {
  const legacy = isLegacy(parcel);
  const totalDm = parcel.uses.reduce((sum, use) => sum + use.areaDm, 0);
  const residential = parcel.uses.some((use) => use.code === 'ODT' || use.code === 'ONT');
  const record: Omit<ThuaDatRecord, 'NgayCapNhat'> = {
    MaThuaDat: legacy ? '' : nationalParcelId(parcel.communeCode, parcel.mapSheet, parcel.parcelNumber),
    MaTinh: parcel.provinceCode,
    MaXa: parcel.communeCode,
    TenXa: parcel.communeName,
    SoHieuBanDo: String(parcel.mapSheet),
    SoThuTuThua: String(parcel.parcelNumber),
    DienTich: landAreaText(totalDm),
    DiaChiChiTiet: parcel.sparse ? '' : `${parcel.place}, ${parcel.communeName}, ${parcel.provinceName}`,
    MucDichSuDung: parcel.uses.map((use) => ({
      MaMucDich: use.code,
      TenMucDich: landUsePurposes[use.code],
      DienTich: landAreaText(use.areaDm),
      ThoiHanSuDung: parcel.sparse ? '' : use.until ? `Đến ngày ${dayMonthYear(use.until)}` : 'Lâu dài',
      NgayHetHan: use.until ? dayMonthYear(use.until) : '',
    })),
    NguonGocSuDung: `${parcel.origin} - ${origins[parcel.origin]}`,
    HinhThucSuDung: parcel.owners.length > 1 ? { Ma: 'C', Ten: 'Sử dụng chung' } : { Ma: 'R', Ten: 'Sử dụng riêng' },
    ChuSuDung: parcel.owners.map((person) => ownerRecord(person, parcel)),
    GiayChungNhan: parcel.certificate ? [certificateSummaryRecord(parcel, parcel.certificate)] : [],
  };
  // Legacy records were migrated without a restrictions table (member missing); sparse ones carry null.
  if (parcel.sparse) record.ThongTinHanChe = null;
  else if (!legacy) {
    record.ThongTinHanChe = parcel.encumbrances.map((encumbrance) => ({
      LoaiHanChe: encumbrance.kind,
      TenLoaiHanChe: encumbranceKinds[encumbrance.kind],
      BenNhanQuyen: encumbrance.holder,
      SoHopDong: encumbrance.contractNumber,
      NgayDangKy: dayMonthYear(encumbrance.registered),
      NgayXoaDangKy: encumbrance.cancelled ? dayMonthYear(encumbrance.cancelled) : '',
    }));
  }
  // Only residential land is taxed (agricultural land tax is exempt): no member at all for farm parcels.
  if (residential) {
    const taxedName = fullNameOf(parcel.owners[0]!.name).toLocaleUpperCase('vi');
    record.ThongBaoThue = parcel.taxNotices.map((notice) => ({
      HoTenChu: taxedName,
      LoaiThue: 'SDDPNN - Thuế sử dụng đất phi nông nghiệp',
      SoThongBaoThue: notice.number,
      NamThue: String(notice.year),
      SoTien: vndText(notice.amountVnd),
      HanNop: `31/10/${notice.year}`,
      TrangThaiNop: notice.paid ? 'Đã nộp' : 'Chưa nộp',
    }));
  }
  return { ...record, NgayCapNhat: dayMonthYear(parcel.updated) };
}

export function toGiayChungNhanRecord(parcel: SeededParcel & { certificate: SeededCertificate }): GiayChungNhanRecord {
  const thuaDat = toThuaDatRecord(parcel);
  return { ...certificateSummaryRecord(parcel, parcel.certificate), ChuSuDung: thuaDat.ChuSuDung, ThuaDat: [thuaDat] };
}

// ------------------------------------------------------------ generation

let communeIndex: Map<string, { communeName: string; provinceCode: string; provinceName: string }> | undefined;

function communes(): Map<string, { communeName: string; provinceCode: string; provinceName: string }> {
  communeIndex ??= new Map(
    loadAdministrativeUnits2025().flatMap((province) =>
      province.communes.map((commune) => [commune.code, { communeName: commune.fullName, provinceCode: province.code, provinceName: province.fullName }] as const),
    ),
  );
  return communeIndex;
}

function communeOf(code: string): { communeName: string; provinceCode: string; provinceName: string } {
  const found = communes().get(code);
  if (!found) throw new Error(`commune ${code} is not in the 2025 catalog`);
  return found;
}

function communeName(code: string): string {
  return communeOf(code).communeName;
}

/** The land database knows the 2025 communes only: older codes are refused. */
export function isKnownCommune(code: string): boolean {
  return communes().has(code);
}

/** A rural commune of the province, for farm parcels of town dwellers. */
function ruralCommuneOf(provinceCode: string, random: SeededRandom): string {
  const province = loadAdministrativeUnits2025().find((candidate) => candidate.code === provinceCode);
  const rural = province?.communes.filter((commune) => commune.fullName.startsWith('Xã')) ?? [];
  return random.pick(rural).code;
}

class LandBuilder {
  readonly parcels: SeededParcel[] = [];
  private readonly usedKeys = new Set<string>();
  private readonly usedSerials = new Set<string>();

  constructor(readonly random: SeededRandom) {}

  add(parcel: Omit<SeededParcel, 'provinceCode' | 'provinceName' | 'communeName'>): SeededParcel {
    const key = `${parcel.communeCode}/${parcel.mapSheet}/${parcel.parcelNumber}`;
    if (this.usedKeys.has(key)) throw new Error(`parcel ${key} seeded twice`);
    this.usedKeys.add(key);
    if (parcel.certificate) this.usedSerials.add(parcel.certificate.serial);
    const commune = communeOf(parcel.communeCode);
    const full: SeededParcel = { ...parcel, ...commune };
    this.parcels.push(full);
    return full;
  }

  freeParcelNumber(communeCode: string): { mapSheet: number; parcelNumber: number } {
    for (;;) {
      const mapSheet = this.random.int(1, 60);
      const parcelNumber = this.random.int(1, 900);
      if (!this.usedKeys.has(`${communeCode}/${mapSheet}/${parcelNumber}`)) return { mapSheet, parcelNumber };
    }
  }

  /** Certificate series follow the printing years: AB/AK before 2009, BA–BX to 2014, CE–CS to 2018, CY–DC since. */
  newCertificate(issued: SimpleDate): SeededCertificate {
    const series =
      issued.year < 2009 ? ['AB', 'AK'] : issued.year < 2014 ? ['BA', 'BC', 'BX'] : issued.year < 2018 ? ['CE', 'CH', 'CS'] : ['CY', 'DA', 'DB', 'DC'];
    for (;;) {
      const serial = `${this.random.pick(series)} ${this.random.digits(6)}`;
      if (!this.usedSerials.has(serial)) {
        this.usedSerials.add(serial);
        return { serial, registryNumber: registryNumber(issued, this.random.digits(5)), issued };
      }
    }
  }

  randomDate(fromYear: number, toYear: number): SimpleDate {
    const year = this.random.int(fromYear, toYear);
    const month = this.random.int(1, 12);
    return { year, month, day: this.random.int(1, 28) };
  }
}

/** Số vào sổ: "CS01234" since the 2014 circular, "01234 QSDĐ" before. */
function registryNumber(issued: SimpleDate, digits: string): string {
  return issued.year < 2014 ? `${digits} QSDĐ` : `CS${digits}`;
}

function person(id: string): SeededPerson {
  const found = findPersonById(id);
  if (!found) throw new Error(`seeded person ${id} missing`);
  return found;
}

function addWellKnownParcels(builder: LandBuilder): void {
  const an = person(wellKnownPersonIds.manBornInHanoi1990);
  const anh = person(wellKnownPersonIds.womanBorn2001WithDiacritics);
  builder.add({
    communeCode: an.permanentAddress.communeCode,
    mapSheet: 12,
    parcelNumber: 345,
    place: an.permanentAddress.street,
    uses: [{ code: 'ODT', areaDm: 1200 }, { code: 'CLN', areaDm: 325, until: farmTermEnd }],
    origin: 'NCN',
    owners: [an, anh],
    certificate: { serial: 'DA 123456', registryNumber: 'CS01234', issued: { year: 2021, month: 7, day: 12 } },
    encumbrances: [
      { kind: 'TC', holder: 'Ngân hàng TMCP Ngoại thương Việt Nam - Chi nhánh Ba Đình', contractNumber: '0457/2021/HĐTC', registered: { year: 2021, month: 8, day: 5 } },
    ],
    taxNotices: [
      { year: 2024, number: 'TB-2024-0012345', amountVnd: 1_250_000, paid: true },
      { year: 2025, number: 'TB-2025-0013579', amountVnd: 1_250_000, paid: false },
    ],
    updated: { year: 2025, month: 1, day: 12 },
    sparse: false,
  });

  const bay = person(wellKnownPersonIds.elderlyYearOnlyWithOldIdCard);
  builder.add({
    communeCode: bay.permanentAddress.communeCode,
    mapSheet: 5,
    parcelNumber: 87,
    place: bay.permanentAddress.street,
    uses: [{ code: 'ODT', areaDm: 2000 }, { code: 'CLN', areaDm: 1600, until: farmTermEnd }],
    origin: 'CNQ-CTT',
    owners: [bay],
    certificate: { serial: 'AB 012345', registryNumber: '00871 QSDĐ', issued: { year: 1998, month: 4, day: 20 } },
    encumbrances: [],
    taxNotices: [{ year: 2024, number: 'TB-2024-0381122', amountVnd: 540_000, paid: true }],
    updated: { year: 2019, month: 6, day: 3 },
    sparse: false,
  });
  builder.add({
    communeCode: ruralCommuneOf(bay.permanentAddress.provinceCode, builder.random),
    mapSheet: 17,
    parcelNumber: 1024,
    place: 'Xứ đồng Bãi Dài',
    uses: [{ code: 'LUC', areaDm: 12500, until: farmTermEnd }],
    origin: 'DG-KTT',
    owners: [bay],
    certificate: { serial: 'AB 012346', registryNumber: '00872 QSDĐ', issued: { year: 1998, month: 4, day: 20 } },
    encumbrances: [],
    taxNotices: [],
    updated: { year: 2014, month: 11, day: 2 },
    sparse: false,
  });

  const hoa = person(wellKnownPersonIds.upperCaseNoDiacritics);
  builder.add({
    communeCode: hoa.permanentAddress.communeCode,
    mapSheet: 33,
    parcelNumber: 120,
    place: hoa.permanentAddress.street,
    uses: [{ code: 'ODT', areaDm: 684 }],
    origin: 'NCN',
    owners: [hoa],
    certificate: { serial: 'BX 654321', registryNumber: '04127 QSDĐ', issued: { year: 2009, month: 8, day: 12 } },
    encumbrances: [],
    taxNotices: [{ year: 2024, number: 'TB-2024-4800917', amountVnd: 310_000, paid: true }],
    updated: { year: 2020, month: 6, day: 22 },
    sparse: false,
  });

  const ha = person(wellKnownPersonIds.yearMonthBirthDate);
  builder.add({
    communeCode: ha.permanentAddress.communeCode,
    mapSheet: 8,
    parcelNumber: 56,
    place: ha.permanentAddress.street,
    uses: [{ code: 'ODT', areaDm: 905 }],
    origin: 'DG-CTT',
    owners: [ha],
    certificate: { serial: 'CS 789012', registryNumber: 'CS03345', issued: { year: 2016, month: 9, day: 30 } },
    encumbrances: [
      { kind: 'TC', holder: 'Ngân hàng TMCP Công Thương Việt Nam - Chi nhánh Hồng Bàng', contractNumber: '112/2017/HĐTC-VTB', registered: { year: 2017, month: 2, day: 14 }, cancelled: { year: 2022, month: 3, day: 1 } },
    ],
    taxNotices: [{ year: 2024, number: 'TB-2024-3100456', amountVnd: 780_000, paid: false }],
    updated: { year: 2024, month: 11, day: 5 },
    sparse: false,
  });

  const khang = person(wellKnownPersonIds.sparseRecord);
  builder.add({
    communeCode: khang.permanentAddress.communeCode,
    mapSheet: 3,
    parcelNumber: 211,
    place: khang.permanentAddress.street,
    uses: [{ code: 'ODT', areaDm: 550 }],
    origin: 'NTK',
    owners: [khang],
    encumbrances: [],
    taxNotices: [],
    updated: { year: 2024, month: 2, day: 19 },
    sparse: true,
  });

  const tu = person(wellKnownPersonIds.wholeNameInGivenName);
  builder.add({
    communeCode: tu.permanentAddress.communeCode,
    mapSheet: 21,
    parcelNumber: 402,
    place: tu.permanentAddress.street,
    uses: [{ code: 'ONT', areaDm: 950 }],
    origin: 'CNQ-CTT',
    owners: [tu],
    certificate: { serial: 'CH 135790', registryNumber: 'CS00912', issued: { year: 2014, month: 10, day: 8 } },
    encumbrances: [],
    taxNotices: [{ year: 2024, number: 'TB-2024-2500871', amountVnd: 120_000, paid: true }],
    updated: { year: 2014, month: 10, day: 8 },
    sparse: false,
  });
}

const wellKnownHeads = new Set<string>(Object.values(wellKnownPersonIds));

function addGeneratedParcels(builder: LandBuilder, head: SeededPerson): void {
  const r = builder.random;
  const spouse = head.spouse?.personalId ? findPersonById(head.spouse.personalId) : undefined;
  const owners = spouse && r.chance(0.85) ? [head, spouse] : [head];
  const urban = communeName(head.permanentAddress.communeCode).startsWith('Phường');
  const issued = builder.randomDate(Math.max(1995, head.birthDate.year + 22), 2024);
  const residentialDm = urban ? r.int(400, 1800) : r.int(1500, 5000);
  const gardenDm = !urban && r.chance(0.6) ? r.int(500, 3000) : 0;
  const mortgaged = r.chance(0.25);
  const registered = mortgaged ? builder.randomDate(Math.max(issued.year, 2010), 2024) : undefined;
  const cancelled = registered && r.chance(0.3) ? builder.randomDate(registered.year + 1, registered.year + 4) : undefined;
  const taxPerSquareMetre = urban ? r.int(3, 12) * 1000 : r.int(1, 3) * 1000;
  const taxAmount = Math.round((residentialDm / 10) * taxPerSquareMetre / 1000) * 1000;
  const { mapSheet, parcelNumber } = builder.freeParcelNumber(head.permanentAddress.communeCode);
  const certificate = r.chance(0.92) ? builder.newCertificate(issued) : undefined;
  builder.add({
    communeCode: head.permanentAddress.communeCode,
    mapSheet,
    parcelNumber,
    place: head.permanentAddress.street,
    uses: [{ code: urban ? 'ODT' : 'ONT', areaDm: residentialDm }, ...(gardenDm > 0 ? [{ code: 'CLN' as const, areaDm: gardenDm, until: farmTermEnd }] : [])],
    origin: r.pick<OriginCode>(['DG-CTT', 'CNQ-CTT', 'NCN', 'NTK']),
    owners,
    ...(certificate && { certificate }),
    encumbrances: registered
      ? [{ kind: 'TC', holder: r.pick(banks), contractNumber: `${r.digits(4)}/${registered.year}/HĐTC`, registered, ...(cancelled && compareDates(cancelled, { year: 2025, month: 6, day: 30 }) < 0 && { cancelled }) }]
      : [],
    taxNotices: [{ year: 2024, number: `TB-2024-${r.digits(7)}`, amountVnd: Math.max(taxAmount, 50_000), paid: r.chance(0.85) }],
    updated: builder.randomDate(issued.year, 2025),
    sparse: head.sparseRecord,
  });
  if (!urban && r.chance(0.5)) {
    const farm = builder.freeParcelNumber(head.permanentAddress.communeCode);
    const farmIssued = builder.randomDate(1995, 2015);
    builder.add({
      communeCode: head.permanentAddress.communeCode,
      mapSheet: farm.mapSheet,
      parcelNumber: farm.parcelNumber,
      place: `Xứ đồng ${r.pick(fieldNames)}`,
      uses: [{ code: r.pick<LandUseCode>(['LUC', 'BHK', 'NTS']), areaDm: r.int(3000, 25000), until: farmTermEnd }],
      origin: 'DG-KTT',
      owners,
      certificate: builder.newCertificate(farmIssued),
      encumbrances: [],
      taxNotices: [],
      updated: builder.randomDate(farmIssued.year, 2025),
      sparse: false,
    });
  }
}

export const landSeed = 20250704;

export function generateParcels(): readonly SeededParcel[] {
  const builder = new LandBuilder(createSeededRandom(landSeed));
  addWellKnownParcels(builder);
  for (const head of seededPeople()) {
    if (head.household.relationToHead !== 'head' || wellKnownHeads.has(head.personalId)) continue;
    addGeneratedParcels(builder, head);
  }
  return builder.parcels;
}

interface LandIndex {
  byLocation: Map<string, SeededParcel[]>;
  bySerial: Map<string, SeededParcel & { certificate: SeededCertificate }>;
}

let index: LandIndex | undefined;

/** Parcels and certificates, built once per process on first use. */
export function seededLand(): LandIndex {
  if (index) return index;
  const byLocation = new Map<string, SeededParcel[]>();
  const bySerial = new Map<string, SeededParcel & { certificate: SeededCertificate }>();
  for (const parcel of generateParcels()) {
    const key = `${parcel.communeCode}/${parcel.mapSheet}/${parcel.parcelNumber}`;
    byLocation.set(key, [...(byLocation.get(key) ?? []), parcel]);
    if (parcel.certificate) bySerial.set(parcel.certificate.serial.replace(' ', ''), parcel as SeededParcel & { certificate: SeededCertificate });
  }
  index = { byLocation, bySerial };
  return index;
}
