import { upstreamDateTime } from '../../src/connector-kit/index.js';

/**
 * The portal's one date form: `yyyyMMddHHmmss`, wall-clock time in
 * Asia/Ho_Chi_Minh (REFERENCE.md). Callers send date-times with any offset;
 * the zone is applied through Intl (the tz database), not a hard-coded +7,
 * so the conversion stays right whatever Vietnam's rules were on that date.
 */
const vietnamWallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An ISO 8601 date-time with its offset → `yyyyMMddHHmmss` in Vietnam's time; fractions of a second are dropped. */
export function portalDateTime(isoDateTime: string): string {
  const instant = new Date(isoDateTime);
  if (Number.isNaN(instant.getTime())) throw new TypeError('not an ISO 8601 date-time');
  const parts = Object.fromEntries(vietnamWallClock.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}${parts.second}`;
}

/** The portal's `yyyyMMddHHmmss` → ISO 8601 with `+07:00`: the kit's reader, shared by every connector. */
export const dateTimeFromPortal = upstreamDateTime;
