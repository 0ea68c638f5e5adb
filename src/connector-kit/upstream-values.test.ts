import { codeWithLabel, compact, isoDateFromDayMonthYear, isoDateTimeFromCompact, upstreamArray, upstreamText } from './upstream-values.js';

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
  });

  it('reads dd/MM/yyyy dates at the precision they have', () => {
    expect(isoDateFromDayMonthYear('15/05/1990')).toBe('1990-05-15');
    expect(isoDateFromDayMonthYear('03/1968')).toBe('1968-03');
    expect(isoDateFromDayMonthYear('00/03/1968')).toBe('1968-03');
    expect(isoDateFromDayMonthYear('00/00/1938')).toBe('1938');
    expect(isoDateFromDayMonthYear('1938')).toBe('1938');
    expect(isoDateFromDayMonthYear('13/1990')).toBeUndefined();
    expect(isoDateFromDayMonthYear('1990-05-15')).toBeUndefined();
    expect(isoDateFromDayMonthYear('')).toBeUndefined();
  });

  it('reads yyyyMMddHHmmss as Vietnam time', () => {
    expect(isoDateTimeFromCompact('20250630173005')).toBe('2025-06-30T17:30:05+07:00');
    expect(isoDateTimeFromCompact('2025063017')).toBeUndefined();
  });
});
