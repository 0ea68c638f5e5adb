import { birthCenturyAndSex, centurySexDigit, isStructurallyValidPersonalId, parsePersonalId } from './personal-id.js';

describe('personal id structure', () => {
  it('accepts twelve digits with an old birth-registration province 001–096', () => {
    expect(isStructurallyValidPersonalId('001090012345')).toBe(true);
    expect(isStructurallyValidPersonalId('096305000001')).toBe(true);
  });

  it.each([
    ['11 digits', '00109001234'],
    ['13 digits', '0010900123456'],
    ['letters', '00109001234A'],
    ['province 000', '000090012345'],
    ['province 097', '097090012345'],
    ['spaces', ' 001090012345'],
  ])('rejects %s', (_label, id) => {
    expect(isStructurallyValidPersonalId(id)).toBe(false);
    expect(birthCenturyAndSex(id)).toBeUndefined();
  });

  it('reads century and sex from digit 4 and the year from digits 5–6', () => {
    expect(birthCenturyAndSex('001090012345')).toEqual({ century: 1900, sex: 'male' });
    expect(birthCenturyAndSex('048175000456')).toEqual({ century: 1900, sex: 'female' });
    expect(birthCenturyAndSex('092205000321')).toEqual({ century: 2000, sex: 'male' });
    expect(birthCenturyAndSex('079301005678')).toEqual({ century: 2000, sex: 'female' });
    expect(birthCenturyAndSex('079401005678')).toEqual({ century: 2100, sex: 'male' });
    expect(parsePersonalId('079301005678')).toEqual({
      birthRegistrationProvinceCode: '079',
      century: 2000,
      sex: 'female',
      birthYear: 2001,
    });
  });

  it('encodes digit 4 as the inverse of the decoding', () => {
    expect(centurySexDigit(1990, 'male')).toBe('0');
    expect(centurySexDigit(1975, 'female')).toBe('1');
    expect(centurySexDigit(2005, 'male')).toBe('2');
    expect(centurySexDigit(2012, 'female')).toBe('3');
    expect(() => centurySexDigit(1899, 'male')).toThrow(RangeError);
  });
});
