import { loadAdministrativeUnits2025, type Province2025 } from '../../../simulators/kit/administrative-units.js';
import {
  ageAtReferenceDate,
  populationReferenceDate,
  seededPeople,
  wellKnownPersonIds,
  type PartialDate,
  type SeededPerson,
} from '../../../simulators/kit/people.js';
import { createSeededRandom, type SeededRandom } from '../../../simulators/kit/seeded-random.js';
import { findBusinessByTaxCode, seededBusinesses, wellKnownTaxCodes, type SeededBusiness } from '../../../simulators/kit/enterprises.js';
import { recordedFullName, toUpperAscii } from '../../../simulators/kit/recorded-names.js';

/**
 * The shared seeded people as Vietnam Social Security (BHXH) would hold them:
 * who participates, in which scheme, with which health-insurance card, at
 * which initial-care facility, for which contribution unit. Deterministic
 * (fixed seed, judged at the population's reference date, 1 July 2025).
 *
 * Not everyone participates: about a fifth of working-age adults have no
 * record at all. Children under 6 hold a free child's card (TE), pupils a
 * school card (HS), students a student card (SV), pensioners a pensioner's
 * card (HT) and the very old without a pension a social-assistance card (BT).
 * Employers are the shared seeded businesses (enterprises.ts), so a unit's
 * tax code is the same company at the business registry and at tax; public
 * bodies (no business record) report an empty MaSoThue. Every code list below
 * is an ASSUMPTION shaped like BHXH's published ones (README.md beside the
 * connector).
 */

export type CodeLabel = readonly [code: string, label: string];

/** TrangThaiThamGia. */
export const participationStatuses = {
  compulsory: ['01', 'Đang tham gia BHXH bắt buộc'],
  voluntary: ['02', 'Đang tham gia BHXH tự nguyện'],
  paused: ['03', 'Tạm dừng đóng'],
  closed: ['04', 'Đã chốt sổ, dừng tham gia'],
  pensioner: ['05', 'Đang hưởng lương hưu'],
  healthInsuranceOnly: ['06', 'Chỉ tham gia BHYT'],
} as const satisfies Record<string, CodeLabel>;

/** DoiTuong: the two letters that open a card number, with the benefit level (MucHuong) they carry. */
export const beneficiaryCategories = {
  DN: { label: 'Người lao động làm việc trong doanh nghiệp', level: '4' },
  HT: { label: 'Người hưởng lương hưu, trợ cấp mất sức lao động', level: '3' },
  TE: { label: 'Trẻ em dưới 6 tuổi', level: '1' },
  HS: { label: 'Học sinh', level: '4' },
  SV: { label: 'Sinh viên', level: '4' },
  GD: { label: 'Người tham gia BHYT theo hộ gia đình', level: '4' },
  BT: { label: 'Người hưởng trợ cấp bảo trợ xã hội hằng tháng', level: '2' },
} as const;
export type BeneficiaryCategory = keyof typeof beneficiaryCategories;

/** MucHuong: share of covered costs paid by the fund. */
export const benefitLevels: Record<string, string> = {
  '1': '100% chi phí khám bệnh, chữa bệnh',
  '2': '100% chi phí khám bệnh, chữa bệnh (có giới hạn tỷ lệ thanh toán một số thuốc, dịch vụ kỹ thuật)',
  '3': '95% chi phí khám bệnh, chữa bệnh',
  '4': '80% chi phí khám bệnh, chữa bệnh',
};

export interface CareFacility {
  code: string;
  name: string;
  provinceCode: string;
}

export interface ContributionUnit {
  unitCode: string;
  name: string;
  /** The business's MST; undefined for public bodies, which have no business record (an empty element upstream). */
  taxCode?: string;
}

export interface DayDate {
  year: number;
  month: number;
  day: number;
}

export interface HealthInsuranceCard {
  category: BeneficiaryCategory;
  /** Old (63-province) code of the issuing office: the card number carries it. */
  issuingProvinceCode: string;
  validFrom: DayDate;
  validTo: DayDate;
  /** When five consecutive years of coverage were reached; undefined = not yet (an empty element upstream). */
  fiveConsecutiveYearsFrom?: DayDate;
  facility: CareFacility;
}

