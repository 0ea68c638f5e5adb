import { loadAdministrativeUnits2025, type Province2025 } from './administrative-units.js';
import { findHistoricDistrict, findHistoricProvince } from './historic-admin-units.js';
import { centurySexDigit, type Sex } from './personal-id.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

/**
 * The sandboxes' shared population: ~300 deterministic people with families
 * and households. Every sandbox (population, insurance, tax, land, business
 * registry) draws on the same people, so one personal id means the same person
 * everywhere. Attributes are neutral (English, catalog codes); each sandbox's
 * `seed.ts` turns them into its upstream's shape and quirks.
 *
 * The first people are fixed, well-known examples for tests, docs and demos:
 *
 *   001090012345  Nguyễn Văn An — man born 15 May 1990, birth registered in Hà Nội
 *                 (Ba Đình / Phúc Xá), old CMND, married to Trần Thị Ngọc Ánh,
 *                 head of a household in Phường Ba Đình.
 *   079301005678  Trần Thị Ngọc Ánh — woman born 23 Nov 2001 in TP.HCM, two-word
 *                 middle name with diacritics, no CMND (empty element), Catholic.
 *   038038000123  Lê Văn Bảy — elderly man, birth date known by YEAR ONLY (1938),
 *                 old CMND, widowed, birth registration known by province only.
 *   048175000456  NGUYEN THI HOA — woman born 2 Aug 1975 in Đà Nẵng whose record
 *                 is stored UPPER CASE WITHOUT DIACRITICS (legacy migration);
 *                 divorced, head of household with a minor daughter.
 *   031168000789  Phạm Thị Thu Hà — woman born March 1968 in Hải Phòng, birth date
 *                 known as YEAR-MONTH only.
 *   092205000321  Võ Minh Khang — young man born 2005 in Cần Thơ with a SPARSE
 *                 record: empty nationality, blood group, household book, no CMND.
 *   026092001357  HOÀNG VĂN TÚ — man born 1992 in Vĩnh Phúc (an old province merged
 *                 into Phú Thọ in 2025) whose whole name sits in the given-name
 *                 field, upper case with diacritics, as in a real recorded response.
 *   048312004567  Đỗ Ngọc Minh Thư — girl born 2012, daughter of 048175000456, a
 *                 minor whose legal representative is her mother.
 */

export type { Sex } from './personal-id.js';

export interface PersonName {
  family: string;
  middle: string;
  given: string;
}

/** How legacy systems store this person's name (a data-quality quirk, not the person). */
export type NameRecording = 'standard' | 'upper-ascii' | 'whole-name-in-given';

export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

/** A pre-2025 address: old province (two digits), maybe a district and ward. */
export interface HistoricAddress {
  provinceCode: string;
  districtCode?: string;
  communeCode?: string;
  country: 'VN';
}

/** A current address under the 2025 two-level units. */
export interface CurrentAddress {
  provinceCode: string;
  communeCode: string;
  /** House number and street, or hamlet, below the commune. */
  street: string;
  country: 'VN';
}

export interface RelativeRef {
  /** Absent when the relative is not in the database (died before ids existed). */
  personalId?: string;
  oldIdCardNumber?: string;
  fullName: string;
}

export type HouseholdRelation = 'head' | 'wife' | 'husband' | 'child' | 'father' | 'mother';
export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed';
export type BloodGroup = 'A' | 'B' | 'AB' | 'O';

export interface SeededPerson {
  personalId: string;
  oldIdCardNumber?: string;
  name: PersonName;
  nameRecording: NameRecording;
  sex: Sex;
  birthDate: PartialDate;
  nationality: 'VN';
  ethnicityCode: string;
  religionCode: string;
  maritalStatus: MaritalStatus;
  bloodGroup?: BloodGroup;
  birthRegistration: HistoricAddress;
  hometown: HistoricAddress;
  permanentAddress: CurrentAddress;
  currentAddress: CurrentAddress;
  father?: RelativeRef;
  mother?: RelativeRef;
  spouse?: RelativeRef;
  legalRepresentative?: RelativeRef;
  household: { headId: string; relationToHead: HouseholdRelation; bookNumber?: string };
  /** The upstream record has gaps (empty nationality, blood group, household book...). */
  sparseRecord: boolean;
}

