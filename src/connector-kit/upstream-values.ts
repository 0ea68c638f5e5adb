import { UpstreamError } from './upstream-errors.js';

/**
 * Reading values out of what an upstream's parser produced, for pure mapping
 * functions: empty elements become absent fields (never null or ''), one
 * element or several become an array, codes keep their labels.
 */

/** SOAP and XML parsers give '', an empty object or nothing for an empty element: all mean "no value". */
export function upstreamText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '$value' in value) return upstreamText((value as { $value: unknown }).$value);
  return undefined;
}

/** A whole, non-negative number written as digits (counts, sequence numbers); anything else is absent. */
export function upstreamWholeNumber(value: unknown): number | undefined {
  const text = upstreamText(value);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** One repeated element parses as an object, several as an array, none as undefined. */
export function upstreamArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A code with the label the upstream sent beside it; no code, no value (a label alone says nothing stable). */
export function codeWithLabel(code: unknown, label: unknown): { code: string; label?: string } | undefined {
  const codeText = upstreamText(code);
  if (!codeText) return undefined;
  const labelText = upstreamText(label);
  return labelText ? { code: codeText, label: labelText } : { code: codeText };
}

/** Drops undefined members; an object left empty is itself undefined. */
export function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  let result: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined) continue;
    result ??= {};
    // An own `__proto__` member stays a member (an assignment would set the prototype instead).
    if (key === '__proto__') Object.defineProperty(result, key, { value: member, enumerable: true, writable: true, configurable: true });
    else result[key] = member;
  }
  return result as T | undefined;
}

export type DatePrecision = 'year' | 'month' | 'day';

/**
 * The one reader of dates as Vietnamese national and provincial systems
 * write them, to ISO 8601 at the precision the source has (`YYYY`,
 * `YYYY-MM`, `YYYY-MM-DD`). Accepted, and nothing else:
 *
 * - `yyyyMMdd`, `yyyyMM`, `yyyy` (the population database's NgayThangNam / Nam);
 * - `dd/MM/yyyy`, `MM/yyyy` (forms and most provincial systems), also unpadded
 *   `d/M/yyyy`, `M/yyyy`: Vietnamese systems always put the day first, so
 *   padding changes nothing about how the form is read;
 * - `yyyy-MM-dd`, `yyyy-MM` (ISO, as JSON adapters write them).
 *
 * `00` for an unknown day, or an unknown day and month (`00/03/1968`,
 * `00/00/1938`, `19680300`, `19380000`), is the usual way of writing a partial
 * date and reads as one; an unknown month with a known day does not.
 * Every date is checked against the calendar (no 31/02, 29/02 only in leap
 * years; years 1000–9999). Empty means no value. Anything else (two-digit
 * years, `yyyy/MM/dd`, times, words) is refused as a contract violation
 * rather than guessed at or silently dropped. `expect` demands one precision
 * (a field the contract types as a full date or a month); `field` names the
 * upstream element in the error, never its value (dates of birth are
 * personal data).
 */
export function upstreamDate(value: unknown, field: string, options: { expect?: DatePrecision } = {}): string | undefined {
  const raw = upstreamText(value);
  if (raw === undefined) return undefined;
  const parts = dateParts(raw);
  const iso = parts && isoOf(parts);
  if (iso === undefined) throw new UpstreamError('contract', `${field}: not a date in an accepted form`);
  if (options.expect !== undefined && precisionOf(iso) !== options.expect) throw new UpstreamError('contract', `${field}: a ${options.expect} was expected, the date has another precision`);
  return iso;
}

