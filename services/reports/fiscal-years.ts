/**
 * Fiscal years (年度: April to March, Japan time) as they cut a report's period: the whole years inside
 * it, whose referral figures the database keeps as tallies, and the days before and after them.
 */
import { jstDayStart, toJstDay } from '../shared/business-days';

/** The instant a fiscal year starts: 1 April, 00:00 in Japan. */
export function fiscalYearStart(fiscalYear: number): Date {
  return jstDayStart(`${String(fiscalYear).padStart(4, '0')}-04-01`);
}

/** The fiscal year holding an instant. */
export function fiscalYearOf(instant: Date): number {
  const [year, month] = toJstDay(instant).split('-').map(Number) as [number, number];
  return month >= 4 ? year : year - 1;
}

export interface Range {
  from: Date;
  to: Date;
}

/**
 * Splits [from, to) into the fiscal years wholly inside it and what is left at either end (at most two
 * ranges, before and after those years; the whole period when no year fits).
 */
export function splitAtFiscalYears(from: Date, to: Date): { years: number[]; rest: Range[] } {
  if (!(from < to)) return { years: [], rest: [] };
  const years: number[] = [];
  let first = fiscalYearOf(from);
  if (fiscalYearStart(first) < from) first += 1;
  for (let y = first; fiscalYearStart(y + 1) <= to; y += 1) years.push(y);
  if (years.length === 0) return { years, rest: [{ from, to }] };
  const rest: Range[] = [];
  const start = fiscalYearStart(years[0]!);
  const end = fiscalYearStart(years[years.length - 1]! + 1);
  if (from < start) rest.push({ from, to: start });
  if (end < to) rest.push({ from: end, to });
  return { years, rest };
}
