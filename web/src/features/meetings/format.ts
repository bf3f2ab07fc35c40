/**
 * How meetings read: 第N回, dates in 和暦 with the Western date (or a tentative 令和6年9月下旬), times in
 * Japan time, and file sizes.
 */
import type { MeetingSummaryFragment, PeriodPart } from '@/gql/graphql';
import { formatDate, formatShortDate } from '@/lib/dates';

/** Noon in Tokyo on a YYYY-MM-DD day, so the day never shifts whatever the browser's zone. */
export function calendarInstant(isoDate: string): string {
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

const PART_JA: Record<PeriodPart, string> = { EARLY: '上旬', MID: '中旬', LATE: '下旬' };
const PART_EN: Record<PeriodPart, string> = { EARLY: 'Early', MID: 'Mid', LATE: 'Late' };

/** 令和6年9月下旬（2024年9月下旬）, or "Late September 2024". */
export function formatTentative(year: number, month: number, part: PeriodPart | null, locale: string): string {
  const instant = new Date(Date.UTC(year, month - 1, 15, 3));
  if (locale === 'ja') {
    const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { timeZone: 'Asia/Tokyo', era: 'long', year: 'numeric', month: 'long' }).format(instant);
    const p = part ? PART_JA[part] : '';
    return `${era}${p}（${year}年${month}月${p}）`;
  }
  const monthName = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', month: 'long', year: 'numeric' }).format(instant);
  return part ? `${PART_EN[part]} ${monthName}` : monthName;
}

type When = Pick<MeetingSummaryFragment, 'date' | 'tentativeYear' | 'tentativeMonth' | 'tentativePart'>;

/** The meeting's day, or its tentative period; null when neither is set. */
export function meetingDay(m: When, locale: string): string | null {
  if (m.date) return formatDay(m.date, locale);
  if (m.tentativeYear && m.tentativeMonth) return formatTentative(m.tentativeYear, m.tentativeMonth, m.tentativePart, locale);
  return null;
}

/** 14:00〜16:00 (start only when there is no end). */
export function meetingTime(m: Pick<MeetingSummaryFragment, 'startTime' | 'endTime'>, locale: string): string | null {
  if (!m.startTime) return null;
  if (!m.endTime) return m.startTime;
  return locale === 'ja' ? `${m.startTime}〜${m.endTime}` : `${m.startTime}–${m.endTime}`;
}

/** Whether the meeting has only a tentative period so far. */
export const isTentative = (m: When): boolean => !m.date && !!m.tentativeYear;

/** A file size people read: 850 KB, 2.4 MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Only paths on this site are linked (the server sends paths; anything else would be a bug). */
export function sitePath(path: string | null | undefined): string | null {
  return path && path.startsWith('/') && !path.startsWith('//') ? path : null;
}
