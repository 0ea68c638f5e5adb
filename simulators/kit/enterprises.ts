import { loadAdministrativeUnits2025, type Province2025 } from './administrative-units.js';
import { taxCodeCheckDigit } from '../../src/connector-kit/tax-code.js';
import { ageAtReferenceDate, findPersonById, fullNameOf, seededPeople, wellKnownPersonIds, type CurrentAddress, type SeededPerson } from './people.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

/**
 * The sandboxes' shared businesses: enterprises (with branches), household
 * businesses and cooperatives, owned or legally represented by the seeded
 * people of people.ts. The business-registry sandbox and the tax sandbox both
 * draw on this list, so one tax code (MST) is the same business with the same
 * name and a consistent status everywhere: a dissolved company is closed at
 * tax too. Attributes are neutral; each sandbox's `seed.ts` gives them its
 * upstream's shape and quirks.
 *
 * Well-known examples for tests, docs and demos (valid MST check digits):
 *
 *   0101234565      Công ty TNHH Công nghệ An Phát — Hà Nội, ACTIVE; legal
 *                   representative 001090012345 (Nguyễn Văn An); one branch:
 *   0101234565-001  Chi nhánh Thành phố Hồ Chí Minh of it, ACTIVE.
 *   0301234562      Công ty TNHH Thời trang Ngọc Ánh — TP.HCM, ACTIVE; two legal
 *                   representatives, 079301005678 (Trần Thị Ngọc Ánh) and her
 *                   husband 001090012345; foreign and short names.
 *   0201234576      Công ty Cổ phần Thủy sản Hà Hải — Hải Phòng, SUSPENDED
 *                   (tạm ngừng kinh doanh) with dates and reason; 031168000789.
 *   2801234564      Doanh nghiệp tư nhân Lê Bảy — Thanh Hoá, DISSOLVED in 2023;
 *                   owner 038038000123 (registered under his old CMND).
 *   8012345677      household business of 048175000456 (NGUYEN THI HOA) — Đà Nẵng, ACTIVE.
 *   2601234567      Hợp tác xã Nông nghiệp Tân Lạc — Phú Thọ, ACTIVE; director
 *                   026092001357 (HOÀNG VĂN TÚ).
 */

export type BusinessKind = 'enterprise' | 'branch' | 'household-business' | 'cooperative';

/** Legal forms (loại hình) as the Enterprise Law names them. */
export type LegalForm = 'llc-one-member' | 'llc-multi-member' | 'joint-stock' | 'private-enterprise' | 'branch' | 'household-business' | 'cooperative';

