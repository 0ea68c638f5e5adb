import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { auditCsvHeader, csvField } from './audit-csv.js';
import { escapeHtml } from '../../util/html.js';
import { renderSubjectAccessReportHtml } from './subject-report-html.js';

describe('audit cursor', () => {
  it('round-trips and refuses anything it did not issue', () => {
    const cursor = { occurredAt: '2026-11-23T10:00:00.123456Z', id: '42' };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
    for (const bad of ['', 'not a cursor', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2026-11-23", "1"]').toString('base64url'), Buffer.from('["2026-11-23T10:00:00.123456Z", "0"]').toString('base64url')]) {
      expect(decodeAuditCursor(bad)).toBeUndefined();
    }
  });
});

describe('audit CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(auditCsvHeader.endsWith('\r\n')).toBe(true);
  });
});

describe('citizen report HTML', () => {
  it('escapes every value and keeps Vietnamese text as is', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    const html = renderSubjectAccessReportHtml({
      subject: '001*******45',
      generatedAt: '2026-11-23T10:00:00.000Z',
      count: 1,
      truncated: false,
      accesses: [
        {
          occurredAt: '2026-11-23T09:00:00.000Z',
          consumer: 'one-stop',
          consumerName: 'Hệ thống một cửa <tỉnh>',
          agency: 'Văn phòng UBND',
          endUser: 'officer01',
          operation: 'population.citizen.get',
          purpose: '000.00.01.H22-261123-0001',
          fieldsReleased: ['fullName', 'dateOfBirth'],
          outcome: 'success',
          requestId: 'r1',
        },
      ],
    });
    expect(html).toContain('Hệ thống một cửa &#60;tỉnh&#62;');
    expect(html).toContain('000.00.01.H22-261123-0001');
    expect(html).toContain('fullName, dateOfBirth');
    expect(html).toContain('Đã cung cấp dữ liệu');
    expect(html).not.toContain('<tỉnh>');
  });
});

describe('citizen report HTML period', () => {
  const base = { subject: '001*******45', generatedAt: '2026-11-23T10:00:00.000Z', count: 0, truncated: false, accesses: [] };
  it('says which period the report covers, in the province time zone, only when one was asked for', () => {
    expect(renderSubjectAccessReportHtml(base)).not.toContain('Khoảng thời gian');
    const html = renderSubjectAccessReportHtml({ ...base, from: '2026-10-31T17:00:00.000Z', to: '2026-11-30T17:00:00.000Z' });
    expect(html).toMatch(/Khoảng thời gian: từ 00:00:00 1\/11\/26 đến trước 00:00:00 1\/12\/26/);
    expect(renderSubjectAccessReportHtml({ ...base, to: '2026-11-30T17:00:00.000Z' })).toMatch(/Khoảng thời gian: trước 00:00:00 1\/12\/26/);
  });
});
