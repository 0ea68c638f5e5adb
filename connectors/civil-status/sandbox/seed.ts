import { loadAdministrativeUnits2025 } from '../../../simulators/kit/administrative-units.js';
import { findHistoricProvince, historicDistricts, type HistoricDistrict } from '../../../simulators/kit/historic-admin-units.js';
import { findPersonById, fullNameOf, seededPeople, wellKnownPersonIds, type HistoricAddress, type PartialDate, type RelativeRef, type SeededPerson } from '../../../simulators/kit/people.js';
import { recordedFullName } from '../../../simulators/kit/recorded-names.js';
import { createSeededRandom, type SeededRandom } from '../../../simulators/kit/seeded-random.js';
import { identityDocumentTypes, type DangKyHoTich, type KetHon, type KhaiSinh, type KhaiTu } from '../upstream-types.js';

/**
 * The electronic civil-status database's registers, drawn from the shared
 * seeded people (simulators/kit/people.ts), so one personal id is one person
 * here as in the population, insurance and land sandboxes:
 *
 * - births: every seeded person whose birth registration the seed knows to a
 *   ward or district (a province alone means the book was never digitized:
 *   no record), parents as the seed names them (ids, birth dates of the
 *   seeded ones). Books before 2016 were digitized from paper: names keyed
 *   as the person's legacy record has them, parents on their old CMND;
 *   partial birth dates were re-registered (đăng ký lại) after 2016.
 * - marriages: every couple the seed marries, registered at the husband's
 *   (else the wife's) place of birth registration in the year they could
 *   first marry, never after their first child; Nguyễn Văn An and Trần Thị
 *   Ngọc Ánh registered in August 2025, at the 2025 Phường Ba Đình;
 *   NGUYEN THI HOA's marriage to Đỗ Văn Hùng (the father the seed names for
 *   her daughter), dissolved by divorce in 2018.
 * - deaths: nobody the population sandbox holds (it marks no one deceased):
 *   the relatives the seed names without an id (it says they are not in the
 *   database because they died before ids existed) where the child's
 *   widowed mother or the well-known cast says so: Nguyễn Văn Bình, father of
 *   Nguyễn Văn An; the fathers of the children of widowed mothers; and the one
 *   person this sandbox adds, the late wife the seed makes Lê Văn Bảy a
 *   widower of (Nguyễn Thị Tám, id 038140004321, died 2019), so that a death
 *   can be found by personal id.
 *
 * Places: pre-2025 units (historic-admin-units.ts) for registrations before
 * 1 July 2025, 2025 units after. Registering authorities are People's
 * Committees, coded by their unit: a ward code, or the district code where
 * the seed knows only the district.
 */

export interface Authority {
  code: string;
  name: string;
}

export interface RegisterKey {
  authorityCode: string;
  book: string;
  number: string;
}

interface Entry {
  authority: Authority;
  registeredOn: Required<PartialDate>;
  /** 1 on time, 2 late, 3 re-registration (assumed codes). */
  registrationType: '1' | '2' | '3';
  key?: RegisterKey;
  page?: string;
}

interface BirthEntry extends Entry {
  child: SeededPerson;
}

interface MarriageEntry extends Entry {
  husband: SeededPerson | RelativeRef;
  wife: SeededPerson;
  dissolvedOn?: Required<PartialDate>;
}

interface DeathEntry extends Entry {
  deceased: { fullName: string; personalId?: string; sex: 'male' | 'female'; birthDate?: PartialDate; residence: string };
  diedOn: Required<PartialDate>;
  time: string;
  place: string;
  cause: string;
  declarant: { fullName: string; relation: string };
}

export interface CivilStatusRegisters {
  births: ReadonlyMap<string, KhaiSinh>;
  marriages: ReadonlyMap<string, KetHon>;
  deaths: ReadonlyMap<string, KhaiTu>;
  birthsByPersonalId: ReadonlyMap<string, KhaiSinh[]>;
  marriagesByPersonalId: ReadonlyMap<string, KetHon[]>;
  deathsByPersonalId: ReadonlyMap<string, KhaiTu[]>;
  /** Authority codes the register knows (a request naming another is refused). */
  authorities: ReadonlySet<string>;
  wellKnown: WellKnownRegistrations;
}

