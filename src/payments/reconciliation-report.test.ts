import { csvField } from '../audit/query/audit-csv.js';
import { reportCsv, vietnamDay, type DailyReport } from './reconciliation-report.js';

describe('reconciliation report, pure parts', () => {
  it('a Vietnam day is [00:00+07:00, next 00:00+07:00)', () => {
    expect(vietnamDay('2026-01-01')).toEqual({ from: new Date('2025-12-31T17:00:00.000Z'), to: new Date('2026-01-01T17:00:00.000Z') });
    expect(vietnamDay('2028-02-29').from).toEqual(new Date('2028-02-28T17:00:00.000Z'));
  });

  it.each(['2026-02-30', '2026-13-01', '2026-1-01', '20260101', '2026-01-01T00:00', ''])('refuses %j as a date', (date) => {
    expect(() => vietnamDay(date)).toThrow('YYYY-MM-DD');
  });

  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "x"', '"say ""x"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['', ''],
  ])('quotes %j as RFC 4180 (and defuses formulas)', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes every record with the same fields and CRLF line ends', () => {
    const report: DailyReport = {
      date: '2026-05-21',
      from: new Date('2026-05-20T17:00:00.000Z'),
      to: new Date('2026-05-21T17:00:00.000Z'),
      byState: [{ state: 'paid', count: 2, amount: '300000' }],
      total: { count: 2, amount: '300000' },
      mismatches: [{ kind: 'open_past_expiry', reference: 'R1', at: new Date('2026-05-21T10:00:00.000Z'), detail: 'still pending, "late"' }],
    };
    expect(reportCsv(report)).toBe(
      'date,section,state_or_kind,reference,count,amount_vnd,at,detail,payer_masked\r\n' +
        '2026-05-21,state,paid,,2,300000,,,\r\n' +
        '2026-05-21,total,all,,2,300000,,,\r\n' +
        '2026-05-21,mismatch,open_past_expiry,R1,,,2026-05-21T10:00:00.000Z,"still pending, ""late""",\r\n',
    );
  });
});
