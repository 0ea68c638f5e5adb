import { headUnitTaxCode, isValidTaxCode, taxCodeCheckDigit } from './tax-code.js';

describe('tax code (MST) check digit', () => {
  it('accepts published codes of real enterprises', () => {
    // Viettel group and Vinamilk: their MSTs are printed on every invoice.
    expect(isValidTaxCode('0100109106')).toBe(true);
    expect(isValidTaxCode('0300588569')).toBe(true);
    expect(taxCodeCheckDigit('010010910')).toBe(6);
  });

  it('refuses a wrong check digit, a wrong length and malformed branch suffixes', () => {
    expect(isValidTaxCode('0100109107')).toBe(false);
    expect(isValidTaxCode('010010910')).toBe(false);
    expect(isValidTaxCode('01001091066')).toBe(false);
    expect(isValidTaxCode('0100109106-000')).toBe(false);
    expect(isValidTaxCode('0100109106-01')).toBe(false);
    expect(isValidTaxCode('0100109106 ')).toBe(false);
  });

  it('accepts dependent units of a valid head unit', () => {
    expect(isValidTaxCode('0100109106-001')).toBe(true);
    expect(isValidTaxCode('0100109107-001')).toBe(false);
    expect(headUnitTaxCode('0100109106-012')).toBe('0100109106');
  });

  it('has no valid code for a stem whose weighted sum is a multiple of 11', () => {
    // 0·31+…+0·3 = 0 → the check "digit" would be 10.
    expect(taxCodeCheckDigit('000000000')).toBeUndefined();
    for (let digit = 0; digit <= 9; digit += 1) expect(isValidTaxCode(`000000000${digit}`)).toBe(false);
  });
});
