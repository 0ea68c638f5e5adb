import { addMonths, monthStart, partitionMonth, partitionName } from './audit-months.js';

describe('audit partition months (UTC)', () => {
  it('starts a month at 00:00 UTC on the 1st, whatever the instant', () => {
    expect(monthStart(new Date('2026-11-30T23:59:59.999Z')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    // 06:59 in Hanoi on 1 December is still November in UTC.
    expect(monthStart(new Date('2026-12-01T06:59:00+07:00')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('adds months across year ends, both ways', () => {
    const november = new Date('2026-11-01T00:00:00Z');
    expect(addMonths(november, 3).toISOString()).toBe('2027-02-01T00:00:00.000Z');
    expect(addMonths(november, -11).toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(addMonths(november, -60).toISOString()).toBe('2021-11-01T00:00:00.000Z');
  });

  it('names a partition audit_records_pYYYYMM and reads the month back; other names are not ours', () => {
    expect(partitionName(new Date('2027-02-01T00:00:00Z'))).toBe('audit_records_p202702');
    expect(partitionMonth('audit_records_p202702')?.toISOString()).toBe('2027-02-01T00:00:00.000Z');
    expect(partitionMonth('audit_records_p202713')).toBeUndefined();
    expect(partitionMonth('audit_records_default')).toBeUndefined();
    expect(partitionMonth('audit_records_p202702_old')).toBeUndefined();
  });
});
