/**
 * Date-time inputs in the province's time: Vietnam keeps UTC+7 all year (no
 * daylight saving), so a `datetime-local` value is read and written at a
 * fixed offset, whatever time zone the office PC is set to — the same zone
 * formatDateTime shows.
 */
const offsetMs = 7 * 60 * 60_000;

/** `YYYY-MM-DDTHH:mm` in province time, for a datetime-local input's value or min. */
export function toProvinceInput(date: Date): string {
  return new Date(date.getTime() + offsetMs).toISOString().slice(0, 16);
}

/** The instant a datetime-local value names in province time; undefined when empty or not a date. */
export function fromProvinceInput(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const date = new Date(`${value}+07:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
