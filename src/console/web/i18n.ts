/**
 * Message catalogs: every string the console shows comes from one, in
 * Vietnamese (the default) and English. A catalog is declared next to the
 * page that uses it; the English half must name exactly the Vietnamese keys
 * (the compiler refuses a missing or extra one).
 */
export type Language = 'vi' | 'en';
export const languages: readonly Language[] = ['vi', 'en'];

const storageKey = 'lgsp.console.language';
const locales: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };
/** Times are shown in the province's time zone, whatever the office PC is set to. */
const timeZone = 'Asia/Ho_Chi_Minh';

export function currentLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(storageKey);
  return stored === 'en' ? 'en' : 'vi';
}

export function setLanguage(language: Language): void {
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
}

export type Params = Record<string, string | number>;
export type Translate<K extends string> = (key: K, params?: Params) => string;

/** Every catalog declared, for the completeness check the browser tests run (window.__lgspCatalogs). */
export const catalogs: Array<{ vi: Record<string, string>; en: Record<string, string> }> = [];

export function defineMessages<const V extends Record<string, string>>(catalog: { vi: V; en: { [K in keyof V]: string } }): Translate<keyof V & string> {
  catalogs.push(catalog);
  return (key, params) => interpolate(catalog[currentLanguage()][key] ?? key, params);
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locales[currentLanguage()], options).format(value);
}

export function formatPercent(ratio: number): string {
  return formatNumber(ratio, { style: 'percent', maximumFractionDigits: 1 });
}

/** An amount in its currency; whole-number strings (the API's decimal amounts) go through BigInt, never rounded through a float. */
export function formatMoney(amount: number | bigint | string, currency = 'VND'): string {
  const value = typeof amount === 'string' ? (/^-?[0-9]+$/.test(amount) ? BigInt(amount) : Number(amount)) : amount;
  return new Intl.NumberFormat(locales[currentLanguage()], { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
}

export function formatDateTime(value: string | number | Date | undefined | null): string {
  if (value === undefined || value === null || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  // Four-digit years: dates end up on printed reports.
  return new Intl.DateTimeFormat(locales[currentLanguage()], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone }).format(date);
}

export function formatTime(value: string | number | Date): string {
  return new Intl.DateTimeFormat(locales[currentLanguage()], { timeStyle: 'short', timeZone }).format(new Date(value));
}

/** A duration in milliseconds, as a person reads it (850 ms, 2,5 s, 3 min). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${formatNumber(Math.round(ms))} ms`;
  if (ms < 60_000) return `${formatNumber(ms / 1000, { maximumFractionDigits: 1 })} s`;
  return `${formatNumber(ms / 60_000, { maximumFractionDigits: 1 })} min`;
}
