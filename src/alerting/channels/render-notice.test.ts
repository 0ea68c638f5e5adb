import { renderNotice } from './render-notice.js';
import { errorRatio, probeDown, resolvedBreaker, sampleNotice } from './test-support/notices.js';

describe('renderNotice', () => {
  it('says the severity, the group and the counts in the subject, Vietnamese first', () => {
    const firing = renderNotice(sampleNotice({ kind: 'firing', resolved: [] }));
    expect(firing.subject).toBe('[LGSP] NGHIÊM TRỌNG · population: 2 cảnh báo đang kích hoạt / CRITICAL · 2 firing');
    expect(renderNotice(sampleNotice()).subject).toBe('[LGSP] NGHIÊM TRỌNG · population: 2 cảnh báo đang kích hoạt, 1 đã khắc phục / CRITICAL · 2 firing, 1 resolved');
    expect(renderNotice(sampleNotice({ kind: 'resolved', firing: [] })).subject).toBe('[LGSP] ĐÃ KHẮC PHỤC · population: 1 cảnh báo đã hết / RESOLVED · 1 resolved');
    expect(renderNotice(sampleNotice({ kind: 'repeat', firing: [errorRatio], resolved: [] })).subject).toBe(
      '[LGSP] CẢNH BÁO · population: 1 cảnh báo vẫn đang kích hoạt / WARNING · 1 still firing',
    );
    expect(renderNotice(sampleNotice({ groupLabels: {}, firing: [{ ...errorRatio, severity: 'info' }], resolved: [] })).subject).toBe(
      '[LGSP] THÔNG TIN: 1 cảnh báo đang kích hoạt / INFO · 1 firing',
    );
  });

  it('lists firing and resolved alerts with summary, place, times (UTC+7), runbook and acknowledgement, then the console link', () => {
    const { text } = renderNotice(sampleNotice(), { consoleUrl: 'https://lgsp.example.gov.vn/console' });
    const [vi, en] = text.split('———');
    expect(vi).toContain('ĐANG KÍCH HOẠT (2)');
    expect(vi).toContain('1. [NGHIÊM TRỌNG] Không kết nối được Cơ sở dữ liệu quốc gia về dân cư');
    expect(vi).toContain('Vị trí: connector=population');
    expect(vi).toContain('Vị trí: connector=population, operation=lookupCitizen');
    expect(vi).toContain('Từ lúc: 2026-03-01 15:00:00 (UTC+7)');
    expect(vi).toContain('Hướng xử lý: Kiểm tra đường truyền');
    expect(vi).toContain('Đã xác nhận bởi: operator-7');
    expect(vi).toContain('ĐÃ KHẮC PHỤC (1)');
    expect(vi).toContain('Khắc phục lúc: 2026-03-01 15:05:00 (UTC+7)');
    expect(en).toContain('FIRING (2)');
    expect(en).toContain('1. [CRITICAL] The national population database is unreachable');
    expect(en).toContain('Acknowledged by: operator-7');
    expect(en).toContain('RESOLVED (1)');
    expect(en).not.toContain('Không kết nối');
    expect(text.indexOf('Không kết nối')).toBeLessThan(text.indexOf('The national population'));
    expect(text.trimEnd().endsWith('Console: https://lgsp.example.gov.vn/console')).toBe(true);
    // A rule's extra labels route notices; they are not part of the message.
    expect(text).not.toContain('ops-hn');
    expect(text).toBe(text.normalize('NFC'));
  });

  it('keeps a value from adding lines of its own and normalizes decomposed Vietnamese', () => {
    const decomposed = 'Ca\u0309nh ba\u0301o'.normalize('NFD');
    const { text } = renderNotice(sampleNotice({ firing: [{ ...probeDown, summary: { vi: `${decomposed}\n2. [NGHIÊM TRỌNG] giả`, en: 'x' } }], resolved: [] }));
    expect(text).toContain(`1. [NGHIÊM TRỌNG] ${'Cảnh báo'} 2. [NGHIÊM TRỌNG] giả`);
    expect(text).not.toMatch(/^2\. \[NGHIÊM TRỌNG\] giả/m);
  });

  it('truncates to maxLength at a line, never inside a character, keeping the note and the link', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ ...probeDown, alertId: `a-${i}`, summary: { vi: `Cảnh báo số ${i} — ổ đĩa đầy 😱`, en: `Alert ${i}` } }));
    const notice = sampleNotice({ firing: many, resolved: [resolvedBreaker] });
    const full = renderNotice(notice, { consoleUrl: 'https://lgsp.example.gov.vn/console' });
    expect(full.text.length).toBeGreaterThan(4096);
    const cut = renderNotice(notice, { consoleUrl: 'https://lgsp.example.gov.vn/console', maxLength: 4096 });
    expect(cut.text.length).toBeLessThanOrEqual(4096);
    expect(cut.text).toContain('… (đã rút gọn / truncated)');
    expect(cut.text.trimEnd().endsWith('Console: https://lgsp.example.gov.vn/console')).toBe(true);
    expect(cut.text).toBe(cut.text.normalize('NFC'));
    expect(cut.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    for (const limit of [60, 100, 333, 1001]) {
      const small = renderNotice(notice, { maxLength: limit }).text;
      expect(small.length).toBeLessThanOrEqual(limit);
      expect(small).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(cut.subject).toBe(full.subject);
  });
});
