/* Generated from contracts/ by `npm run contracts:types`. Do not edit: change the schema and regenerate. */

/**
 * The attributes a citizen declared, checked against the national population database: id, full name and birth date (as the upstream's XacThucThongTinCongDan requires), optionally sex.
 */

export interface CitizenVerificationRequest {
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId: string;
  /**
   * Compared case-insensitively after Unicode normalization; diacritics count.
   */
  fullName: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dateOfBirth: string;
  sex?: 'male' | 'female';
}

// from contracts/population/v1/citizen-verify-request.json

/**
 * Per-field match booleans only: nothing of the record itself is released (data minimization: prefer this call when the officer only needs to verify).
 */

export interface CitizenVerificationResult {
  /**
   * A citizen with this personal id exists.
   */
  exists: boolean;
  /**
   * The id exists and every given attribute matches.
   */
  allMatch: boolean;
  /**
   * One boolean per attribute given in the request.
   */
  matches: {
    fullName?: boolean;
    dateOfBirth?: boolean;
    sex?: boolean;
  };
}

// from contracts/population/v1/citizen-verify-response.json

/**
 * A citizen's record from the national population database (CSDL quốc gia về dân cư), normalized: English field names, ISO dates (partial where the source is partial), codes kept with their labels. Fields the source leaves empty are absent, never null.
 */

export interface Citizen {
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId: string;
  /**
   * 9 digits (12 for the last CMND generation).
   */
  legacyIdNumber?: string;
  /**
   * Full name as recorded (HoVaTen), family name first.
   */
  fullName: string;
  nameParts?: {
    /**
     * Họ
     */
    familyName?: string;
    /**
     * Chữ đệm
     */
    middleName?: string;
    /**
     * Tên
     */
    givenName?: string;
  };
  sex?: CodedValue;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dateOfBirth: string;
  ethnicity?: CodedValue;
  religion?: CodedValue;
  maritalStatus?: CodedValue;
  bloodType?: CodedValue;
  nationality?: CodedValue;
  /**
   * SoSoHoKhau (historic household book).
   */
  householdBookNumber?: string;
  birthRegistrationPlace?: Address;
  hometown?: Address;
  permanentResidence?: Address;
  currentResidence?: Address;
  father?: Relative;
  mother?: Relative;
  spouse?: Relative;
  representative?: Relative;
  /**
   * ChuHo: the head of the household and this citizen's relationship to them.
   */
  householdHead?: {
    relationship?: CodedValue;
    /**
     * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
     */
    personalId?: string;
    fullName?: string;
  };
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface CodedValue {
  code: string;
  label?: string;
}
/**
 * Province/commune codes plus the free-text detail. districtCode appears only on records from before the July 2025 two-level reorganisation.
 */

export interface Address {
  /**
   * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
   */
  provinceCode?: string;
  districtCode?: string;
  /**
   * 5 digits.
   */
  communeCode?: string;
  detail?: string;
  /**
   * Country code or name as recorded.
   */
  country?: string;
}

export interface Relative {
  fullName?: string;
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId?: string;
  /**
   * 9 digits (12 for the last CMND generation).
   */
  legacyIdNumber?: string;
  nationality?: string;
}

// from contracts/population/v1/citizen.json
