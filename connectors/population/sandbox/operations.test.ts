import { birthDatesMatch, normalizeNameForComparison, parseRequestedBirthDate, textOf } from './operations.js';

describe('population sandbox rules', () => {
  it('normalizes names for comparison but keeps diacritics', () => {
    const decomposed = 'Nguye\u0302\u0303n Thi\u0323 Hoa';
    expect(normalizeNameForComparison(`  ${decomposed.toUpperCase()}  `)).toBe(normalizeNameForComparison('Nguyễn   Thị Hoa'));
    expect(normalizeNameForComparison('Nguyen Thi Hoa')).not.toBe(normalizeNameForComparison('Nguyễn Thị Hoa'));
    expect(normalizeNameForComparison('ĐỖ')).toBe('đỗ');
  });

  it('parses requested birth dates in the forms clients send', () => {
    expect(parseRequestedBirthDate({ NgayThangNam: '19900515' })).toEqual({ year: 1990, month: 5, day: 15 });
    expect(parseRequestedBirthDate({ NgayThangNam: '199005' })).toEqual({ year: 1990, month: 5 });
    expect(parseRequestedBirthDate({ Nam: '1990' })).toEqual({ year: 1990 });
    expect(parseRequestedBirthDate('19900515')).toEqual({ year: 1990, month: 5, day: 15 });
    expect(parseRequestedBirthDate({ NgayThangNam: '' })).toBeUndefined();
    expect(parseRequestedBirthDate(undefined)).toBeUndefined();
    expect(parseRequestedBirthDate({ NgayThangNam: '19900230' })).toBeNull();
    expect(parseRequestedBirthDate({ NgayThangNam: '15/05/1990' })).toBeNull();
  });

  it('matches dates at the precision both sides have', () => {
    expect(birthDatesMatch({ year: 1938, month: 1, day: 1 }, { year: 1938 })).toBe(true);
    expect(birthDatesMatch({ year: 1968 }, { year: 1968, month: 3 })).toBe(true);
    expect(birthDatesMatch({ year: 1968, month: 4 }, { year: 1968, month: 3 })).toBe(false);
    expect(birthDatesMatch({ year: 1990, month: 5, day: 16 }, { year: 1990, month: 5, day: 15 })).toBe(false);
    expect(birthDatesMatch({ year: 1991 }, { year: 1990 })).toBe(false);
  });

  it('reads element text from what the SOAP stack parsed', () => {
    expect(textOf(' 001 ')).toBe('001');
    expect(textOf('')).toBeUndefined();
    expect(textOf({})).toBeUndefined();
    expect(textOf({ $value: 'x' })).toBe('x');
    expect(textOf(42)).toBe('42');
  });
});
