import { loadAdministrativeUnits2025 } from './administrative-units.js';
import { findHistoricDistrict, findHistoricProvince, historicProvinces } from './historic-admin-units.js';
import {
  ageAtReferenceDate,
  findPersonById,
  findPersonByOldIdCard,
  fullNameOf,
  generatePeople,
  peopleSeed,
  seededPeople,
  wellKnownPersonIds,
  type RelativeRef,
  type SeededPerson,
} from './people.js';
import { isStructurallyValidPersonalId, parsePersonalId } from './personal-id.js';

const people = seededPeople();
const provinces = loadAdministrativeUnits2025();

function person(id: string): SeededPerson {
  const found = findPersonById(id);
  if (!found) throw new Error(`seeded person ${id} missing`);
  return found;
}

describe('seeded people', () => {
  it('are the same on every run and differ with another seed', () => {
    expect(JSON.stringify(generatePeople(peopleSeed, provinces))).toBe(JSON.stringify(people));
    expect(JSON.stringify(generatePeople(peopleSeed + 1, provinces))).not.toBe(JSON.stringify(people));
  });

  it('number about three hundred, with unique personal ids and old CMND numbers', () => {
    expect(people.length).toBeGreaterThanOrEqual(300);
    expect(people.length).toBeLessThan(310);
    expect(new Set(people.map((p) => p.personalId)).size).toBe(people.length);
    const oldIdCards = people.flatMap((p) => (p.oldIdCardNumber ? [p.oldIdCardNumber] : []));
    expect(new Set(oldIdCards).size).toBe(oldIdCards.length);
    for (const number of oldIdCards) expect(number).toMatch(/^\d{9}$/);
    expect(oldIdCards.length).toBeGreaterThan(50);
  });

  it('carry structurally valid ids consistent with birth year, sex and birth-registration province', () => {
    for (const p of people) {
      expect(isStructurallyValidPersonalId(p.personalId)).toBe(true);
      const parts = parsePersonalId(p.personalId);
      expect(parts).toEqual({
        birthRegistrationProvinceCode: `0${p.birthRegistration.provinceCode}`,
        century: Math.floor(p.birthDate.year / 100) * 100,
        sex: p.sex,
        birthYear: p.birthDate.year,
      });
      expect(findHistoricProvince(p.birthRegistration.provinceCode)).toBeDefined();
    }
  });

  it('have plausible birth dates, some of them partial', () => {
    for (const { birthDate } of people) {
      expect(birthDate.year).toBeGreaterThanOrEqual(1920);
      expect(birthDate.year).toBeLessThanOrEqual(2024);
      if (birthDate.day !== undefined) {
        expect(birthDate.month).toBeDefined();
        const date = new Date(Date.UTC(birthDate.year, (birthDate.month ?? 1) - 1, birthDate.day));
        expect(date.getUTCDate()).toBe(birthDate.day);
      }
    }
    expect(people.filter((p) => p.birthDate.month === undefined).length).toBeGreaterThan(1);
    expect(people.filter((p) => p.birthDate.month !== undefined && p.birthDate.day === undefined).length).toBeGreaterThan(1);
  });

  it('have Vietnamese names with diacritics, and some records with legacy name quirks', () => {
    expect(people.filter((p) => /[^\u0000-\u007f]/.test(fullNameOf(p.name))).length).toBeGreaterThan(people.length / 2);
    expect(people.some((p) => p.nameRecording === 'upper-ascii')).toBe(true);
    expect(people.some((p) => p.nameRecording === 'whole-name-in-given')).toBe(true);
    expect(people.some((p) => p.ethnicityCode !== '01')).toBe(true);
    for (const p of people) expect(fullNameOf(p.name)).toBe(fullNameOf(p.name).normalize('NFC'));
  });

  it('link only to relatives that exist, with matching names, sexes and ages', () => {
    const linked = (ref: RelativeRef | undefined): SeededPerson | undefined => {
      if (!ref?.personalId) return undefined;
      const relative = person(ref.personalId);
      expect(ref.fullName).toBe(fullNameOf(relative.name));
      expect(ref.oldIdCardNumber).toBe(relative.oldIdCardNumber);
      return relative;
    };
    let links = 0;
    for (const p of people) {
      const father = linked(p.father);
      const mother = linked(p.mother);
      const spouse = linked(p.spouse);
      const representative = linked(p.legalRepresentative);
      if (father) {
        links += 1;
        expect(father.sex).toBe('male');
        expect(father.birthDate.year).toBeLessThanOrEqual(p.birthDate.year - 15);
      }
      if (mother) {
        links += 1;
        expect(mother.sex).toBe('female');
        expect(mother.birthDate.year).toBeLessThanOrEqual(p.birthDate.year - 15);
      }
      if (spouse) {
        links += 1;
        expect(spouse.spouse?.personalId).toBe(p.personalId);
        expect(spouse.sex).not.toBe(p.sex);
        expect(p.maritalStatus).toBe('married');
      }
      if (ageAtReferenceDate(p.birthDate) < 18) {
        expect(representative).toBeDefined();
        expect([p.father?.personalId, p.mother?.personalId]).toContain(representative?.personalId);
      } else {
        expect(p.legalRepresentative).toBeUndefined();
      }
      const head = person(p.household.headId);
      expect(head.household.relationToHead).toBe('head');
      expect(head.household.headId).toBe(head.personalId);
      expect(p.permanentAddress).toEqual(head.permanentAddress);
    }
    expect(links).toBeGreaterThan(150);
  });

  it('live at real 2025 communes of the right province, and were born at old units', () => {
    const communes = new Map(provinces.flatMap((province) => province.communes.map((c) => [c.code, c.provinceCode] as const)));
    for (const p of people) {
      for (const address of [p.permanentAddress, p.currentAddress]) {
        expect(communes.get(address.communeCode)).toBe(address.provinceCode);
        expect(address.street).not.toBe('');
      }
      for (const address of [p.birthRegistration, p.hometown]) {
        expect(historicProvinces.map((province) => province.code)).toContain(address.provinceCode);
        if (address.districtCode) expect(findHistoricDistrict(address.provinceCode)?.code).toBe(address.districtCode);
      }
    }
  });

  it('map every old province to a 2025 province that exists', () => {
    expect(historicProvinces).toHaveLength(63);
    const codes2025 = new Set(provinces.map((province) => province.code));
    expect(codes2025.size).toBe(34);
    for (const province of historicProvinces) expect(codes2025.has(province.successorCode)).toBe(true);
    expect(new Set(historicProvinces.map((province) => province.successorCode)).size).toBe(34);
  });
});

