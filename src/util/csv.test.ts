import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\r\nlines"\r\n', { records: 'crlf' })).toEqual([['a', 'b, c', 'say "hi"', 'two\r\nlines']]);
  });

  it('crlf: only CRLF ends a record, and the text must end with one', () => {
    expect(parseCsv('a,b\r\nc\nd,e\r\n', { records: 'crlf' })).toEqual([['a', 'b'], ['c\nd', 'e']]);
    expect(() => parseCsv('a,b\r\nc', { records: 'crlf' })).toThrow('the CSV does not end with CRLF');
  });

  it('any-line-break: LF, CRLF or CR end a record, and the last needs none', () => {
    expect(parseCsv('a,b\nc,d\r\ne\rf,"g\nh"', { records: 'any-line-break' })).toEqual([['a', 'b'], ['c', 'd'], ['e'], ['f', 'g\nh']]);
    expect(parseCsv('', { records: 'any-line-break' })).toEqual([]);
  });
});
