import type { Labels } from '../types.js';

/**
 * Placeholders of a rule's texts: `{label}` (connector, operation, target,
 * reason or any label of the alert) and `{value}`, optionally formatted:
 * `{value:percent}` (0.153 → 15.3%) and `{value:duration}` (seconds →
 * 2d 4h, 12m, 1.5s). The Prometheus export translates the same placeholders.
 */
export const placeholderPattern = /\{([a-zA-Z_][a-zA-Z0-9_]*)(?::(percent|duration))?\}/g;

export type ValueFormat = 'percent' | 'duration' | undefined;

/** A placeholder naming neither a label of this alert nor the value stays as written: a wrong template shows, rather than an empty gap. */
export function renderTemplate(text: string, labels: Labels, value: number): string {
  return text.replace(placeholderPattern, (whole, name: string, format: ValueFormat) => {
    if (name === 'value') return formatValue(value, format);
    return format === undefined && Object.hasOwn(labels, name) ? labels[name]! : whole;
  });
}

export function formatValue(value: number, format?: ValueFormat): string {
  if (!Number.isFinite(value)) return String(value);
  if (format === 'percent') return `${trim(value * 100, 1)}%`;
  if (format === 'duration') return formatDuration(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  if (rest < 60) return `${sign}${trim(rest, 2)}s`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    const whole = Math.floor(rest / size);
    if (whole > 0) parts.push(`${whole}${unit}`);
    rest -= whole * size;
  }
  if (Math.floor(rest) > 0 && parts.length < 2) parts.push(`${Math.floor(rest)}s`);
  // Two units say enough ("3d 4h"); more is noise in a notice.
  return sign + parts.slice(0, 2).join(' ');
}

function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}
