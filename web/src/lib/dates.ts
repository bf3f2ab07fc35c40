/**
 * Date helpers for the UI. Dates are stored in UTC and always shown in Asia/Tokyo;
 * Japanese fiscal years (年度) run from April to March. Pure functions over Intl — no globals.
 */

export type DateInput = Date | string | number;

const TIME_ZONE = 'Asia/Tokyo';

function toDate(input: DateInput): Date {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid date: ${String(input)}`);
  return date;
}

/** Year, month (1–12) and day of the instant as seen in Tokyo. */
export function tokyoDateParts(input: DateInput): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(toDate(input));
  const pick = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  return { year: pick('year'), month: pick('month'), day: pick('day') };
}

/** 和暦 with era, e.g. 令和6年6月17日 (the first year of an era reads 元年). */
export function formatWareki(input: DateInput): string {
  return new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    timeZone: TIME_ZONE,
    era: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(toDate(input));
}

/** Western-calendar date: 2024年6月17日 in Japanese, 17 June 2024 in English. */
export function formatWesternDate(input: DateInput, locale: string = 'ja'): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(toDate(input));
}

/** Date in the UI language: 和暦 with the Western date in brackets for Japanese, Western for English. */
export function formatDate(input: DateInput, locale: string = 'ja'): string {
  return locale === 'ja'
    ? `${formatWareki(input)}（${formatWesternDate(input, 'ja')}）`
    : formatWesternDate(input, locale);
}

/** The fiscal year (年度) an instant falls in, named by the calendar year it starts in (April). */
export function fiscalYearOf(input: DateInput): number {
  const { year, month } = tokyoDateParts(input);
  return month >= 4 ? year : year - 1;
}

/** First and last day of a fiscal year, as Tokyo calendar dates (YYYY-MM-DD). */
export function fiscalYearRange(fiscalYear: number): { start: string; end: string } {
  return { start: `${fiscalYear}-04-01`, end: `${fiscalYear + 1}-03-31` };
}

/**
 * A fiscal year for display: 令和6年度 in Japanese, FY2024 in English.
 * The era is the one in force on 1 April of that year (so 2019 is 平成31年度, not 令和元年度).
 */
export function formatFiscalYear(fiscalYear: number, locale: string = 'ja'): string {
  if (locale !== 'ja') return `FY${fiscalYear}`;
  // Noon UTC on 1 April is 1 April in Tokyo as well.
  const firstDay = new Date(Date.UTC(fiscalYear, 3, 1, 12));
  const eraYear = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    timeZone: TIME_ZONE,
    era: 'long',
    year: 'numeric',
  }).format(firstDay);
  // Intl renders "令和6年"; the fiscal year adds 度.
  return `${eraYear}度`;
}

/** Western fiscal year label with its span, e.g. 2024年度（2024年4月〜2025年3月） or FY2024 (Apr 2024 – Mar 2025). */
export function formatFiscalYearSpan(fiscalYear: number, locale: string = 'ja'): string {
  return locale === 'ja'
    ? `${fiscalYear}年度（${fiscalYear}年4月〜${fiscalYear + 1}年3月）`
    : `FY${fiscalYear} (Apr ${fiscalYear} – Mar ${fiscalYear + 1})`;
}

/** 和暦 with the time in Tokyo, e.g. 令和8年12月4日 18:05 (English: 4 December 2026, 18:05). */
export function formatDateTime(input: DateInput, locale: string = 'ja'): string {
  const options: Intl.DateTimeFormatOptions = {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  return locale === 'ja'
    ? new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { ...options, era: 'long' }).format(toDate(input))
    : new Intl.DateTimeFormat('en-GB', options).format(toDate(input));
}

/** A compact, sortable Tokyo timestamp for logs: 2026/12/04 18:05:09. */
export function formatTimestamp(input: DateInput): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(toDate(input));
  const pick = (type: Intl.DateTimeFormatPartTypes): string => parts.find((part) => part.type === type)?.value ?? '';
  return `${pick('year')}/${pick('month')}/${pick('day')} ${pick('hour')}:${pick('minute')}:${pick('second')}`;
}

/** The calendar day after a YYYY-MM-DD date (for turning an inclusive "to" into an exclusive one). */
export function nextDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + 1));
  return next.toISOString().slice(0, 10);
}

/** Whether a string is a real YYYY-MM-DD calendar date. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Today's date in Tokyo as YYYY-MM-DD (the latest day a date input may offer for past events). */
export function todayInTokyo(now: DateInput = new Date()): string {
  const { year, month, day } = tokyoDateParts(now);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 和暦 only, without the Western date: 令和8年11月27日 (English: 27 November 2026). For compact lists. */
export function formatShortDate(input: DateInput, locale: string = 'ja'): string {
  return locale === 'ja' ? formatWareki(input) : formatWesternDate(input, locale);
}