/** Keys of the records the docs, fixtures and tests name. */
export interface WellKnownRegistrations {
  anBirth: RegisterKey;
  anAnhMarriage: RegisterKey;
  hoaDivorcedMarriage: RegisterKey;
  binhDeath: RegisterKey;
  tamDeath: RegisterKey & { personalId: string };
  /** The linked-procedure example (README): a child born after 2016 to two seeded parents. */
  linkedProcedureBirth: RegisterKey & { childId: string; motherId: string; fatherId: string };
}

export const civilStatusSeed = 20160101;
export const lateWifeOfLeVanBay = { personalId: '038140004321', fullName: 'Nguyễn Thị Tám', birthYear: 1940 } as const;

export function registerKeyString(key: RegisterKey): string {
  return `${key.authorityCode}|${key.book}|${Number(key.number)}`;
}

/** dd/MM/yyyy, as the register prints dates. */
function printed(date: Required<PartialDate>): string {
  return `${String(date.day).padStart(2, '0')}/${String(date.month).padStart(2, '0')}/${date.year}`;
}

/** A partial date printed the way old books hold it: 00 for what is unknown. */
function printedPartial(date: PartialDate | undefined): string {
  if (!date) return '';
  return `${String(date.day ?? 0).padStart(2, '0')}/${String(date.month ?? 0).padStart(2, '0')}/${date.year}`;
}

