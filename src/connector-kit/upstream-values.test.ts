import { UpstreamError } from './upstream-errors.js';
import { codeWithLabel, compact, upstreamDateTime, upstreamArray, upstreamDate, upstreamText } from './upstream-values.js';

describe('upstream values', () => {
  it('reads empty elements as no value', () => {
    expect(upstreamText(' 01 ')).toBe('01');
    expect(upstreamText('')).toBeUndefined();
    expect(upstreamText({})).toBeUndefined();
    expect(upstreamText({ $value: 'x' })).toBe('x');
    expect(upstreamText(42)).toBe('42');
  });

  it('turns one or several repeated elements into an array', () => {
    expect(upstreamArray(undefined)).toEqual([]);
    expect(upstreamArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(upstreamArray([1, 2])).toEqual([1, 2]);
  });

  it('keeps a code with its label, and no label without a code', () => {
    expect(codeWithLabel('01', 'Đang tham gia')).toEqual({ code: '01', label: 'Đang tham gia' });
    expect(codeWithLabel('01', '')).toEqual({ code: '01' });
    expect(codeWithLabel('', 'Đang tham gia')).toBeUndefined();
  });

  it('drops undefined members, and empty objects altogether', () => {
    expect(compact({ a: 1, b: undefined })).toEqual({ a: 1 });
    expect(compact({ b: undefined })).toBeUndefined();
    // Members keep their order; null, '' and 0 are values.
    expect(Object.entries(compact({ z: null, b: undefined, a: '', c: 0 })!)).toEqual([['z', null], ['a', ''], ['c', 0]]);
    // An own __proto__ member (JSON.parse makes one) stays a member and does not become the prototype.
    const parsed = compact(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>)!;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
    expect((parsed as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('knows the length of every month, leap years included', () => {
    for (const year of [1900, 1996, 2000, 2023, 2024, 2100]) {
      for (let month = 1; month <= 12; month += 1) {
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const mm = String(month).padStart(2, '0');
        expect(upstreamDate(`${year}${mm}${days}`, 'd')).toBe(`${year}-${mm}-${days}`);
        expect(() => upstreamDate(`${year}${mm}${days + 1}`, 'd')).toThrow(UpstreamError);
      }
    }
  });

  it.each([
    // Compact forms (the population database's NgayThangNam / Nam).
    ['19900515', '1990-05-15'],
    ['199005', '1990-05'],
    ['1990', '1990'],
    ['19680300', '1968-03'],
    ['19380000', '1938'],
    // Day first with slashes, padded or not.
    ['15/05/1990', '1990-05-15'],
    ['5/5/1990', '1990-05-05'],
    ['05/1990', '1990-05'],
    ['5/1990', '1990-05'],
    ['00/03/1968', '1968-03'],
    ['00/00/1938', '1938'],
    // ISO, as JSON adapters write them.
    ['1990-05-15', '1990-05-15'],
    ['1990-05', '1990-05'],
    // Calendar edges.
    ['29/02/2024', '2024-02-29'],
    ['20000229', '2000-02-29'],
    ['31/12/1999', '1999-12-31'],
    [' 15/05/1990 ', '1990-05-15'],
  ])('reads %j as %j', (raw, iso) => {
    expect(upstreamDate(raw, 'NgaySinh')).toBe(iso);
  });

  it.each([
    ['31/02/1990', 'no 31 February'],
    ['29/02/2023', 'no 29 February outside leap years'],
    ['19000229', '1900 is not a leap year'],
    ['2024-04-31', 'April has 30 days'],
    ['13/1990', 'no month 13'],
    ['19901301', 'no month 13 (compact)'],
    ['15/00/1990', 'a known day in an unknown month'],
    ['0990-05-15', 'a year before 1000'],
    ['0000', 'a year 0000 placeholder'],
    ['1990/05/15', 'yyyy/MM/dd'],
    ['15-05-1990', 'dd-MM-yyyy'],
    ['15.05.1990', 'dd.MM.yyyy'],
    ['15/05/90', 'a two-digit year'],
    ['1990-5-15', 'unpadded ISO'],
    ['1990-05-15T00:00:00', 'a date-time'],
    ['15051990', 'ddMMyyyy'],
    ['ngày 15 tháng 5 năm 1990', 'words'],
  ])('refuses %j (%s) as a contract violation, without echoing it', (raw) => {
    let thrown: unknown;
    try {
      upstreamDate(raw, 'NgaySinh');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect(thrown).toMatchObject({ kind: 'contract', message: expect.stringContaining('NgaySinh') });
    expect((thrown as Error).message).not.toContain(raw.trim());
  });

  it('reads an empty element as no value, not as a violation', () => {
    for (const empty of ['', '  ', undefined, null, {}]) expect(upstreamDate(empty, 'NgaySinh')).toBeUndefined();
  });

  it('demands the precision a field needs when asked to', () => {
    expect(upstreamDate('15/05/1990', 'GiaTriTu', { expect: 'day' })).toBe('1990-05-15');
    expect(() => upstreamDate('05/1990', 'GiaTriTu', { expect: 'day' })).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(upstreamDate('06/2025', 'KyDongCuoi', { expect: 'month' })).toBe('2025-06');
    expect(() => upstreamDate('2025', 'KyDongCuoi', { expect: 'month' })).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(upstreamDate('', 'GiaTriTu', { expect: 'day' })).toBeUndefined();
  });

  it('reads yyyyMMddHHmmss as Vietnam time', () => {
    expect(upstreamDateTime('20250630173005', 'NgayCapNhat')).toBe('2025-06-30T17:30:05+07:00');
    expect(upstreamDateTime('', 'NgayCapNhat')).toBeUndefined();
    for (const wrong of ['2025063017', '20250231120000', '20250630240000', '20250630126000', '2025-06-30T17:30:05']) {
      expect(() => upstreamDateTime(wrong, 'NgayCapNhat')).toThrow(expect.objectContaining({ kind: 'contract', message: 'NgayCapNhat: not a yyyyMMddHHmmss date-time' }));
    }
  });
});