export const peopleSeed = 20250701;
export const targetPopulationSize = 300;
/** Ages, minors and "current" addresses are judged at this fixed date, never at run time. */
export const populationReferenceDate = { year: 2025, month: 7, day: 1 } as const;

export const wellKnownPersonIds = Object.freeze({
  manBornInHanoi1990: '001090012345',
  womanBorn2001WithDiacritics: '079301005678',
  elderlyYearOnlyWithOldIdCard: '038038000123',
  upperCaseNoDiacritics: '048175000456',
  yearMonthBirthDate: '031168000789',
  sparseRecord: '092205000321',
  wholeNameInGivenName: '026092001357',
  minorWithLegalRepresentative: '048312004567',
});

export function fullNameOf(name: PersonName): string {
  return [name.family, name.middle, name.given].filter((part) => part !== '').join(' ');
}

export function ageAtReferenceDate(birthDate: PartialDate): number {
  const { year, month, day } = populationReferenceDate;
  const beforeBirthday =
    birthDate.month !== undefined &&
    (birthDate.month > month || (birthDate.month === month && (birthDate.day ?? 1) > day));
  return year - birthDate.year - (beforeBirthday ? 1 : 0);
}

// ---------------------------------------------------------------- name pools

const familyNames: ReadonlyArray<readonly [string, number]> = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 5], ['Huỳnh', 4], ['Phan', 4.5],
  ['Vũ', 3.9], ['Võ', 3.9], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3],
  ['Dương', 1], ['Lý', 0.5], ['Đinh', 0.7], ['Trịnh', 0.5], ['Mai', 0.4], ['Lương', 0.3],
];
const middleNames: Record<Sex, readonly string[]> = {
  male: ['Văn', 'Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Thành', 'Xuân', 'Gia', 'Trung', 'Văn Minh', 'Đình'],
  female: ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Thùy', 'Phương', 'Hồng', 'Bảo', 'Thị Ngọc', 'Thị Thu', 'Khánh'],
};
const givenNames: Record<Sex, readonly string[]> = {
  male: [
    'An', 'Bình', 'Cường', 'Dũng', 'Đức', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khang', 'Khoa', 'Long', 'Minh',
    'Nam', 'Phúc', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Trung', 'Tuấn', 'Việt', 'Vinh', 'Bảo', 'Đạt', 'Kiên',
  ],
  female: [
    'Anh', 'Ánh', 'Chi', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hoa', 'Hương', 'Lan', 'Linh', 'Mai', 'My', 'Nga',
    'Ngân', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Thảo', 'Trang', 'Tuyết', 'Vy', 'Yến', 'Hân', 'Ngọc',
  ],
};
/** Hmông names follow their own pattern (clan name, 'A' for men). */
const hmongFamilyNames = ['Giàng', 'Vàng', 'Sùng', 'Thào', 'Lý', 'Hờ'];
const hmongGivenNames: Record<Sex, readonly string[]> = {
  male: ['Páo', 'Sử', 'Chá', 'Dế', 'Mua', 'Pó', 'Say', 'Súa'],
  female: ['Mỷ', 'Dở', 'Sua', 'Chở', 'Mai', 'Pà'],
};

