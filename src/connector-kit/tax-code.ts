/**
 * The Vietnamese tax code (mã số thuế, MST), which is also the enterprise
 * code (mã số doanh nghiệp) since 2015: 10 digits whose last one is a check
 * digit, or those 10 digits + `-NNN` for a dependent unit (branch,
 * representative office, business location). REFERENCE.md, "Identifiers":
 * d10 = 10 − (Σ d_i·w_i mod 11) over the first nine digits. A sum ≡ 0 (mod 11)
 * would need the "digit" 10: no code with that stem is ever issued.
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
