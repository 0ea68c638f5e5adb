/**
 * Date and time inputs give wall-clock values without a zone; the API wants
 * ISO 8601 with one. Officers mean the province's time whatever the office
 * PC says, and Vietnam keeps UTC+7 all year (no daylight saving), so the
 * offset is a constant rather than a guess from the browser's zone.
 */
const provinceOffset = '+07:00';

/** `<input type="datetime-local">` value (2026-11-23T10:05 or with seconds) → ISO instant in province time. */
export function localDateTimeToIso(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?$/.exec(value);
  if (!match) return undefined;
  return `${match[1]}T${match[2]}${match[3] ?? ':00'}${provinceOffset}`;
}

/** `<input type="date">` value → the start of that day in province time. */
export function startOfDayIso(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00${provinceOffset}` : undefined;
}

/** The start of the day after (a "to" date is inclusive on screen, the API's `to` exclusive). */
export function startOfNextDayIso(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return `${next.toISOString().slice(0, 10)}T00:00:00${provinceOffset}`;
}