/** Registry status (tình trạng pháp lý). */
export type RegistryStatus = 'active' | 'suspended' | 'dissolving' | 'dissolved' | 'revoked';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface CalendarDateTime extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** dd/MM/yyyy, as Vietnamese upstreams print dates. */
export function dayMonthYear(date: CalendarDate): string {
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`;
}

/** yyyyMMddHHmmss (Vietnam time), as Vietnamese upstreams print timestamps. */
export function compactDateTime(at: CalendarDateTime): string {
  return `${at.year}${pad(at.month)}${pad(at.day)}${pad(at.hour)}${pad(at.minute)}${pad(at.second)}`;
}

export interface BusinessLine {
  /** VSIC 2018 level-4 code. */
  code: string;
  name: string;
  main: boolean;
}

export interface SeededBusiness {
  /** MST = enterprise code; `-NNN` for a dependent unit. */
  taxCode: string;
  kind: BusinessKind;
  /** Branches only: the head unit's tax code. */
  headUnitCode?: string;
  /** As registered, with diacritics. */
  name: string;
  foreignName?: string;
  shortName?: string;
  legalForm: LegalForm;
  firstRegisteredOn: CalendarDate;
  /** The last registered change and how many there were; absent when nothing changed since registration. */
  lastChange?: { at: CalendarDateTime; count: number };
  status: RegistryStatus;
  /** When the current status began (suspension, dissolution, revocation). */
  statusSince?: CalendarDate;
  suspension?: { from: CalendarDate; until: CalendarDate; reason: string };
  /** Legal representatives, owner (household business, private enterprise) or director (cooperative): seeded personal ids. */
  representativeIds: readonly string[];
  headOffice: CurrentAddress;
  businessLines: readonly BusinessLine[];
  /** VND; absent for household businesses and branches. */
  charterCapital?: number;
}

export const enterprisesSeed = 20250702;
export const generatedBusinessCount = 60;

export const wellKnownTaxCodes = Object.freeze({
  activeCompany: '0101234565',
  activeCompanyBranch: '0101234565-001',
  companyWithTwoRepresentatives: '0301234562',
  suspendedCompany: '0201234576',
  dissolvedPrivateEnterprise: '2801234564',
  householdBusiness: '8012345677',
  cooperative: '2601234567',
});

/** VSIC 2018 (Quyết định 27/2018/QĐ-TTg), level-4 codes used by the seed. */
export const vsicActivities: Readonly<Record<string, string>> = Object.freeze({
  '0111': 'Trồng lúa',
  '0118': 'Trồng rau, đậu các loại và trồng hoa',
  '0145': 'Chăn nuôi lợn',
  '0321': 'Nuôi trồng thuỷ sản biển',
  '1020': 'Chế biến, bảo quản thuỷ sản và các sản phẩm từ thuỷ sản',
  '1410': 'May trang phục (trừ trang phục từ da lông thú)',
  '4101': 'Xây dựng nhà để ở',
  '4520': 'Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác',
  '4632': 'Bán buôn thực phẩm',
  '4651': 'Bán buôn máy vi tính, thiết bị ngoại vi và phần mềm',
  '4711': 'Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp',
  '4722': 'Bán lẻ thực phẩm trong các cửa hàng chuyên doanh',
  '4771': 'Bán lẻ hàng may mặc, giày dép, hàng da và giả da trong các cửa hàng chuyên doanh',
  '4933': 'Vận tải hàng hóa bằng đường bộ',
  '5510': 'Dịch vụ lưu trú ngắn ngày',
  '5610': 'Nhà hàng và các dịch vụ ăn uống phục vụ lưu động',
  '6201': 'Lập trình máy vi tính',
  '6202': 'Tư vấn máy vi tính và quản trị hệ thống máy vi tính',
  '9631': 'Cắt tóc, làm đầu, gội đầu',
});

function lines(main: string, ...others: string[]): BusinessLine[] {
  return [main, ...others].map((code, index) => {
    const name = vsicActivities[code];
    if (!name) throw new Error(`VSIC ${code} is not in the seed's list`);
    return { code, name, main: index === 0 };
  });
}

function taxCodeFromStem(stem: string): string | undefined {
  const digit = taxCodeCheckDigit(stem);
  return digit === undefined ? undefined : `${stem}${digit}`;
}

function requirePerson(personalId: string): SeededPerson {
  const person = findPersonById(personalId);
  if (!person) throw new Error(`seeded person ${personalId} missing`);
  return person;
}

function officeIn(provinceCode: string, communeCode: string, street: string): CurrentAddress {
  return { provinceCode, communeCode, street, country: 'VN' };
}