export interface SeededParticipant {
  socialInsuranceCode: string;
  person: SeededPerson;
  /** Old BHXH records not yet linked to the population database carry no personal id. */
  linkedToPersonalId: boolean;
  /** BHXH's own spelling of the name: always upper case, legacy records without diacritics. */
  recordedName: string;
  status: CodeLabel;
  card?: HealthInsuranceCard;
  contributions?: { months: number; unit?: ContributionUnit; lastPeriod: { year: number; month: number } };
  /** yyyyMMddHHmmss of the record's last change. */
  updatedAt: string;
}

export const wellKnownSocialInsuranceCodes = Object.freeze({
  /** Nguyễn Văn An: compulsory, at the company he represents (0101234565), DN card. */
  employedInHanoi: '0123456789',
  /** Trần Thị Ngọc Ánh: compulsory at her TP.HCM company (0301234562), card not yet five years old (empty element). */
  youngEmployee: '7901234567',
  /** Lê Văn Bảy: pensioner, HT card, legacy name without diacritics, birth year only (00/00/1938). */
  pensioner: '3898001234',
  /** NGUYEN THI HOA: voluntary scheme, household card (GD), empty DonViThamGia. */
  voluntary: '4801234567',
  /** Đỗ Ngọc Minh Thư: a pupil (HS card), no contribution history at all. */
  pupil: '4812345678',
  /** Phạm Thị Thu Hà: retired in November 2024, birth date year-month only (00/03/1968). */
  recentPensioner: '3101234567',
  /** HOÀNG VĂN TÚ: compulsory at the cooperative he directs (2601234567 is its tax code, not his). */
  cooperativeDirector: '2605001357',
  /** A generated Hà Nội participant whose book is settled (04): card expired, no unit. */
  closed: '0112345678',
  /** Not linked to a personal id yet: found by code only. */
  unlinked: '0198765432',
});

// ------------------------------------------------------------------ catalogs

/** A few well-known hospitals by 2025 province; elsewhere people register at their commune's health station. */
const namedFacilities: ReadonlyArray<readonly [code: string, name: string]> = [
  ['01001', 'Bệnh viện Bạch Mai'],
  ['01009', 'Bệnh viện Đa khoa Xanh Pôn'],
  ['01013', 'Bệnh viện Thanh Nhàn'],
  ['79024', 'Bệnh viện Chợ Rẫy'],
  ['79031', 'Bệnh viện Nhân dân 115'],
  ['79071', 'Bệnh viện Nhân dân Gia Định'],
  ['48001', 'Bệnh viện Đà Nẵng'],
  ['48017', 'Trung tâm Y tế khu vực Sơn Trà'],
  ['31002', 'Bệnh viện Hữu nghị Việt Tiệp'],
  ['38001', 'Bệnh viện Đa khoa tỉnh Thanh Hóa'],
  ['92001', 'Bệnh viện Đa khoa Trung ương Cần Thơ'],
  ['25001', 'Bệnh viện Đa khoa tỉnh Phú Thọ'],
];

const publicEmployers = ['Ủy ban nhân dân', 'Trường Trung học cơ sở', 'Trường Mầm non'];

// ------------------------------------------------------------------ builder

const referenceDay: DayDate = { year: populationReferenceDate.year, month: populationReferenceDate.month, day: populationReferenceDate.day };

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