function addDays(date: Required<PartialDate>, days: number): Required<PartialDate> {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

function randomDay(r: SeededRandom, year: number): Required<PartialDate> {
  const month = r.int(1, 12);
  return { year, month, day: r.int(1, 28) };
}

function before(a: Required<PartialDate>, b: Required<PartialDate>): boolean {
  return a.year * 10_000 + a.month * 100 + a.day < b.year * 10_000 + b.month * 100 + b.day;
}

/** From 2016 (the civil-status law in force, the electronic register opened) records carry personal ids. */
const electronicRegisterYear = 2016;

function historicDistrictOf(address: HistoricAddress): HistoricDistrict | undefined {
  return address.districtCode ? historicDistricts.find((district) => district.provinceCode === address.provinceCode && district.code === address.districtCode) : undefined;
}

/** The People's Committee that holds a pre-2025 record, as precise as the seed knows the place; none when only the province is known. */
export function historicAuthority(address: HistoricAddress): Authority | undefined {
  const province = findHistoricProvince(address.provinceCode);
  const district = historicDistrictOf(address);
  if (!province || !district) return undefined;
  if (address.communeCode && district.ward?.code === address.communeCode) {
    return { code: district.ward.code, name: `Ủy ban nhân dân ${district.ward.fullName}, ${district.fullName}, ${province.fullName}` };
  }
  return { code: district.code, name: `Ủy ban nhân dân ${district.fullName}, ${province.fullName}` };
}

function currentAuthority(communeCode: string): Authority {
  for (const province of loadAdministrativeUnits2025()) {
    const commune = province.communes.find((candidate) => candidate.code === communeCode);
    if (commune) return { code: commune.code, name: `Ủy ban nhân dân ${commune.fullName}, ${province.fullName}` };
  }
  throw new Error(`commune ${communeCode} is not in the 2025 list`);
}

function provinceName(address: HistoricAddress): string {
  return findHistoricProvince(address.provinceCode)?.fullName ?? '';
}

function fullBirthDate(date: PartialDate): Required<PartialDate> | undefined {
  return date.month !== undefined && date.day !== undefined ? (date as Required<PartialDate>) : undefined;
}

/** The person's name as a book of that year holds it: digitized paper books keep the legacy keying. */
function nameInBook(person: SeededPerson, year: number): string {
  return year < electronicRegisterYear ? recordedFullName(person) : fullNameOf(person.name);
}

/** The identity document a record of that year carries: the personal id from 2016, the old CMND before (if any). */
function documentInBook(person: SeededPerson | undefined, year: number): { type: string; number: string } | undefined {
  if (!person) return undefined;
  if (year >= electronicRegisterYear) return { type: identityDocumentTypes.personalId, number: person.personalId };
  return person.oldIdCardNumber ? { type: identityDocumentTypes.oldIdCard, number: person.oldIdCardNumber } : undefined;
}

function seededRelative(ref: RelativeRef | undefined): SeededPerson | undefined {
  return ref?.personalId ? findPersonById(ref.personalId) : undefined;
}

// ------------------------------------------------------------------ births

function birthEntries(r: SeededRandom): BirthEntry[] {
  const entries: BirthEntry[] = [];
  for (const child of seededPeople()) {
    const authority = historicAuthority(child.birthRegistration);
    if (!authority) continue;
    const born = fullBirthDate(child.birthDate);
    if (born) {
      const late = r.chance(0.08);
      entries.push({ child, authority, registrationType: late ? '2' : '1', registeredOn: addDays(born, late ? r.int(70, 400) : r.int(3, 58)) });
    } else {
      // A birth known only to the year (or month) survives as a re-registration from the electronic register's years.
      const first = Math.max(electronicRegisterYear, child.birthDate.year + 1);
      entries.push({ child, authority, registrationType: '3', registeredOn: randomDay(r, r.int(first, Math.max(first, 2024))) });
    }
  }
  return entries;
}

function khaiSinh(entry: BirthEntry): KhaiSinh {
  const { child } = entry;
  const year = entry.registeredOn.year;
  const declarant = child.mother ?? child.father;
  return {
    ...registerColumns(entry, registrationTypeLabels[entry.registrationType]!),
    nksHoTen: nameInBook(child, year),
    // Digitized books were matched to personal ids while the population database was cleansed; a sparse record was not yet.
    nksSoDinhDanh: year < electronicRegisterYear && child.sparseRecord ? '' : child.personalId,
    nksGioiTinh: child.sex === 'male' ? '1' : '2',
    nksNgaySinh: printedPartial(child.birthDate),
    nksNoiSinh: provinceName(child.birthRegistration),
    nksDanToc: child.ethnicityCode,
    nksQuocTich: child.nationality,
    nksQueQuan: provinceName(child.hometown),
    ...(child.mother && personFields('me', seededRelative(child.mother) ?? child.mother, year)),
    ...(child.father && personFields('cha', seededRelative(child.father) ?? child.father, year)),
    // Old books often left the declarant blank: null on the wire, as the digitization tools store it.
    nycHoTen: declarant && year >= electronicRegisterYear ? declarant.fullName : null,
    nycQuanHe: declarant && year >= electronicRegisterYear ? (declarant === child.mother ? 'Mẹ' : 'Cha') : null,
    ...signer,
    ghiChu: '',
  };
}

const registrationTypeLabels: Record<string, string> = { '1': 'Đăng ký đúng hạn', '2': 'Đăng ký quá hạn', '3': 'Đăng ký lại' };

/** Who signs for the People's Committee (a title in the book, never a name of the seed's). */
const signer = { nguoiKy: 'Chủ tịch Ủy ban nhân dân', chucVuNguoiKy: 'Chủ tịch' } as const;

/** The columns every register has: where the entry stands and who registered it. */
function registerColumns(entry: Entry, typeLabel: string): DangKyHoTich {
  return {
    so: entry.key!.number,
    quyenSo: entry.key!.book,
    trangSo: entry.page!,
    ngayDangKy: printed(entry.registeredOn),
    loaiDangKy: entry.registrationType,
    tenLoaiDangKy: typeLabel,
    noiDangKy: entry.authority.code,
    tenNoiDangKy: entry.authority.name,
  };
}

// --------------------------------------------------------------- marriages

function firstChildBirthYear(parentId: string): number | undefined {
  const years = seededPeople()
    .filter((person) => person.father?.personalId === parentId || person.mother?.personalId === parentId)
    .map((person) => person.birthDate.year);
  return years.length > 0 ? Math.min(...years) : undefined;
}

function marriageEntries(r: SeededRandom): MarriageEntry[] {
  const entries: MarriageEntry[] = [];
  for (const husband of seededPeople()) {
    if (husband.sex !== 'male' || !husband.spouse?.personalId) continue;
    const wife = findPersonById(husband.spouse.personalId);
    if (!wife) continue;
    if (husband.personalId === wellKnownPersonIds.manBornInHanoi1990) {
      // Registered after the reorganisation: a 2025 ward is the authority.
      entries.push({ husband, wife, authority: currentAuthority(husband.permanentAddress.communeCode), registrationType: '1', registeredOn: { year: 2025, month: 8, day: 18 } });
      continue;
    }
    const authority = historicAuthority(husband.birthRegistration) ?? historicAuthority(wife.birthRegistration);
    if (!authority) continue;
    let year = Math.max(husband.birthDate.year + 20, wife.birthDate.year + 18) + r.int(0, 4);
    const firstChild = firstChildBirthYear(husband.personalId) ?? firstChildBirthYear(wife.personalId);
    if (firstChild !== undefined) year = Math.min(year, firstChild - 1);
    year = Math.min(year, 2024);
    entries.push({ husband, wife, authority, registrationType: '1', registeredOn: randomDay(r, year) });
  }
  // NGUYEN THI HOA and the father of her daughter: married before the girl was born, divorced since.
  const hoa = findPersonById(wellKnownPersonIds.upperCaseNoDiacritics)!;
  const thu = findPersonById(wellKnownPersonIds.minorWithLegalRepresentative)!;
  entries.push({
    husband: thu.father!,
    wife: hoa,
    authority: historicAuthority(hoa.birthRegistration)!,
    registrationType: '1',
    registeredOn: { year: 2010, month: 10, day: 9 },
    dissolvedOn: { year: 2018, month: 9, day: 25 },
  });
  return entries;
}

/** A parent's or a spouse's columns (me*, cha*, chong*, vo*): what the book holds of a seeded person, the name alone of anyone else. */
function personFields(prefix: 'me' | 'cha' | 'chong' | 'vo', person: SeededPerson | RelativeRef, year: number): Record<string, string> {
  const seeded = 'name' in person ? person : undefined;
  const recordedName = 'name' in person ? undefined : person.fullName;
  const document = documentInBook(seeded, year);
  return {
    [`${prefix}HoTen`]: seeded ? nameInBook(seeded, year) : recordedName!,
    [`${prefix}NgaySinh`]: printedPartial(seeded?.birthDate),
    [`${prefix}DanToc`]: seeded?.ethnicityCode ?? '',
    [`${prefix}QuocTich`]: seeded?.nationality ?? '',
    [`${prefix}NoiCuTru`]: seeded ? provinceName(seeded.hometown) : '',
    [`${prefix}LoaiGiayToTuyThan`]: document?.type ?? '',
    [`${prefix}SoGiayToTuyThan`]: document?.number ?? '',
  };
}

function ketHon(entry: MarriageEntry): KetHon {
  const year = entry.registeredOn.year;
  return {
    ...registerColumns(entry, 'Đăng ký kết hôn'),
    ...personFields('chong', entry.husband, year),
    ...personFields('vo', entry.wife, year),
    tinhTrangKetHon: entry.dissolvedOn ? '2' : '1',
    ...(entry.dissolvedOn && { ngayGhiChuLyHon: printed(entry.dissolvedOn) }),
    ...signer,
    ghiChu: entry.dissolvedOn ? 'Đã ghi chú ly hôn theo bản án của Tòa án nhân dân' : '',
  };
}

// ------------------------------------------------------------------ deaths

function deathEntries(r: SeededRandom): DeathEntry[] {
  const entries: DeathEntry[] = [];
  const an = findPersonById(wellKnownPersonIds.manBornInHanoi1990)!;
  entries.push({
    deceased: { fullName: an.father!.fullName, sex: 'male', birthDate: { year: 1958 }, residence: 'Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội' },
    diedOn: { year: 2012, month: 3, day: 20 },
    time: '05:40',
    place: 'Bệnh viện Bạch Mai, Thành phố Hà Nội',
    cause: 'Bệnh',
    declarant: { fullName: fullNameOf(an.name), relation: 'Con' },
    authority: historicAuthority(an.birthRegistration)!,
    registrationType: '1',
    registeredOn: { year: 2012, month: 3, day: 27 },
  });
  const bay = findPersonById(wellKnownPersonIds.elderlyYearOnlyWithOldIdCard)!;
  entries.push({
    deceased: { fullName: lateWifeOfLeVanBay.fullName, personalId: lateWifeOfLeVanBay.personalId, sex: 'female', birthDate: { year: lateWifeOfLeVanBay.birthYear }, residence: 'Thành phố Thanh Hoá, Tỉnh Thanh Hoá' },
    diedOn: { year: 2019, month: 11, day: 4 },
    time: '',
    place: 'Tại nhà',
    cause: 'Già yếu',
    declarant: { fullName: fullNameOf(bay.name), relation: 'Chồng' },
    authority: historicAuthority({ provinceCode: '38', districtCode: '380', country: 'VN' })!,
    registrationType: '1',
    registeredOn: { year: 2019, month: 11, day: 12 },
  });
  // The fathers of the children of widowed mothers: the seed names them without an id.
  for (const child of seededPeople()) {
    const mother = seededRelative(child.mother);
    if (!mother || mother.maritalStatus !== 'widowed' || !child.father || child.father.personalId) continue;
    if (entries.some((entry) => entry.deceased.fullName === child.father!.fullName && entry.declarant.fullName === fullNameOf(mother.name))) continue;
    const authority = historicAuthority(mother.birthRegistration) ?? historicAuthority(child.birthRegistration);
    if (!authority) continue;
    const diedOn = randomDay(r, Math.min(r.int(child.birthDate.year + 1, child.birthDate.year + 12), 2024));
    entries.push({
      deceased: { fullName: child.father.fullName, sex: 'male', residence: provinceName(mother.hometown) },
      diedOn,
      time: r.chance(0.5) ? `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}` : '',
      place: r.chance(0.6) ? 'Tại nhà' : 'Bệnh viện',
      cause: r.pick(['Bệnh', 'Tai nạn giao thông', 'Đột quỵ']),
      declarant: { fullName: fullNameOf(mother.name), relation: 'Vợ' },
      authority,
      registrationType: '1',
      registeredOn: addDays(diedOn, r.int(2, 14)),
    });
  }
  return entries;
}

function khaiTu(entry: DeathEntry): KhaiTu {
  const { deceased } = entry;
  return {
    ...registerColumns(entry, registrationTypeLabels[entry.registrationType]!),
    nktHoTen: deceased.fullName,
    nktGioiTinh: deceased.sex === 'male' ? '1' : '2',
    nktNgaySinh: printedPartial(deceased.birthDate),
    nktDanToc: '01',
    nktQuocTich: 'VN',
    nktNoiCuTru: deceased.residence,
    nktLoaiGiayToTuyThan: deceased.personalId ? identityDocumentTypes.personalId : '',
    nktSoGiayToTuyThan: deceased.personalId ?? '',
    nktNgayChet: printed(entry.diedOn),
    nktGioPhutChet: entry.time,
    nktNoiChet: entry.place,
    nktNguyenNhanChet: entry.cause,
    nycHoTen: entry.declarant.fullName,
    nycQuanHe: entry.declarant.relation,
    ...signer,
    ghiChu: '',
  };
}

// --------------------------------------------------------------- numbering

/** Book "01/<year>" per authority and year, numbers in registration order from a random first number (books do not start at 1 when the seed does). */
function number<E extends Entry>(entries: E[], r: SeededRandom): E[] {
  const sorted = [...entries].sort((a, b) => (before(a.registeredOn, b.registeredOn) ? -1 : before(b.registeredOn, a.registeredOn) ? 1 : 0));
  const counters = new Map<string, number>();
  for (const entry of sorted) {
    const book = `01/${entry.registeredOn.year}`;
    const counterKey = `${entry.authority.code}|${book}`;
    const next = (counters.get(counterKey) ?? r.int(1, 180)) + 1;
    counters.set(counterKey, next);
    entry.key = { authorityCode: entry.authority.code, book, number: String(next) };
    entry.page = String(Math.ceil(next / 2));
  }
  return sorted;
}

function indexBy<R>(records: Array<[RegisterKey, R]>): Map<string, R> {
  return new Map(records.map(([key, record]) => [registerKeyString(key), record]));
}

function addTo<R>(index: Map<string, R[]>, id: string | null | undefined, record: R): void {
  if (!id) return;
  index.set(id, [...(index.get(id) ?? []), record]);
}

function build(): CivilStatusRegisters {
  const r = createSeededRandom(civilStatusSeed);
  const births = number(birthEntries(r), r);
  const marriages = number(marriageEntries(r), r);
  const deaths = number(deathEntries(r), r);

  const birthRecords = births.map((entry) => [entry.key!, khaiSinh(entry)] as [RegisterKey, KhaiSinh]);
  const marriageRecords = marriages.map((entry) => [entry.key!, ketHon(entry)] as [RegisterKey, KetHon]);
  const deathRecords = deaths.map((entry) => [entry.key!, khaiTu(entry)] as [RegisterKey, KhaiTu]);

  const birthsByPersonalId = new Map<string, KhaiSinh[]>();
  for (const [, record] of birthRecords) addTo(birthsByPersonalId, record.nksSoDinhDanh, record);
  const marriagesByPersonalId = new Map<string, KetHon[]>();
  for (const [, record] of marriageRecords) {
    // Only a personal id identifies a spouse; an old CMND number does not.
    if (record.chongLoaiGiayToTuyThan === identityDocumentTypes.personalId) addTo(marriagesByPersonalId, record.chongSoGiayToTuyThan, record);
    if (record.voLoaiGiayToTuyThan === identityDocumentTypes.personalId) addTo(marriagesByPersonalId, record.voSoGiayToTuyThan, record);
  }
  const deathsByPersonalId = new Map<string, KhaiTu[]>();
  for (const [, record] of deathRecords) addTo(deathsByPersonalId, record.nktSoGiayToTuyThan, record);

  const keyOf = <E extends Entry>(entries: E[], match: (entry: E) => boolean): RegisterKey => {
    const found = entries.find(match);
    if (!found) throw new Error('a well-known civil-status record is missing from the seed');
    return found.key!;
  };
  const linked = births.find(
    (entry) => entry.registrationType === '1' && entry.child.birthDate.year >= electronicRegisterYear && seededRelative(entry.child.mother) !== undefined && seededRelative(entry.child.father) !== undefined && entry.registeredOn.year < 2025,
  );
  if (!linked) throw new Error('the seed has no birth for the linked-procedure example');

  return {
    births: indexBy(birthRecords),
    marriages: indexBy(marriageRecords),
    deaths: indexBy(deathRecords),
    birthsByPersonalId,
    marriagesByPersonalId,
    deathsByPersonalId,
    authorities: new Set([...births, ...marriages, ...deaths].map((entry) => entry.authority.code)),
    wellKnown: {
      anBirth: keyOf(births, (entry) => entry.child.personalId === wellKnownPersonIds.manBornInHanoi1990),
      anAnhMarriage: keyOf(marriages, (entry) => 'personalId' in entry.husband && entry.husband.personalId === wellKnownPersonIds.manBornInHanoi1990),
      hoaDivorcedMarriage: keyOf(marriages, (entry) => entry.dissolvedOn !== undefined),
      binhDeath: keyOf(deaths, (entry) => entry.deceased.fullName === 'Nguyễn Văn Bình' && entry.declarant.relation === 'Con'),
      tamDeath: { ...keyOf(deaths, (entry) => entry.deceased.personalId === lateWifeOfLeVanBay.personalId), personalId: lateWifeOfLeVanBay.personalId },
      linkedProcedureBirth: { ...linked.key!, childId: linked.child.personalId, motherId: linked.child.mother!.personalId!, fatherId: linked.child.father!.personalId! },
    },
  };
}

let registers: CivilStatusRegisters | undefined;

/** The registers, built once per process on first use. */
export function seededCivilStatus(): CivilStatusRegisters {
  registers ??= build();
  return registers;
}
