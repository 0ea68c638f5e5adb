/**
 * The validity window is typed in the province's wall-clock time, whatever
 * the office PC's own zone: Vietnam keeps UTC+7 all year (no daylight
 * saving), so a fixed offset converts both ways exactly.
 */
const offsetMs = 7 * 60 * 60 * 1000;

/** An API timestamp as the value of an <input type="datetime-local"> in province time ('' when absent or unreadable). */
export function toProvinceInput(timestamp: string | undefined): string {
  if (!timestamp) return '';
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + offsetMs).toISOString().slice(0, 16);
}

/** A datetime-local value read as province time, as an RFC 3339 timestamp with its +07:00 offset (undefined when empty). */
export function fromProvinceInput(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(value.trim());
  if (!match) return undefined;
  return `${match[1]}${match[2] ?? ':00'}+07:00`;
}
