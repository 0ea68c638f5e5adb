import { currentLanguage, formatTime } from '../../i18n.js';

const locales = { vi: 'vi-VN', en: 'en-GB' } as const;

/**
 * A chart's time ticks in province time: hours and minutes, with seconds
 * when the ticks are less than a minute apart (a young gateway's first
 * minutes would otherwise read "06:26 06:26 06:26").
 */
export function tickLabel(epochMs: number, tickSpacingSeconds: number): string {
  if (tickSpacingSeconds >= 60) return formatTime(epochMs);
  return new Intl.DateTimeFormat(locales[currentLanguage()], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(epochMs));
}
