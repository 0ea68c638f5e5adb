import { headUnitTaxCode, isPersonalTaxCode, isValidTaxCode, isValidTaxpayerCode, taxCodeCheckDigit } from './tax-code.js';

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

describe('taxpayer codes: business codes, and personal ids since July 2025', () => {
  it('takes a 12-digit personal id as an individual\'s tax code, with no check digit to verify', () => {
    expect(isPersonalTaxCode('001090012345')).toBe(true);
    expect(isValidTaxpayerCode('001090012345')).toBe(true);
    // Any last digit: a personal id carries no check digit.
    for (let digit = 0; digit <= 9; digit += 1) expect(isValidTaxpayerCode(`00109001234${digit}`)).toBe(true);
    // A personal id is not a business code: the enterprise-code check refuses it.
    expect(isValidTaxCode('001090012345')).toBe(false);
  });

  it('reads the first three digits against the pre-2025 birth-registration list (001–096), not the 34 provinces of 2025', () => {
    // 026 (Vĩnh Phúc), 030 (Hải Dương) and 093 (Hậu Giang) were merged away in 2025: still valid birth-registration codes.
    for (const id of ['026092001357', '030190000001', '093190000001', '096190000001']) expect(isValidTaxpayerCode(id)).toBe(true);
    for (const id of ['000190000001', '097190000001', '999190000001']) expect(isValidTaxpayerCode(id)).toBe(false);
  });

  it('still takes business codes with their check digit, and dependent units', () => {
    expect(isValidTaxpayerCode('0100109106')).toBe(true);
    expect(isValidTaxpayerCode('0100109106-001')).toBe(true);
    expect(isValidTaxpayerCode('0100109107')).toBe(false);
    expect(isValidTaxpayerCode('0100109106-000')).toBe(false);
  });

  it('refuses every other shape', () => {
    for (const code of ['00109001234', '0010900123456', '00109001234x', '001090012345 ', ' 001090012345', '001090012345-001', '001-090-012345', '', '0101234565001']) {
      expect({ code, valid: isValidTaxpayerCode(code) }).toEqual({ code, valid: false });
    }
  });
});