export function dayMonthYear(date: DayDate): string {
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`;
}

/** BHXH prints unknown day or month as 00: 00/03/1968, 00/00/1938. */
export function birthDateText(date: PartialDate): string {
  return `${pad(date.day ?? 0)}/${pad(date.month ?? 0)}/${date.year}`;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

class ParticipantBuilder {
  readonly participants: SeededParticipant[] = [];
  private readonly usedCodes = new Set<string>(Object.values(wellKnownSocialInsuranceCodes));
  private readonly provinces: Map<string, Province2025>;
  private readonly units = new Map<string, ContributionUnit>();
  /** Employers draw from their own stream, so a change in the shared businesses cannot reshuffle codes or cards. */
  private readonly employerRandom: SeededRandom;

  constructor(readonly random: SeededRandom) {
    this.provinces = new Map(loadAdministrativeUnits2025().map((province) => [province.code, province]));
    this.employerRandom = createSeededRandom(20250703);
  }

  newCode(person: SeededPerson): string {
    // Two digits of the office that first registered the person (the old province in the personal id), eight more.
    for (;;) {
      const code = `${person.personalId.slice(1, 3)}${this.random.digits(8)}`;
      if (!this.usedCodes.has(code)) {
        this.usedCodes.add(code);
        return code;
      }
    }
  }

  /** The person's commune health station, or one of the province's named hospitals. */
  facilityFor(person: SeededPerson, preferHospital: boolean): CareFacility {
    const provinceCode = person.currentAddress.provinceCode;
    const named = namedFacilities.filter(([code]) => code.startsWith(provinceCode));
    if (named.length > 0 && (preferHospital || this.random.chance(0.5))) {
      const [code, name] = this.random.pick(named);
      return { code, name, provinceCode };
    }
    const commune = this.provinces.get(provinceCode)?.communes.find((candidate) => candidate.code === person.currentAddress.communeCode);
    return {
      code: `${provinceCode}${person.currentAddress.communeCode.slice(-3)}`,
      name: `Trạm Y tế ${commune?.fullName ?? 'xã'}`,
      provinceCode,
    };
  }

  /** The contribution unit of a seeded business: one BHXH unit code per tax code, given on first use. */
  unitOf(business: SeededBusiness): ContributionUnit {
    return this.unitKeyed(business.taxCode, () => ({ name: business.name, taxCode: business.taxCode }));
  }

  /** An employer in the province: an operating business there, or a public body (about one in six). */
  unitIn(provinceCode: string): ContributionUnit {
    const r = this.employerRandom;
    const operating = seededBusinesses().filter(
      (business) => business.status === 'active' && business.kind !== 'household-business' && business.headOffice.provinceCode === provinceCode,
    );
    if (operating.length > 0 && !r.chance(0.15)) return this.unitOf(r.pick(operating));
    const communes = this.provinces.get(provinceCode)?.communes.map((commune) => commune.fullName) ?? ['Phường Trung tâm'];
    const name = `${r.pick(publicEmployers)} ${r.pick(communes).replace(/^(Phường|Xã|Đặc khu) /, '')}`;
    return this.unitKeyed(name, () => ({ name }));
  }

  private unitKeyed(key: string, create: () => Omit<ContributionUnit, 'unitCode'>): ContributionUnit {
    const existing = this.units.get(key);
    if (existing) return existing;
    const r = this.employerRandom;
    // BHXH unit codes look like two letters, four digits and a letter (TA1234A).
    const unit = { unitCode: `${r.pick(['TA', 'TB', 'YN', 'HC'])}${pad(this.units.size + 1, 4)}${r.pick(['A', 'B', 'D', 'Z'])}`, ...create() };
    this.units.set(key, unit);
    return unit;
  }

  annualCard(person: SeededPerson, category: BeneficiaryCategory, options: { since: number; preferHospital?: boolean; validTo?: DayDate; validFrom?: DayDate }): HealthInsuranceCard {
    const continuousYears = referenceDay.year - options.since;
    return {
      category,
      issuingProvinceCode: person.personalId.slice(1, 3),
      validFrom: options.validFrom ?? { year: referenceDay.year, month: 1, day: 1 },
      validTo: options.validTo ?? { year: referenceDay.year, month: 12, day: 31 },
      ...(continuousYears >= 5 && { fiveConsecutiveYearsFrom: { year: options.since + 5, month: 1, day: 1 } }),
      facility: this.facilityFor(person, options.preferHospital ?? false),
    };
  }

  add(participant: Omit<SeededParticipant, 'recordedName' | 'updatedAt' | 'linkedToPersonalId'> & { asciiName?: boolean; linkedToPersonalId?: boolean; updatedAt?: string }): void {
    const name = recordedFullName(participant.person);
    const { asciiName, ...rest } = participant;
    this.participants.push({
      ...rest,
      linkedToPersonalId: participant.linkedToPersonalId ?? true,
      recordedName: asciiName ? toUpperAscii(name) : name.toLocaleUpperCase('vi'),
      updatedAt: participant.updatedAt ?? this.updateMoment(),
    });
  }

  private updateMoment(): string {
    const month = this.random.int(1, 6);
    return `${referenceDay.year}${pad(month)}${pad(this.random.int(1, 28))}${pad(this.random.int(7, 17))}${pad(this.random.int(0, 59))}${pad(this.random.int(0, 59))}`;
  }
}

function childCardValidity(birthDate: PartialDate): { validFrom: DayDate; validTo: DayDate } {
  const month = birthDate.month ?? 1;
  const day = birthDate.day ?? 1;
  // A child's card runs from birth to the day before the sixth birthday.
  const sixth = new Date(Date.UTC(birthDate.year + 6, month - 1, day - 1));
  return {
    validFrom: { year: birthDate.year, month, day },
    validTo: { year: sixth.getUTCFullYear(), month: sixth.getUTCMonth() + 1, day: sixth.getUTCDate() },
  };
}

function retirementAge(person: SeededPerson): number {
  return person.sex === 'male' ? 61 : 57;
}

function addWellKnownParticipants(builder: ParticipantBuilder, person: (id: string) => SeededPerson): void {
  const codes = wellKnownSocialInsuranceCodes;
  const business = (taxCode: string): SeededBusiness => {
    const found = findBusinessByTaxCode(taxCode);
    if (!found) throw new Error(`well-known business ${taxCode} missing from the seeded businesses`);
    return found;
  };
  const an = person(wellKnownPersonIds.manBornInHanoi1990);
  builder.add({
    socialInsuranceCode: codes.employedInHanoi,
    person: an,
    status: participationStatuses.compulsory,
    card: { ...builder.annualCard(an, 'DN', { since: 2013 }), facility: { code: '01009', name: 'Bệnh viện Đa khoa Xanh Pôn', provinceCode: '01' } },
    contributions: { months: 142, unit: builder.unitOf(business(wellKnownTaxCodes.activeCompany)), lastPeriod: { year: 2025, month: 6 } },
    updatedAt: '20250628091512',
  });
  const anh = person(wellKnownPersonIds.womanBorn2001WithDiacritics);
  builder.add({
    socialInsuranceCode: codes.youngEmployee,
    person: anh,
    status: participationStatuses.compulsory,
    card: builder.annualCard(anh, 'DN', { since: 2023, preferHospital: true }),
    contributions: { months: 27, unit: builder.unitOf(business(wellKnownTaxCodes.companyWithTwoRepresentatives)), lastPeriod: { year: 2025, month: 6 } },
    updatedAt: '20250630163044',
  });
  const bay = person(wellKnownPersonIds.elderlyYearOnlyWithOldIdCard);
  builder.add({
    socialInsuranceCode: codes.pensioner,
    person: bay,
    status: participationStatuses.pensioner,
    card: builder.annualCard(bay, 'HT', { since: 1998 }),
    contributions: { months: 372, lastPeriod: { year: 1998, month: 12 } },
    asciiName: true,
    updatedAt: '20250115080000',
  });
  const hoa = person(wellKnownPersonIds.upperCaseNoDiacritics);
  builder.add({
    socialInsuranceCode: codes.voluntary,
    person: hoa,
    status: participationStatuses.voluntary,
    card: builder.annualCard(hoa, 'GD', { since: 2019, validFrom: { year: 2024, month: 9, day: 1 }, validTo: { year: 2025, month: 8, day: 31 } }),
    contributions: { months: 96, lastPeriod: { year: 2025, month: 6 } },
    updatedAt: '20250602101010',
  });
  const thu = person(wellKnownPersonIds.minorWithLegalRepresentative);
  builder.add({
    socialInsuranceCode: codes.pupil,
    person: thu,
    status: participationStatuses.healthInsuranceOnly,
    card: builder.annualCard(thu, 'HS', { since: 2012, validFrom: { year: 2024, month: 10, day: 1 }, validTo: { year: 2025, month: 9, day: 30 } }),
    updatedAt: '20241001000000',
  });
  const ha = person(wellKnownPersonIds.yearMonthBirthDate);
  builder.add({
    socialInsuranceCode: codes.recentPensioner,
    person: ha,
    status: participationStatuses.pensioner,
    card: builder.annualCard(ha, 'HT', { since: 1992, validFrom: { year: 2024, month: 11, day: 1 } }),
    contributions: { months: 384, lastPeriod: { year: 2024, month: 10 } },
    updatedAt: '20241105143000',
  });
  const tu = person(wellKnownPersonIds.wholeNameInGivenName);
  builder.add({
    socialInsuranceCode: codes.cooperativeDirector,
    person: tu,
    status: participationStatuses.compulsory,
    card: builder.annualCard(tu, 'DN', { since: 2016 }),
    contributions: { months: 86, unit: builder.unitOf(business(wellKnownTaxCodes.cooperative)), lastPeriod: { year: 2025, month: 6 } },
    updatedAt: '20250703081500',
  });
  // Võ Minh Khang (092205000321) does not participate: no record at all.
}

function addGeneratedParticipant(builder: ParticipantBuilder, person: SeededPerson): void {
  const r = builder.random;
  const age = ageAtReferenceDate(person.birthDate);
  const code = () => builder.newCode(person);
  const legacyName = r.chance(0.2);
  if (age < 6) {
    const card = { ...builder.annualCard(person, 'TE', { since: person.birthDate.year }), ...childCardValidity(person.birthDate) };
    builder.add({ socialInsuranceCode: code(), person, status: participationStatuses.healthInsuranceOnly, card });
    return;
  }
  if (age < 18) {
    const card = builder.annualCard(person, 'HS', {
      since: Math.max(person.birthDate.year, 2015),
      validFrom: { year: 2024, month: 10, day: 1 },
      validTo: { year: 2025, month: 9, day: 30 },
    });
    builder.add({ socialInsuranceCode: code(), person, status: participationStatuses.healthInsuranceOnly, card });
    return;
  }
  if (age >= retirementAge(person)) {
    const retiredIn = Math.max(person.birthDate.year + retirementAge(person) - 1, 1990);
    if (r.chance(0.6)) {
      builder.add({
        socialInsuranceCode: code(),
        person,
        status: participationStatuses.pensioner,
        card: builder.annualCard(person, 'HT', { since: Math.min(retiredIn, 2024) }),
        contributions: { months: r.int(240, 420), lastPeriod: { year: Math.min(retiredIn, 2024), month: r.int(1, 12) } },
        asciiName: legacyName || retiredIn < 2010,
      });
    } else if (age >= 80) {
      builder.add({ socialInsuranceCode: code(), person, status: participationStatuses.healthInsuranceOnly, card: builder.annualCard(person, 'BT', { since: 2010 }), asciiName: legacyName });
    } else if (r.chance(0.5)) {
      builder.add({ socialInsuranceCode: code(), person, status: participationStatuses.healthInsuranceOnly, card: builder.annualCard(person, 'GD', { since: 2018 }) });
    }
    return;
  }
  if (age < 23 && r.chance(0.5)) {
    builder.add({ socialInsuranceCode: code(), person, status: participationStatuses.healthInsuranceOnly, card: builder.annualCard(person, 'SV', { since: 2021 }) });
    return;
  }
  const firstYear = Math.max(person.birthDate.year + r.int(18, 26), 1995);
  const monthsSinceStart = Math.max((referenceDay.year - firstYear) * 12 + referenceDay.month - 1, 1);
  const scheme = r.weighted<'compulsory' | 'voluntary' | 'paused' | 'closed' | 'none'>([
    ['compulsory', 55],
    ['voluntary', 8],
    ['paused', 7],
    ['closed', 10],
    ['none', 20],
  ]);
  const lastMonth = { year: 2025, month: 6 };
  switch (scheme) {
    case 'none':
      return;
    case 'compulsory':
      builder.add({
        socialInsuranceCode: code(),
        person,
        status: participationStatuses.compulsory,
        card: builder.annualCard(person, 'DN', { since: firstYear }),
        contributions: { months: r.int(Math.ceil(monthsSinceStart * 0.6), monthsSinceStart), unit: builder.unitIn(person.currentAddress.provinceCode), lastPeriod: lastMonth },
        asciiName: legacyName,
        // Old books never matched with the population database keep no personal id.
        linkedToPersonalId: !r.chance(0.05),
      });
      return;
    case 'voluntary':
      builder.add({
        socialInsuranceCode: code(),
        person,
        status: participationStatuses.voluntary,
        card: builder.annualCard(person, 'GD', { since: Math.max(firstYear, 2015) }),
        contributions: { months: r.int(12, Math.max(monthsSinceStart, 12)), lastPeriod: lastMonth },
        asciiName: legacyName,
      });
      return;
    case 'paused':
    case 'closed': {
      const stoppedIn = { year: r.int(Math.max(firstYear, 2018), 2025), month: r.int(1, 6) };
      const months = Math.max((stoppedIn.year - firstYear) * 12 + stoppedIn.month, 1);
      builder.add({
        socialInsuranceCode: code(),
        person,
        status: scheme === 'paused' ? participationStatuses.paused : participationStatuses.closed,
        // The card lapses at the end of the last month paid for.
        card: builder.annualCard(person, 'DN', {
          since: firstYear,
          validFrom: { year: stoppedIn.year, month: 1, day: 1 },
          validTo: { ...stoppedIn, day: lastDayOfMonth(stoppedIn.year, stoppedIn.month) },
        }),
        contributions: { months, ...(scheme === 'paused' && { unit: builder.unitIn(person.currentAddress.provinceCode) }), lastPeriod: stoppedIn },
        asciiName: legacyName,
      });
      return;
    }
  }
}

/** Builds the participants from scratch; always the same for the same people. */
export function generateParticipants(people: readonly SeededPerson[] = seededPeople()): readonly SeededParticipant[] {
  const builder = new ParticipantBuilder(createSeededRandom(20250702));
  const byId = new Map(people.map((person) => [person.personalId, person]));
  const person = (id: string): SeededPerson => {
    const found = byId.get(id);
    if (!found) throw new Error(`well-known person ${id} missing from the seeded people`);
    return found;
  };
  addWellKnownParticipants(builder, person);
  const wellKnown = new Set<string>(Object.values(wellKnownPersonIds));
  for (const candidate of people) if (!wellKnown.has(candidate.personalId)) addGeneratedParticipant(builder, candidate);
  // Two generated Hà Nội records get fixed codes, so tests and docs can name them.
  const promote = (code: string, predicate: (participant: SeededParticipant) => boolean, changes: Partial<SeededParticipant> = {}) => {
    const index = builder.participants.findIndex(
      (participant) => participant.socialInsuranceCode.startsWith('01') && !wellKnown.has(participant.person.personalId) && predicate(participant),
    );
    const chosen = builder.participants[index];
    if (!chosen) throw new Error(`no generated participant to give the well-known code ${code}`);
    builder.participants[index] = { ...chosen, ...changes, socialInsuranceCode: code };
  };
  // A book never matched with the population database: found by its code only.
  promote(wellKnownSocialInsuranceCodes.unlinked, (participant) => participant.status === participationStatuses.compulsory && participant.linkedToPersonalId, { linkedToPersonalId: false });
  promote(wellKnownSocialInsuranceCodes.closed, (participant) => participant.status === participationStatuses.closed);
  return builder.participants;
}

let participants: readonly SeededParticipant[] | undefined;
let byCode: Map<string, SeededParticipant> | undefined;
let byPersonalId: Map<string, SeededParticipant> | undefined;

export function seededParticipants(): readonly SeededParticipant[] {
  participants ??= generateParticipants();
  return participants;
}

export function findParticipantByCode(code: string): SeededParticipant | undefined {
  byCode ??= new Map(seededParticipants().map((participant) => [participant.socialInsuranceCode, participant]));
  return byCode.get(code);
}

export function findParticipantByPersonalId(personalId: string): SeededParticipant | undefined {
  byPersonalId ??= new Map(
    seededParticipants().flatMap((participant) => (participant.linkedToPersonalId ? [[participant.person.personalId, participant] as const] : [])),
  );
  return byPersonalId.get(personalId);
}