function wellKnownBusinesses(): SeededBusiness[] {
  const an = requirePerson(wellKnownPersonIds.manBornInHanoi1990);
  const anh = requirePerson(wellKnownPersonIds.womanBorn2001WithDiacritics);
  const ha = requirePerson(wellKnownPersonIds.yearMonthBirthDate);
  const bay = requirePerson(wellKnownPersonIds.elderlyYearOnlyWithOldIdCard);
  const hoa = requirePerson(wellKnownPersonIds.upperCaseNoDiacritics);
  const tu = requirePerson(wellKnownPersonIds.wholeNameInGivenName);
  return [
    {
      taxCode: wellKnownTaxCodes.activeCompany,
      kind: 'enterprise',
      name: 'Công ty TNHH Công nghệ An Phát',
      foreignName: 'AN PHAT TECHNOLOGY COMPANY LIMITED',
      shortName: 'AN PHAT TECH',
      legalForm: 'llc-one-member',
      firstRegisteredOn: { year: 2016, month: 3, day: 14 },
      lastChange: { at: { year: 2024, month: 9, day: 5, hour: 10, minute: 12, second: 44 }, count: 3 },
      status: 'active',
      representativeIds: [an.personalId],
      headOffice: officeIn('01', '00004', 'Số 18 Phố Đội Cấn'),
      businessLines: lines('6201', '6202', '4651'),
      charterCapital: 5_000_000_000,
    },
    {
      taxCode: wellKnownTaxCodes.activeCompanyBranch,
      kind: 'branch',
      headUnitCode: wellKnownTaxCodes.activeCompany,
      name: 'Chi nhánh Thành phố Hồ Chí Minh - Công ty TNHH Công nghệ An Phát',
      legalForm: 'branch',
      firstRegisteredOn: { year: 2019, month: 7, day: 2 },
      status: 'active',
      representativeIds: [an.personalId],
      headOffice: officeIn('79', '25747', 'Số 45 Đường Yersin'),
      businessLines: lines('6202'),
    },
    {
      taxCode: wellKnownTaxCodes.companyWithTwoRepresentatives,
      kind: 'enterprise',
      name: 'Công ty TNHH Thời trang Ngọc Ánh',
      foreignName: 'NGOC ANH FASHION COMPANY LIMITED',
      shortName: 'NGOC ANH FASHION',
      legalForm: 'llc-multi-member',
      firstRegisteredOn: { year: 2022, month: 2, day: 21 },
      lastChange: { at: { year: 2025, month: 8, day: 11, hour: 15, minute: 3, second: 9 }, count: 1 },
      status: 'active',
      representativeIds: [anh.personalId, an.personalId],
      headOffice: officeIn('79', '25747', 'Số 112 Đường Cách Mạng Tháng Tám'),
      businessLines: lines('4771', '1410'),
      charterCapital: 1_500_000_000,
    },
    {
      taxCode: wellKnownTaxCodes.suspendedCompany,
      kind: 'enterprise',
      name: 'Công ty Cổ phần Thủy sản Hà Hải',
      legalForm: 'joint-stock',
      firstRegisteredOn: { year: 2009, month: 11, day: 30 },
      lastChange: { at: { year: 2026, month: 2, day: 20, hour: 8, minute: 45, second: 0 }, count: 7 },
      status: 'suspended',
      statusSince: { year: 2026, month: 3, day: 1 },
      suspension: {
        from: { year: 2026, month: 3, day: 1 },
        until: { year: 2027, month: 2, day: 28 },
        reason: 'Khó khăn về tài chính, tạm ngừng để cơ cấu lại hoạt động sản xuất',
      },
      representativeIds: [ha.personalId],
      headOffice: officeIn('31', '10507', 'Lô B3 Khu công nghiệp Đình Vũ'),
      businessLines: lines('1020', '0321', '4632'),
      charterCapital: 12_000_000_000,
    },
    {
      taxCode: wellKnownTaxCodes.dissolvedPrivateEnterprise,
      kind: 'enterprise',
      name: 'Doanh nghiệp tư nhân Lê Bảy',
      legalForm: 'private-enterprise',
      firstRegisteredOn: { year: 1998, month: 6, day: 8 },
      lastChange: { at: { year: 2023, month: 10, day: 16, hour: 9, minute: 30, second: 12 }, count: 2 },
      status: 'dissolved',
      statusSince: { year: 2023, month: 10, day: 16 },
      representativeIds: [bay.personalId],
      headOffice: officeIn('38', '14797', 'Thôn Đông'),
      businessLines: lines('4711'),
      charterCapital: 300_000_000,
    },
    {
      taxCode: wellKnownTaxCodes.householdBusiness,
      kind: 'household-business',
      name: `Hộ kinh doanh ${fullNameOf(hoa.name)}`,
      legalForm: 'household-business',
      firstRegisteredOn: { year: 2012, month: 4, day: 3 },
      status: 'active',
      representativeIds: [hoa.personalId],
      headOffice: officeIn('48', '20242', 'Kiốt số 7 Chợ Hàn'),
      businessLines: lines('4722'),
    },
    {
      taxCode: wellKnownTaxCodes.cooperative,
      kind: 'cooperative',
      name: 'Hợp tác xã Nông nghiệp Tân Lạc',
      legalForm: 'cooperative',
      firstRegisteredOn: { year: 2018, month: 1, day: 25 },
      lastChange: { at: { year: 2025, month: 7, day: 15, hour: 14, minute: 0, second: 31 }, count: 2 },
      status: 'active',
      representativeIds: [tu.personalId],
      headOffice: officeIn('25', '05128', 'Xóm Trung'),
      businessLines: lines('0111', '0118', '0145'),
      charterCapital: 800_000_000,
    },
  ];
}

// ------------------------------------------------------ generated businesses

