/**
 * The Vietnamese tax code (mã số thuế, MST), which is also the enterprise
 * code (mã số doanh nghiệp) since 2015: 10 digits whose last one is a check
 * digit, or those 10 digits + `-NNN` for a dependent unit (branch,
 * representative office, business location). REFERENCE.md, "Identifiers":
 * d10 = 10 − (Σ d_i·w_i mod 11) over the first nine digits. A sum ≡ 0 (mod 11)
 * would need the "digit" 10: no code with that stem is ever issued.
 *
 * Since 1 July 2025 an individual's tax code, and that of a household or
 * household business (its representative's), is their 12-digit personal id
 * (Thông tư 86/2024/TT-BTC, Art. 5(1)(b) and 5(5); see connectors/tax/README.md).
 * Business codes are unchanged, so a taxpayer code is either kind.
 */

const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

export const taxCodePattern = /^(\d{10})(?:-(\d{3}))?$/;

/** The check digit of a nine-digit stem, or undefined when no valid code has this stem. */
export function taxCodeCheckDigit(stem: string): number | undefined {
  if (!/^\d{9}$/.test(stem)) throw new TypeError('a tax-code stem is nine digits');
  const sum = weights.reduce((total, weight, index) => total + weight * Number(stem[index]), 0);
  const digit = 10 - (sum % 11);
  return digit === 10 ? undefined : digit;
}

/** 10 digits with a matching check digit, optionally `-NNN` with NNN from 001. */
export function isValidTaxCode(code: string): boolean {
  const match = taxCodePattern.exec(code);
  if (!match) return false;
  const [, main = '', branch] = match;
  if (branch === '000') return false;
  return taxCodeCheckDigit(main.slice(0, 9)) === Number(main[9]);
}

/** The head unit's code of a dependent unit's code (`0101234567-001` → `0101234567`). */
export function headUnitTaxCode(code: string): string {
  return code.slice(0, 10);
}

/**
 * A personal id used as a tax code: 12 digits, the first three a
 * birth-registration province of the pre-2025 list (001–096, as
 * contracts/common/v1 `personalId`), never checked against the 2025
 * provinces. It has no check digit, so nothing more can be checked offline.
 */
export const personalTaxCodePattern = /^(00[1-9]|0[1-8]\d|09[0-6])\d{9}$/;

export function isPersonalTaxCode(code: string): boolean {
  return personalTaxCodePattern.test(code);
}

/** What the tax authority accepts as a taxpayer's code: a business code (with its check digit) or a personal id. */
export function isValidTaxpayerCode(code: string): boolean {
  return isPersonalTaxCode(code) || isValidTaxCode(code);
}