const ethnicityWeights: ReadonlyArray<readonly [string, number]> = [
  ['01', 85], ['02', 2], ['03', 2], ['04', 1.5], ['05', 1.5], ['06', 2], ['07', 1.5], ['08', 1.5], ['09', 1],
  ['10', 0.5], ['12', 0.5], ['13', 0.3], ['17', 0.3],
];
const religionWeights: ReadonlyArray<readonly [string, number]> = [
  ['00', 80], ['01', 9], ['02', 7], ['03', 1.5], ['04', 1], ['05', 1], ['06', 0.5],
];
const bloodGroupWeights: ReadonlyArray<readonly [BloodGroup | undefined, number]> = [
  ['O', 42], ['B', 28], ['A', 20], ['AB', 5], [undefined, 5],
];
/** Where the generated households come from (old province codes), weighted roughly by population. */
const homeProvinceWeights: ReadonlyArray<readonly [string, number]> = [
  ['01', 14], ['79', 14], ['38', 6], ['40', 6], ['31', 4], ['48', 3], ['92', 3], ['26', 2], ['36', 2], ['30', 2],
  ['27', 2], ['24', 2], ['46', 2], ['52', 2], ['66', 2], ['75', 3], ['74', 3], ['89', 2], ['91', 2], ['94', 2],
  ['02', 1], ['10', 1], ['14', 1], ['17', 1], ['22', 1], ['42', 1], ['44', 1], ['49', 1], ['56', 1], ['64', 1],
  ['68', 1], ['80', 1], ['83', 1], ['96', 1],
];
const streets = [
  'Đường Lê Lợi', 'Đường Trần Hưng Đạo', 'Đường Nguyễn Trãi', 'Phố Hàng Bài', 'Đường Hai Bà Trưng', 'Đường Lý Thường Kiệt',
  'Đường Quang Trung', 'Đường Nguyễn Huệ', 'Ngõ 12 Phố Chùa Bộc', 'Đường 3 Tháng 2', 'Đường Điện Biên Phủ',
];
const hamlets = ['Thôn Đông', 'Thôn Trung', 'Thôn Hạ', 'Xóm 3', 'Ấp Phú Hòa', 'Bản Nậm Cang', 'Thôn Tân Lập', 'Ấp 2'];

// ------------------------------------------------------------- the builder

interface PersonDraft {
  personalId: string;
  oldIdCardNumber?: string;
  name: PersonName;
  nameRecording: NameRecording;
  sex: Sex;
  birthDate: PartialDate;
  ethnicityCode: string;
  religionCode: string;
  maritalStatus: MaritalStatus;
  bloodGroup?: BloodGroup;
  birthRegistration: HistoricAddress;
  hometown?: HistoricAddress;
  sparseRecord?: boolean;
  father?: RelativeRef;
  mother?: RelativeRef;
}

class PopulationBuilder {
  readonly people: SeededPerson[] = [];
  private readonly usedIds = new Set<string>();
  private readonly usedOldIdCards = new Set<string>();
  private readonly provinces2025: Map<string, Province2025>;

  constructor(
    readonly random: SeededRandom,
    provinces: Province2025[],
  ) {
    this.provinces2025 = new Map(provinces.map((province) => [province.code, province]));
  }

  reserveIds(ids: readonly string[]): void {
    for (const id of ids) this.usedIds.add(id);
  }