const tradeWords = ['Thương mại', 'Dịch vụ', 'Xây dựng', 'Vận tải', 'Đầu tư', 'Sản xuất', 'Thực phẩm', 'Du lịch'];
const brandWords = ['Minh Phát', 'Hưng Thịnh', 'Phúc An', 'Thành Công', 'Đại Việt', 'Sao Mai', 'Hoàng Long', 'Tân Tiến', 'Bình Minh', 'Kim Ngân', 'Trường Sơn', 'Hải Đăng'];
const activityByTrade: Record<string, string[]> = {
  'Thương mại': ['4632', '4651'],
  'Dịch vụ': ['5610', '9631'],
  'Xây dựng': ['4101'],
  'Vận tải': ['4933'],
  'Đầu tư': ['4101', '5510'],
  'Sản xuất': ['1410', '1020'],
  'Thực phẩm': ['4632', '4722'],
  'Du lịch': ['5510', '5610'],
};
const householdActivities = ['4711', '4722', '5610', '9631', '4520', '4771'];
const legalForms: ReadonlyArray<readonly [LegalForm, number]> = [
  ['llc-one-member', 45],
  ['llc-multi-member', 25],
  ['joint-stock', 20],
  ['private-enterprise', 10],
];
const statusWeights: ReadonlyArray<readonly [RegistryStatus, number]> = [
  ['active', 78],
  ['suspended', 8],
  ['dissolving', 4],
  ['dissolved', 6],
  ['revoked', 4],
];
/** Head-office province (2025 code) → the MST's two-digit prefix there (the tax authority's own numbering; [guess] beyond 01/02/03/04). */
const taxCodePrefixes: ReadonlyArray<readonly [string, string, number]> = [
  ['01', '01', 30],
  ['79', '03', 30],
  ['31', '02', 8],
  ['48', '04', 8],
  ['92', '18', 5],
  ['38', '28', 5],
  ['40', '29', 4],
  ['25', '26', 3],
];

const legalFormTitles: Record<'llc-one-member' | 'llc-multi-member' | 'joint-stock' | 'private-enterprise', string> = {
  'llc-one-member': 'Công ty TNHH',
  'llc-multi-member': 'Công ty TNHH',
  'joint-stock': 'Công ty Cổ phần',
  'private-enterprise': 'Doanh nghiệp tư nhân',
};

function randomDate(r: SeededRandom, fromYear: number, toYear: number): CalendarDate {
  const year = r.int(fromYear, toYear);
  const month = r.int(1, 12);
  return { year, month, day: r.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate()) };
}

function laterDateTime(r: SeededRandom, after: CalendarDate, toYear: number): CalendarDateTime {
  const date = randomDate(r, Math.min(after.year + 1, toYear), toYear);
  return { ...date, hour: r.int(7, 17), minute: r.int(0, 59), second: r.int(0, 59) };
}

class BusinessBuilder {
  readonly businesses: SeededBusiness[] = [];
  private readonly usedCodes = new Set<string>();

  constructor(
    readonly random: SeededRandom,
    private readonly provinces: ReadonlyMap<string, Province2025>,
  ) {}

  add(business: SeededBusiness): void {
    this.usedCodes.add(business.taxCode);
    this.businesses.push(business);
  }

  newTaxCode(prefix: string): string {
    for (;;) {
      const code = taxCodeFromStem(`${prefix}${this.random.digits(9 - prefix.length)}`);
      if (code && !this.usedCodes.has(code)) return code;
    }
  }

  provinceName(provinceCode: string): string {
    return this.provinces.get(provinceCode)?.fullName ?? provinceCode;
  }

  office(provinceCode: string): CurrentAddress {
    const province = this.provinces.get(provinceCode);
    if (!province) throw new Error(`unknown 2025 province ${provinceCode}`);
    const commune = this.random.pick(province.communes);
    return officeIn(provinceCode, commune.code, `Số ${this.random.int(1, 300)} ${this.random.pick(['Đường Lê Lợi', 'Đường Nguyễn Trãi', 'Đường Hùng Vương', 'Đường Trần Phú', 'Quốc lộ 1A'])}`);
  }

  statusDetails(status: RegistryStatus, registered: CalendarDate): Pick<SeededBusiness, 'status' | 'statusSince' | 'suspension'> {
    if (status === 'active') return { status };
    const since = randomDate(this.random, Math.max(registered.year + 1, 2021), 2026);
    if (status !== 'suspended') return { status, statusSince: since };
    const until = { ...since, year: since.year + 1, day: Math.min(since.day, 28) };
    return { status, statusSince: since, suspension: { from: since, until, reason: this.random.pick(['Khó khăn về tài chính', 'Sắp xếp lại hoạt động kinh doanh', 'Chủ doanh nghiệp đi chữa bệnh']) } };
  }
}

