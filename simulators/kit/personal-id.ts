/**
 * Structure of the 12-digit personal identification number (số định danh cá
 * nhân / CCCD), per Circular 07/2016/TT-BCA and Decree 137/2015:
 *   digits 1–3  province where the BIRTH was registered, under the pre-2025
 *               list of 63 provinces (001–096) — never a 2025 code;
 *   digit 4     century and sex: 0/1 = 1900s male/female, 2/3 = 2000s,
 *               4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s;
 *   digits 5–6  last two digits of the birth year;
 *   digits 7–12 random. There is no check digit.
 * Kept free of sandbox specifics: the gateway core validates requests with it.
 */

export type Sex = 'male' | 'female';

export interface PersonalIdParts {
  /** Birth-registration province, three digits, old (pre-2025) list. */
  birthRegistrationProvinceCode: string;
  /** First year of the birth century, e.g. 1900. */
  century: number;
  sex: Sex;
  birthYear: number;
}

const personalIdPattern = /^(\d{3})(\d)(\d{2})(\d{6})$/;

/** Highest birth-registration province code in the old list (Cà Mau). */
const maxProvinceCode = 96;

export function parsePersonalId(id: string): PersonalIdParts | undefined {
  const match = personalIdPattern.exec(id);
  if (!match) return undefined;
  const [, province, centurySex, yearDigits] = match as unknown as [string, string, string, string];
  const provinceNumber = Number(province);
  if (provinceNumber < 1 || provinceNumber > maxProvinceCode) return undefined;
  const centuryDigit = Number(centurySex);
  const century = 1900 + Math.floor(centuryDigit / 2) * 100;
  return {
    birthRegistrationProvinceCode: province,
    century,
    sex: centuryDigit % 2 === 0 ? 'male' : 'female',
    birthYear: century + Number(yearDigits),
  };
}

export function isStructurallyValidPersonalId(id: string): boolean {
  return parsePersonalId(id) !== undefined;
}

/** Century and sex encoded in digit 4, or undefined for a malformed id. */
export function birthCenturyAndSex(id: string): { century: number; sex: Sex } | undefined {
  const parts = parsePersonalId(id);
  return parts && { century: parts.century, sex: parts.sex };
}

/** The digit-4 value for a birth year and sex (inverse of birthCenturyAndSex). */
export function centurySexDigit(birthYear: number, sex: Sex): string {
  const centuryIndex = Math.floor((birthYear - 1900) / 100);
  if (centuryIndex < 0 || centuryIndex > 4) throw new RangeError(`birth year ${birthYear} outside 1900–2399`);
  return String(centuryIndex * 2 + (sex === 'female' ? 1 : 0));
}

/** Old identity card (CMND): nine digits. */
export function isStructurallyValidOldIdCardNumber(value: string): boolean {
  return /^\d{9}$/.test(value);
}