const datePatterns: ReadonlyArray<[RegExp, (match: RegExpExecArray) => DateParts]> = [
  [/^(\d{4})(\d{2})(\d{2})$/, ([, year, month, day]) => ({ year: year!, month, day })],
  [/^(\d{4})(\d{2})$/, ([, year, month]) => ({ year: year!, month })],
  [/^(\d{4})$/, ([, year]) => ({ year: year! })],
  [/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, ([, day, month, year]) => ({ year: year!, month, day })],
  [/^(\d{1,2})\/(\d{4})$/, ([, month, year]) => ({ year: year!, month })],
  [/^(\d{4})-(\d{2})-(\d{2})$/, ([, year, month, day]) => ({ year: year!, month, day })],
  [/^(\d{4})-(\d{2})$/, ([, year, month]) => ({ year: year!, month })],
];

interface DateParts {
  year: string;
  month?: string;
  day?: string;
}

function dateParts(raw: string): DateParts | undefined {
  for (const [pattern, parts] of datePatterns) {
    const match = pattern.exec(raw);
    if (match) return parts(match);
  }
  return undefined;
}

function isoOf({ year, month, day }: DateParts): string | undefined {
  const y = Number(year);
  if (y < 1000) return undefined;
  const m = month === undefined ? 0 : Number(month);
  const d = day === undefined ? 0 : Number(day);
  // 0 is "unknown": an unknown month leaves only the year, and then the day must be unknown too.
  if (m === 0) return d === 0 ? year : undefined;
  if (m > 12) return undefined;
  const mm = String(m).padStart(2, '0');
  if (d === 0) return `${year}-${mm}`;
  return d <= daysInMonth(y, m) ? `${year}-${mm}-${String(d).padStart(2, '0')}` : undefined;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month m (1–12) of year y, Gregorian leap years. */
function daysInMonth(y: number, m: number): number {
  if (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) return 29;
  return monthLengths[m - 1]!;
}

function precisionOf(iso: string): DatePrecision {
  return iso.length === 4 ? 'year' : iso.length === 7 ? 'month' : 'day';
}

/**
 * `yyyyMMddHHmmss` in Vietnam's time (UTC+7, no daylight saving since 1975),
 * the national systems' date-time form, to ISO 8601 with its offset. Checked
 * against the calendar and the clock (no 20250231…, no hour 24). Empty means
 * no value; anything else is a contract violation naming the field, never
 * its value.
 */
export function upstreamDateTime(value: unknown, field: string): string | undefined {
  const raw = upstreamText(value);
  if (raw === undefined) return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw);
  const [, year, month, day, hour, minute, second] = match ?? [];
  const date = match ? isoOf({ year: year!, month, day }) : undefined;
  if (!date || date.length !== 10 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw new UpstreamError('contract', `${field}: not a yyyyMMddHHmmss date-time`);
  }
  return `${date}T${hour}:${minute}:${second}+07:00`;
}

/**
 * A record fetched by a key must carry that key: an upstream that answers
 * with a record for another person, enterprise or certificate (a mixed-up
 * answer, a cache or a routing bug on its side) has broken its contract, and
 * nothing of that record may be released. A record without its key cannot be
 * shown to be the one asked for either. `element` names the upstream field in
 * the error, never the values (they are personal data).
 */
export function requireRecordFor(recordKey: unknown, requestedKey: string, element: string): void {
  const key = upstreamText(recordKey);
  if (key === undefined) throw new UpstreamError('contract', `the record carries no ${element}: it cannot be shown to be the one asked for`);
  if (key !== requestedKey) throw new UpstreamError('contract', `the record's ${element} is not the one asked for`);
}

/**
 * The request id an upstream echoes back (MaYeuCau and the like), as the
 * reference the audit record keeps; none when the upstream sends none. An
 * echo of another request's id means the answer belongs to another call: a
 * contract violation, never a release.
 */
export function echoedRequestId(echo: unknown, requestId: string, element: string): string | undefined {
  const echoed = upstreamText(echo);
  if (echoed !== undefined && echoed !== requestId) throw new UpstreamError('contract', `the answer's ${element} echoes another request`);
  return echoed;
}

/** "true"/"false" (any case), true/false, "1"/"0"; anything else, empty included, is no value. */
export function upstreamBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = upstreamText(value)?.toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}