describe('well-known seeded people', () => {
  it('are first and fixed', () => {
    expect(people.slice(0, 2).map((p) => p.personalId)).toEqual([
      wellKnownPersonIds.manBornInHanoi1990,
      wellKnownPersonIds.womanBorn2001WithDiacritics,
    ]);
    for (const id of Object.values(wellKnownPersonIds)) expect(findPersonById(id)).toBeDefined();
  });

  it('show what their names say', () => {
    const an = person(wellKnownPersonIds.manBornInHanoi1990);
    expect(fullNameOf(an.name)).toBe('Nguyễn Văn An');
    expect(an.birthDate).toEqual({ year: 1990, month: 5, day: 15 });
    expect(an.spouse?.personalId).toBe(wellKnownPersonIds.womanBorn2001WithDiacritics);
    expect(findPersonByOldIdCard('012345678')).toBe(an);

    expect(fullNameOf(person(wellKnownPersonIds.womanBorn2001WithDiacritics).name)).toBe('Trần Thị Ngọc Ánh');

    const elderly = person(wellKnownPersonIds.elderlyYearOnlyWithOldIdCard);
    expect(elderly.birthDate).toEqual({ year: 1938 });
    expect(elderly.oldIdCardNumber).toMatch(/^\d{9}$/);

    expect(person(wellKnownPersonIds.upperCaseNoDiacritics).nameRecording).toBe('upper-ascii');
    expect(person(wellKnownPersonIds.yearMonthBirthDate).birthDate).toEqual({ year: 1968, month: 3 });
    expect(person(wellKnownPersonIds.sparseRecord).sparseRecord).toBe(true);
    expect(person(wellKnownPersonIds.wholeNameInGivenName).nameRecording).toBe('whole-name-in-given');
    expect(person(wellKnownPersonIds.minorWithLegalRepresentative).legalRepresentative?.personalId).toBe(
      wellKnownPersonIds.upperCaseNoDiacritics,
    );
  });
});