function addGeneratedBusiness(builder: BusinessBuilder, owner: SeededPerson): void {
  const r = builder.random;
  const [provinceCode, prefix] = r.weighted(taxCodePrefixes.map(([province, code, weight]) => [[province, code] as const, weight] as const));
  const registered = randomDate(r, 2005, 2024);
  const changed = r.chance(0.6) ? { lastChange: { at: laterDateTime(r, registered, 2026), count: r.int(1, 9) } } : {};
  const roll = r.next();
  if (roll < 0.25) {
    builder.add({
      // Household businesses are registered under the owner's personal MST (prefix 8).
      taxCode: builder.newTaxCode('8'),
      kind: 'household-business',
      name: `Hộ kinh doanh ${fullNameOf(owner.name)}`,
      legalForm: 'household-business',
      firstRegisteredOn: registered,
      ...builder.statusDetails(r.chance(0.85) ? 'active' : 'suspended', registered),
      representativeIds: [owner.personalId],
      headOffice: owner.permanentAddress,
      businessLines: lines(r.pick(householdActivities)),
    });
    return;
  }
  if (roll < 0.35) {
    const headOffice = builder.office(provinceCode);
    builder.add({
      taxCode: builder.newTaxCode(prefix),
      kind: 'cooperative',
      name: `Hợp tác xã ${r.pick(['Nông nghiệp', 'Dịch vụ nông nghiệp', 'Vận tải'])} ${r.pick(brandWords)}`,
      legalForm: 'cooperative',
      firstRegisteredOn: registered,
      ...changed,
      ...builder.statusDetails(r.weighted(statusWeights), registered),
      representativeIds: [owner.personalId],
      headOffice,
      businessLines: lines('0111', '0145'),
      charterCapital: r.int(2, 40) * 50_000_000,
    });
    return;
  }
  const legalForm = r.weighted(legalForms) as keyof typeof legalFormTitles;
  const trade = r.pick(tradeWords);
  const brand = legalForm === 'private-enterprise' ? owner.name.given : r.pick(brandWords);
  const activities = activityByTrade[trade] ?? ['4632'];
  const taxCode = builder.newTaxCode(prefix);
  const status = r.weighted(statusWeights);
  builder.add({
    taxCode,
    kind: 'enterprise',
    name: `${legalFormTitles[legalForm]} ${trade} ${brand}`,
    ...(r.chance(0.3) && { foreignName: '' }),
    legalForm,
    firstRegisteredOn: registered,
    ...changed,
    ...builder.statusDetails(status, registered),
    representativeIds: [owner.personalId],
    headOffice: builder.office(provinceCode),
    businessLines: lines(activities[0]!, ...activities.slice(1)),
    charterCapital: r.int(1, 200) * 100_000_000,
  });
  if (status === 'active' && r.chance(0.2)) {
    const branchOffice = builder.office(r.pick(['01', '79', '48']));
    builder.add({
      taxCode: `${taxCode}-001`,
      kind: 'branch',
      headUnitCode: taxCode,
      name: `Chi nhánh ${builder.provinceName(branchOffice.provinceCode)} - ${legalFormTitles[legalForm]} ${trade} ${brand}`,
      legalForm: 'branch',
      firstRegisteredOn: randomDate(r, registered.year, 2025),
      status: 'active',
      representativeIds: [owner.personalId],
      headOffice: branchOffice,
      businessLines: lines(activities[0]!),
    });
  }
}


/** Builds the businesses from scratch; the same seeds always give the same list. */
export function generateBusinesses(seed: number = enterprisesSeed): readonly SeededBusiness[] {
  const provinces = new Map(loadAdministrativeUnits2025().map((province) => [province.code, province]));
  const builder = new BusinessBuilder(createSeededRandom(seed), provinces);
  for (const business of wellKnownBusinesses()) builder.add(business);
  const wellKnown = new Set<string>(Object.values(wellKnownPersonIds));
  // Adults only, and not the well-known people, whose businesses are fixed above.
  const candidates = seededPeople().filter((person) => !wellKnown.has(person.personalId) && ageAtReferenceDate(person.birthDate) >= 20);
  const owners = [...candidates].sort((a, b) => a.personalId.localeCompare(b.personalId));
  for (let index = 0; index < generatedBusinessCount; index += 1) {
    addGeneratedBusiness(builder, builder.random.pick(owners));
  }
  return deepFreeze(builder.businesses);
}

let businesses: readonly SeededBusiness[] | undefined;
let byTaxCode: Map<string, SeededBusiness> | undefined;

/** The shared businesses, built once per process on first use. */
export function seededBusinesses(): readonly SeededBusiness[] {
  businesses ??= generateBusinesses();
  return businesses;
}

export function findBusinessByTaxCode(taxCode: string): SeededBusiness | undefined {
  byTaxCode ??= new Map(seededBusinesses().map((business) => [business.taxCode, business]));
  return byTaxCode.get(taxCode);
}

/** The dependent units (branches) registered under a head unit. */
export function branchesOf(taxCode: string): SeededBusiness[] {
  return seededBusinesses().filter((business) => business.headUnitCode === taxCode);
}
