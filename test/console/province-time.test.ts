import { fromProvinceInput, toProvinceInput } from '../../src/console/web/pages/consumers/province-time.js';

// The grant editor's validity window is typed in Vietnam time (UTC+7, no daylight saving), whatever the PC's zone.
describe('province time in the grant editor', () => {
  it('reads a datetime-local value as UTC+7', () => {
    expect(fromProvinceInput('2026-01-01T08:00')).toBe('2026-01-01T08:00:00+07:00');
    expect(Date.parse(fromProvinceInput('2026-01-01T08:00')!)).toBe(Date.UTC(2026, 0, 1, 1, 0));
    expect(fromProvinceInput('2026-01-01T08:00:30')).toBe('2026-01-01T08:00:30+07:00');
    expect(fromProvinceInput('')).toBeUndefined();
  });

  it('shows a stored timestamp in province wall-clock time, across midnight too', () => {
    expect(toProvinceInput('2026-01-01T01:00:00Z')).toBe('2026-01-01T08:00');
    expect(toProvinceInput('2025-12-31T20:30:00Z')).toBe('2026-01-01T03:30');
    expect(toProvinceInput('2026-01-01T08:00:00+07:00')).toBe('2026-01-01T08:00');
    expect(toProvinceInput(undefined)).toBe('');
    expect(toProvinceInput('not a time')).toBe('');
  });

  it('round-trips', () => {
    for (const value of ['2026-06-30T23:59', '2027-01-01T00:00']) expect(toProvinceInput(fromProvinceInput(value))).toBe(value);
  });
});
