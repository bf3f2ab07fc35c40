/**
 * Small helpers for the engagement pages: money in yen, figures typed by people, calendar dates and
 * participant lists. The server checks again; its message is the one that counts.
 */
import { formatDate, formatShortDate } from '@/lib/dates';

/** 1,580,000,000円 in Japanese, ¥1,580,000,000 in English; negative amounts keep their sign. */
export function formatYen(amount: number, locale: string): string {
  const digits = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 0 }).format(Math.abs(amount));
  const sign = amount < 0 ? '−' : '';
  return locale === 'ja' ? `${sign}${digits}円` : `${sign}¥${digits}`;
}

/** 117 with separators. */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB').format(n);
}

const MINUS = /^[-\u2212\uFF0D\u2010-\u2015▲△]/;

/**
 * A whole number from what was typed: commas, full-width digits and a leading minus (or ▲, the
 * accounting sign for a loss) allowed when `signed`. Undefined when empty, NaN when not a number.
 */
export function parseWholeNumber(input: string, signed = false): number | undefined {
  const text = input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s]/g, '')
    .trim();
  if (text === '') return undefined;
  const negative = signed && MINUS.test(text);
  const digits = negative ? text.slice(1) : text;
  if (!/^[0-9]+$/.test(digits)) return Number.NaN;
  const value = Number(digits);
  return negative ? -value : value;
}

/** Noon in Tokyo on a YYYY-MM-DD day, so the day never shifts whatever the browser's zone. */
function calendarInstant(isoDate: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? `${isoDate}T12:00:00+09:00` : isoDate;
}

/** A calendar day (YYYY-MM-DD) in 和暦 with the Western date, or Western in English. */
export function formatDay(isoDate: string, locale: string): string {
  return formatDate(calendarInstant(isoDate), locale);
}

/** A calendar day in 和暦 only (compact lists). */
export function formatShortDay(isoDate: string, locale: string): string {
  return formatShortDate(calendarInstant(isoDate), locale);
}

/** Participants typed as a list: split on commas (both widths), 、 and new lines; blanks dropped. */
export function splitParticipants(input: string): string[] {
  return input
    .split(/[,，、\n]/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}
