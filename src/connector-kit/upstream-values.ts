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
  const entries = Object.entries(value).filter(([, member]) => member !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/**
 * Vietnamese upstream dates: `dd/MM/yyyy`, or partial `MM/yyyy` / `yyyy`, or
 * `00/MM/yyyy` / `00/00/yyyy` where the day or month is unknown, to ISO
 * `YYYY-MM-DD` / `YYYY-MM` / `YYYY`. Anything else is no value.
 */
export function isoDateFromDayMonthYear(value: unknown): string | undefined {
  const raw = upstreamText(value);
  const match = raw ? /^(?:(?:(\d{2})\/)?(\d{2})\/)?(\d{4})$/.exec(raw) : null;
  if (!match) return undefined;
  const [, day, month, year] = match;
  if (month === undefined || month === '00') return year;
  if (Number(month) > 12) return undefined;
  if (day === undefined || day === '00') return `${year}-${month}`;
  return Number(day) <= 31 ? `${year}-${month}-${day}` : undefined;
}

/** Like isoDateFromDayMonthYear, but only a complete day counts (`dd/MM/yyyy` → `YYYY-MM-DD`). */
export function isoFullDateFromDayMonthYear(value: unknown): string | undefined {
  const iso = isoDateFromDayMonthYear(value);
  return iso?.length === 10 ? iso : undefined;
}

/** `yyyyMMddHHmmss` in Vietnam's time (UTC+7, no daylight saving) to ISO 8601 with its offset. */
export function isoDateTimeFromCompact(value: unknown): string | undefined {
  const raw = upstreamText(value);
  const match = raw ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw) : null;
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}+07:00`;
}