  newPersonalId(oldProvinceCode: string, birthYear: number, sex: Sex): string {
    for (;;) {
      const id = `0${oldProvinceCode}${centurySexDigit(birthYear, sex)}${String(birthYear % 100).padStart(2, '0')}${this.random.digits(6)}`;
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  newOldIdCardNumber(oldProvinceCode: string): string {
    for (;;) {
      const number = `${oldProvinceCode}${this.random.digits(7)}`;
      if (!this.usedOldIdCards.has(number)) {
        this.usedOldIdCards.add(number);
        return number;
      }
    }
  }

  claimOldIdCardNumber(number: string): string {
    this.usedOldIdCards.add(number);
    return number;
  }

  /** A birth-registration address as old records hold it: curated district/ward where known. */
  historicAddress(oldProvinceCode: string, precision: 'province' | 'full'): HistoricAddress {
    if (!findHistoricProvince(oldProvinceCode)) throw new Error(`unknown old province ${oldProvinceCode}`);
    const district = precision === 'full' ? findHistoricDistrict(oldProvinceCode) : undefined;
    return {
      provinceCode: oldProvinceCode,
      ...(district && { districtCode: district.code }),
      ...(district?.ward && { communeCode: district.ward.code }),
      country: 'VN',
    };
  }

  currentAddressIn(provinceCode2025: string, communeCode?: string): CurrentAddress {
    const province = this.provinces2025.get(provinceCode2025);
    if (!province) throw new Error(`unknown 2025 province ${provinceCode2025}`);
    const commune = communeCode
      ? province.communes.find((candidate) => candidate.code === communeCode)
      : this.random.pick(province.communes);
    if (!commune) throw new Error(`commune ${communeCode} is not in 2025 province ${provinceCode2025}`);
    const street = commune.fullName.startsWith('Phường')
      ? `Số ${this.random.int(1, 250)} ${this.random.pick(streets)}`
      : this.random.pick(hamlets);
    return { provinceCode: province.code, communeCode: commune.code, street, country: 'VN' };
  }

  add(draft: PersonDraft, household: SeededPerson['household'] & { address: CurrentAddress; currentAddress?: CurrentAddress }): SeededPerson {
    const person: SeededPerson = {
      personalId: draft.personalId,
      ...(draft.oldIdCardNumber && { oldIdCardNumber: draft.oldIdCardNumber }),
      name: draft.name,
      nameRecording: draft.nameRecording,
      sex: draft.sex,
      birthDate: draft.birthDate,
      nationality: 'VN',
      ethnicityCode: draft.ethnicityCode,
      religionCode: draft.religionCode,
      maritalStatus: draft.maritalStatus,
      ...(draft.bloodGroup && { bloodGroup: draft.bloodGroup }),
      birthRegistration: draft.birthRegistration,
      hometown: draft.hometown ?? { ...draft.birthRegistration, communeCode: undefined, country: 'VN' },
      permanentAddress: household.address,
      currentAddress: household.currentAddress ?? household.address,
      ...(draft.father && { father: draft.father }),
      ...(draft.mother && { mother: draft.mother }),
      household: {
        headId: household.headId,
        relationToHead: household.relationToHead,
        ...(household.bookNumber && { bookNumber: household.bookNumber }),
      },
      sparseRecord: draft.sparseRecord ?? false,
    };
    if (person.hometown.communeCode === undefined) delete person.hometown.communeCode;
    this.people.push(person);
    return person;
  }
}

export function refTo(person: SeededPerson): RelativeRef {
  return {
    personalId: person.personalId,
    ...(person.oldIdCardNumber && { oldIdCardNumber: person.oldIdCardNumber }),
    fullName: fullNameOf(person.name),
  };
}

function marry(a: SeededPerson, b: SeededPerson): void {
  a.spouse = refTo(b);
  b.spouse = refTo(a);
}

function addWellKnownPeople(builder: PopulationBuilder): void {
  builder.reserveIds(Object.values(wellKnownPersonIds));

  // Household 1 (Hà Nội): Nguyễn Văn An and his wife Trần Thị Ngọc Ánh.
  const anAddress = builder.currentAddressIn('01', '00004');
  const an = builder.add(
    {
      personalId: wellKnownPersonIds.manBornInHanoi1990,
      oldIdCardNumber: builder.claimOldIdCardNumber('012345678'),
      name: { family: 'Nguyễn', middle: 'Văn', given: 'An' },
      nameRecording: 'standard',
      sex: 'male',
      birthDate: { year: 1990, month: 5, day: 15 },
      ethnicityCode: '01',
      religionCode: '00',
      maritalStatus: 'married',
      bloodGroup: 'O',
      birthRegistration: builder.historicAddress('01', 'full'),
      father: { fullName: 'Nguyễn Văn Bình' },
      mother: { fullName: 'Phạm Thị Lan' },
    },
    { headId: wellKnownPersonIds.manBornInHanoi1990, relationToHead: 'head', bookNumber: '010123456', address: anAddress },
  );
  const anh = builder.add(
    {
      personalId: wellKnownPersonIds.womanBorn2001WithDiacritics,
      name: { family: 'Trần', middle: 'Thị Ngọc', given: 'Ánh' },
      nameRecording: 'standard',
      sex: 'female',
      birthDate: { year: 2001, month: 11, day: 23 },
      ethnicityCode: '01',
      religionCode: '02',
      maritalStatus: 'married',
      bloodGroup: 'A',
      birthRegistration: builder.historicAddress('79', 'full'),
      father: { fullName: 'Trần Quang Huy' },
      mother: { fullName: 'Lê Thị Hồng' },
    },
    { headId: an.personalId, relationToHead: 'wife', bookNumber: '010123456', address: anAddress },
  );
  marry(an, anh);

  // Household 2 (Thanh Hoá): an elderly widower living alone.
  builder.add(
    {
      personalId: wellKnownPersonIds.elderlyYearOnlyWithOldIdCard,
      oldIdCardNumber: builder.claimOldIdCardNumber('170123456'),
      name: { family: 'Lê', middle: 'Văn', given: 'Bảy' },
      nameRecording: 'standard',
      sex: 'male',
      birthDate: { year: 1938 },
      ethnicityCode: '01',
      religionCode: '01',
      maritalStatus: 'widowed',
      birthRegistration: builder.historicAddress('38', 'province'),
    },
    {
      headId: wellKnownPersonIds.elderlyYearOnlyWithOldIdCard,
      relationToHead: 'head',
      bookNumber: '380045671',
      address: builder.currentAddressIn('38', '14797'),
    },
  );

  // Household 3 (Đà Nẵng): a divorced mother (legacy upper-case record) and her daughter.
  const hoaAddress = builder.currentAddressIn('48', '20242');
  const hoa = builder.add(
    {
      personalId: wellKnownPersonIds.upperCaseNoDiacritics,
      oldIdCardNumber: builder.claimOldIdCardNumber('201234567'),
      name: { family: 'Nguyễn', middle: 'Thị', given: 'Hoa' },
      nameRecording: 'upper-ascii',
      sex: 'female',
      birthDate: { year: 1975, month: 8, day: 2 },
      ethnicityCode: '01',
      religionCode: '00',
      maritalStatus: 'divorced',
      bloodGroup: 'B',
      birthRegistration: builder.historicAddress('48', 'full'),
    },
    { headId: wellKnownPersonIds.upperCaseNoDiacritics, relationToHead: 'head', bookNumber: '480987654', address: hoaAddress },
  );
  const thu = builder.add(
    {
      personalId: wellKnownPersonIds.minorWithLegalRepresentative,
      name: { family: 'Đỗ', middle: 'Ngọc Minh', given: 'Thư' },
      nameRecording: 'standard',
      sex: 'female',
      birthDate: { year: 2012, month: 6, day: 1 },
      ethnicityCode: '01',
      religionCode: '00',
      maritalStatus: 'single',
      bloodGroup: 'B',
      birthRegistration: builder.historicAddress('48', 'full'),
      father: { fullName: 'Đỗ Văn Hùng' },
      mother: refTo(hoa),
    },
    { headId: hoa.personalId, relationToHead: 'child', bookNumber: '480987654', address: hoaAddress },
  );
  thu.legalRepresentative = refTo(hoa);

  // Household 4 (Hải Phòng): year-month birth date.
  builder.add(
    {
      personalId: wellKnownPersonIds.yearMonthBirthDate,
      oldIdCardNumber: builder.claimOldIdCardNumber('030123456'),
      name: { family: 'Phạm', middle: 'Thị Thu', given: 'Hà' },
      nameRecording: 'standard',
      sex: 'female',
      birthDate: { year: 1968, month: 3 },
      ethnicityCode: '01',
      religionCode: '00',
      maritalStatus: 'single',
      bloodGroup: 'AB',
      birthRegistration: builder.historicAddress('31', 'full'),
    },
    {
      headId: wellKnownPersonIds.yearMonthBirthDate,
      relationToHead: 'head',
      bookNumber: '310456789',
      address: builder.currentAddressIn('31', '11311'),
    },
  );

  // Household 5 (Cần Thơ): a sparse record.
  builder.add(
    {
      personalId: wellKnownPersonIds.sparseRecord,
      name: { family: 'Võ', middle: 'Minh', given: 'Khang' },
      nameRecording: 'standard',
      sex: 'male',
      birthDate: { year: 2005, month: 1, day: 9 },
      ethnicityCode: '01',
      religionCode: '00',
      maritalStatus: 'single',
      birthRegistration: builder.historicAddress('92', 'full'),
      sparseRecord: true,
    },
    { headId: wellKnownPersonIds.sparseRecord, relationToHead: 'head', address: builder.currentAddressIn('92', '31135') },
  );

  // Household 6 (Phú Thọ, formerly Vĩnh Phúc): whole name in the given-name field.
  builder.add(
    {
      personalId: wellKnownPersonIds.wholeNameInGivenName,
      oldIdCardNumber: builder.claimOldIdCardNumber('135600001'),
      name: { family: 'Hoàng', middle: 'Văn', given: 'Tú' },
      nameRecording: 'whole-name-in-given',
      sex: 'male',
      birthDate: { year: 1992, month: 11, day: 22 },
      ethnicityCode: '01',
      religionCode: '00',
      maritalStatus: 'single',
      birthRegistration: builder.historicAddress('26', 'full'),
    },
    {
      headId: wellKnownPersonIds.wholeNameInGivenName,
      relationToHead: 'head',
      bookNumber: '260112233',
      address: builder.currentAddressIn('25', '09076'),
    },
  );
}

function randomName(r: SeededRandom, sex: Sex, ethnicityCode: string, familyName?: string): PersonName {
  if (ethnicityCode === '08') {
    return {
      family: familyName ?? r.pick(hmongFamilyNames),
      middle: sex === 'male' ? 'A' : 'Thị',
      given: r.pick(hmongGivenNames[sex]),
    };
  }
  return { family: familyName ?? r.weighted(familyNames), middle: r.pick(middleNames[sex]), given: r.pick(givenNames[sex]) };
}

function randomBirthDate(r: SeededRandom, year: number): PartialDate {
  const roll = r.next();
  const elderly = year < 1950;
  if (roll < (elderly ? 0.45 : 0.02)) return { year };
  if (roll < (elderly ? 0.6 : 0.05)) return { year, month: r.int(1, 12) };
  const month = r.int(1, 12);
  const day = r.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return { year, month, day };
}

function randomNameRecording(r: SeededRandom): NameRecording {
  return r.weighted<NameRecording>([
    ['standard', 91],
    ['upper-ascii', 6],
    ['whole-name-in-given', 3],
  ]);
}

function addGeneratedHousehold(builder: PopulationBuilder): void {
  const r = builder.random;
  const homeProvince = r.weighted(homeProvinceWeights);
  const successor = findHistoricProvince(homeProvince)?.successorCode;
  if (!successor) throw new Error(`old province ${homeProvince} has no 2025 successor`);
  const address = builder.currentAddressIn(successor);
  const bookNumber = r.chance(0.75) ? `${homeProvince}${r.digits(7)}` : undefined;
  const householdEthnicity = r.weighted(ethnicityWeights);
  const householdReligion = r.weighted(religionWeights);

  const draftPerson = (
    sex: Sex,
    year: number,
    provinceCode: string,
    extra: Partial<PersonDraft> & Pick<PersonDraft, 'maritalStatus'>,
  ): PersonDraft => {
    const ethnicityCode = extra.ethnicityCode ?? householdEthnicity;
    const hasOldIdCard = year <= 2001 && r.chance(0.7);
    return {
      personalId: builder.newPersonalId(provinceCode, year, sex),
      ...(hasOldIdCard && { oldIdCardNumber: builder.newOldIdCardNumber(provinceCode) }),
      name: extra.name ?? randomName(r, sex, ethnicityCode),
      nameRecording: randomNameRecording(r),
      sex,
      birthDate: randomBirthDate(r, year),
      ethnicityCode,
      religionCode: extra.religionCode ?? householdReligion,
      bloodGroup: r.weighted(bloodGroupWeights),
      birthRegistration: builder.historicAddress(provinceCode, r.chance(0.6) ? 'full' : 'province'),
      sparseRecord: r.chance(0.08),
      ...extra,
    };
  };

  const headSex: Sex = r.chance(0.8) ? 'male' : 'female';
  const headYear = r.int(1945, 1996);
  const hasSpouse = r.chance(0.75);
  const headDraft = draftPerson(headSex, headYear, homeProvince, {
    maritalStatus: hasSpouse ? 'married' : r.weighted<MaritalStatus>([['single', 2], ['divorced', 1], ['widowed', headYear < 1965 ? 2 : 0.2]]),
  });
  // An elderly parent of the head, living with the family, is the head's parent in the records too.
  const parentYear = headYear - r.int(22, 35);
  const elderlyParent =
    parentYear >= 1920 && r.chance(0.2)
      ? draftPerson(r.chance(0.5) ? 'male' : 'female', parentYear, homeProvince, {
          maritalStatus: 'widowed',
        })
      : undefined;
  if (elderlyParent && elderlyParent.sex === 'male') elderlyParent.name = { ...elderlyParent.name, family: headDraft.name.family };
  const headHousehold = { headId: headDraft.personalId, bookNumber, address };
  const head = builder.add(headDraft, { ...headHousehold, relationToHead: 'head' });

  if (elderlyParent) {
    const parent = builder.add(elderlyParent, { ...headHousehold, relationToHead: elderlyParent.sex === 'male' ? 'father' : 'mother' });
    head[parent.sex === 'male' ? 'father' : 'mother'] = refTo(parent);
  }

  let spouse: SeededPerson | undefined;
  if (hasSpouse) {
    const spouseSex: Sex = headSex === 'male' ? 'female' : 'male';
    const spouseYear = headYear + (headSex === 'male' ? r.int(-1, 7) : r.int(-7, 1));
    const spouseProvince = r.chance(0.7) ? homeProvince : r.weighted(homeProvinceWeights);
    spouse = builder.add(
      draftPerson(spouseSex, spouseYear, spouseProvince, {
        maritalStatus: 'married',
        ethnicityCode: r.chance(0.9) ? householdEthnicity : r.weighted(ethnicityWeights),
      }),
      { ...headHousehold, relationToHead: spouseSex === 'female' ? 'wife' : 'husband' },
    );
    marry(head, spouse);
  }

  const father = head.sex === 'male' ? head : spouse;
  const mother = head.sex === 'female' ? head : spouse;
  const motherYear = mother?.birthDate.year ?? head.birthDate.year;
  const childCount = r.int(0, 3);
  for (let index = 0; index < childCount; index += 1) {
    const childYear = Math.min(motherYear + r.int(20, 38), 2024);
    const childSex: Sex = r.chance(0.5) ? 'male' : 'female';
    const familyName = (father ?? head).name.family;
    const child = builder.add(
      draftPerson(childSex, childYear, homeProvince, {
        maritalStatus: 'single',
        name: randomName(r, childSex, householdEthnicity, familyName),
        ...(father ? { father: refTo(father) } : { father: { fullName: randomNameFullName(r, familyName) } }),
        ...(mother && { mother: refTo(mother) }),
        hometown: head.hometown,
      }),
      { ...headHousehold, relationToHead: 'child' },
    );
    if (ageAtReferenceDate(child.birthDate) < 18) child.legalRepresentative = child.father?.personalId ? child.father : child.mother;
    else if (r.chance(0.15)) {
      // Grown children often work in the big cities while still registered at home.
      child.currentAddress = builder.currentAddressIn(r.pick(['01', '79']));
    }
  }
}

function randomNameFullName(r: SeededRandom, familyName: string): string {
  return fullNameOf({ family: familyName, middle: r.pick(middleNames.male), given: r.pick(givenNames.male) });
}


/** Builds the population from scratch; the same seed and unit list always give the same people. */
export function generatePeople(seed: number = peopleSeed, provinces: Province2025[] = loadAdministrativeUnits2025()): readonly SeededPerson[] {
  const builder = new PopulationBuilder(createSeededRandom(seed), provinces);
  addWellKnownPeople(builder);
  while (builder.people.length < targetPopulationSize) addGeneratedHousehold(builder);
  return deepFreeze(builder.people);
}

let population: readonly SeededPerson[] | undefined;
let byId: Map<string, SeededPerson> | undefined;
let byOldIdCard: Map<string, SeededPerson> | undefined;

/** The shared population, built once per process on first use. */
export function seededPeople(): readonly SeededPerson[] {
  population ??= generatePeople();
  return population;
}

export function findPersonById(personalId: string): SeededPerson | undefined {
  byId ??= new Map(seededPeople().map((person) => [person.personalId, person]));
  return byId.get(personalId);
}

export function findPersonByOldIdCard(oldIdCardNumber: string): SeededPerson | undefined {
  byOldIdCard ??= new Map(
    seededPeople().flatMap((person) => (person.oldIdCardNumber ? [[person.oldIdCardNumber, person] as const] : [])),
  );
  return byOldIdCard.get(oldIdCardNumber);
}
