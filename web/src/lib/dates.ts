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
