/**
 * Japanese business-day arithmetic for response clocks ("the receiving body answers within N
 * business days"). A day is a calendar day in Japan written 'YYYY-MM-DD'; Japan has used UTC+9 all
 * year since 1951, so a fixed offset is exact and no time-zone database is needed.
 */

/** A calendar day in Japan (Asia/Tokyo), 'YYYY-MM-DD'. */
export type IsoDay = string;

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

// ---------------------------------------------------------------------------------------------
// Days as integers (days since 1970-01-01) so that arithmetic never goes through local time.

function epochDay(day: IsoDay): number {
  const m = ISO_DAY.exec(day);
  if (m) {
    const date = new Date(0);
    date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const n = date.getTime() / DAY_MS;
    // setUTCFullYear rolls 02-30 over into March; only a real day survives the round trip.
    if (isoDay(n) === day) return n;
  }
  throw new RangeError(`not a calendar day in the form YYYY-MM-DD: ${JSON.stringify(day)}`);
}

function isoDay(n: number): IsoDay {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

function ymd(y: number, m: number, d: number): IsoDay {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The JST calendar day an instant falls on. */
export function toJstDay(instant: Date): IsoDay {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('toJstDay: invalid Date');
  return new Date(t + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 JST of a day, as an instant. */
export function jstDayStart(day: IsoDay): Date {
  return new Date(epochDay(day) * DAY_MS - JST_OFFSET_MS);
}

// ---------------------------------------------------------------------------------------------
// National holidays (国民の祝日に関する法律, as amended up to the 2021 Olympic special measures).

/** Day of month of the n-th Monday of a month. */
function nthMonday(year: number, month: number, n: number): number {
  const firstWeekday = weekdayOf(epochDay(ymd(year, month, 1)));
  return 1 + ((8 - firstWeekday) % 7) + 7 * (n - 1);
}

// The usual approximation of the equinoxes (valid 1980–2099). The official days are announced by
// the National Astronomical Observatory each February for the following year only.
function vernalEquinoxDay(year: number): number {
  const k = year - 1980;
  return Math.floor(20.8431 + 0.242194 * k - Math.floor(k / 4));
}

function autumnalEquinoxDay(year: number): number {
  const k = year - 1980;
  return Math.floor(23.2488 + 0.242194 * k - Math.floor(k / 4));
}

function computeHolidays(y: number): ReadonlyMap<IsoDay, string> {
  // 国民の祝日 proper. 振替休日 and 国民の休日 are derived from these days only.
  const shukujitsu = new Map<IsoDay, string>();
  const add = (month: number, day: number, name: string): void => {
    const key = ymd(y, month, day);
    if (shukujitsu.has(key)) throw new Error(`holiday collision on ${key}`); // a rule bug, not input
    shukujitsu.set(key, name);
  };

  add(1, 1, '元日');
  add(1, nthMonday(y, 1, 2), '成人の日');
  add(2, 11, '建国記念の日');
  if (y >= 2020) add(2, 23, '天皇誕生日');
  add(3, vernalEquinoxDay(y), '春分の日');
  add(4, 29, y >= 2007 ? '昭和の日' : 'みどりの日');
  add(5, 3, '憲法記念日');
  if (y >= 2007) add(5, 4, 'みどりの日');
  add(5, 5, 'こどもの日');

  if (y === 2020) add(7, 23, '海の日');
  else if (y === 2021) add(7, 22, '海の日');
  else if (y >= 2003) add(7, nthMonday(y, 7, 3), '海の日');
  else add(7, 20, '海の日');

  if (y === 2020) add(8, 10, '山の日');
  else if (y === 2021) add(8, 8, '山の日');
  else if (y >= 2016) add(8, 11, '山の日');

  add(9, y >= 2003 ? nthMonday(y, 9, 3) : 15, '敬老の日');
  add(9, autumnalEquinoxDay(y), '秋分の日');

  if (y === 2020) add(7, 24, 'スポーツの日');
  else if (y === 2021) add(7, 23, 'スポーツの日');
  else add(10, nthMonday(y, 10, 2), y >= 2020 ? 'スポーツの日' : '体育の日');

  add(11, 3, '文化の日');
  add(11, 23, '勤労感謝の日');
  if (y <= 2018) add(12, 23, '天皇誕生日');

  if (y === 2019) {
    // 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律: treated as 国民の祝日, so 4/30 and
    // 5/2 become 国民の休日 by the ordinary sandwich rule below.
    add(5, 1, '即位の日');
    add(10, 22, '即位礼正殿の儀');
  }

  const all = new Map(shukujitsu);
  const newLaw = y >= 2007; // the 2005 amendment, in force 2007-01-01

  // 振替休日: a 祝日 on Sunday moves to the nearest following day that is not a 祝日 (before 2007:
  // only to the Monday, and only when the Monday was not itself a 祝日).
  for (const day of shukujitsu.keys()) {
    const n = epochDay(day);
    if (weekdayOf(n) !== 0) continue;
    let sub = n + 1;
    if (newLaw) {
      while (shukujitsu.has(isoDay(sub))) sub += 1;
    } else if (shukujitsu.has(isoDay(sub))) {
      continue;
    }
    all.set(isoDay(sub), '振替休日');
  }

  // 国民の休日: a day that is not a 祝日 but whose neighbours both are (before 2007 the law also
  // excluded Sundays and 振替休日).
  for (const day of shukujitsu.keys()) {
    const n = epochDay(day);
    const between = isoDay(n + 1);
    if (shukujitsu.has(between) || !shukujitsu.has(isoDay(n + 2))) continue;
    if (all.has(between)) continue; // already a 振替休日
    if (!newLaw && weekdayOf(n + 1) === 0) continue;
    all.set(between, '国民の休日');
  }

  return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const holidayCache = new Map<number, ReadonlyMap<IsoDay, string>>();

function holidaysOf(year: number): ReadonlyMap<IsoDay, string> {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`Japanese holidays are known for ${FIRST_YEAR}–${LAST_YEAR} only, not ${year}`);
  }
  let holidays = holidayCache.get(year);
  if (!holidays) {
    holidays = computeHolidays(year);
    holidayCache.set(year, holidays);
  }
  return holidays;
}

/** National holidays of a year (2000–2099), day → Japanese name, in date order. */
export function japaneseHolidays(year: number): Map<IsoDay, string> {
  // A copy, so that a caller's edits cannot leak into the shared cache.
  return new Map(holidaysOf(year));
}

// ---------------------------------------------------------------------------------------------
// Business calendar.

export interface BusinessCalendar {
  /** Open: not Saturday, Sunday, a national holiday or a configured closure. */
  isBusinessDay(day: IsoDay): boolean;
  /** The n-th business day after `from` (n ≥ 0; n = 0 gives `from` if open, else the next open day). */
  addBusinessDays(from: IsoDay, n: number): IsoDay;
  /** Business days in (from, to]; negative when to < from, so that swapping the days flips the sign. */
  businessDaysBetween(from: IsoDay, to: IsoDay): number;
  /** The first business day strictly after `day`. */
  nextBusinessDay(day: IsoDay): IsoDay;
}

export interface BusinessCalendarOptions {
  /** Close 12/29–1/3 (年末年始休業). Default true. */
  yearEndClosure?: boolean;
  /** Further closed days, e.g. an office's own holidays. */
  extraClosedDays?: readonly IsoDay[];
}

/** A calendar closed on weekends, national holidays and (by default) 12/29–1/3. */
export function businessCalendar(opts: BusinessCalendarOptions = {}): BusinessCalendar {
  const yearEndClosure = opts.yearEndClosure ?? true;
  const extraClosed = new Set((opts.extraClosedDays ?? []).map((d) => isoDay(epochDay(d))));

  const isOpen = (n: number): boolean => {
    const day = isoDay(n);
    // The holiday lookup comes first so that days outside 2000–2099 fail even on weekends.
    if (holidaysOf(Number(day.slice(0, 4))).has(day)) return false;
    const wd = weekdayOf(n);
    if (wd === 0 || wd === 6) return false;
    if (yearEndClosure) {
      const md = day.slice(5);
      if (md >= '12-29' || md <= '01-03') return false;
    }
    return !extraClosed.has(day);
  };

  const nthOpenAfter = (start: number, count: number): number => {
    let n = start;
    if (count === 0) {
      while (!isOpen(n)) n += 1;
      return n;
    }
    for (let found = 0; found < count; ) {
      n += 1;
      if (isOpen(n)) found += 1;
    }
    return n;
  };

  const openIn = (after: number, upTo: number): number => {
    let count = 0;
    for (let n = after + 1; n <= upTo; n += 1) if (isOpen(n)) count += 1;
    return count;
  };

  return {
    isBusinessDay: (day) => isOpen(epochDay(day)),
    addBusinessDays: (from, n) => isoDay(nthOpenAfter(epochDay(from), checkCount(n))),
    businessDaysBetween: (from, to) => {
      const a = epochDay(from);
      const b = epochDay(to);
      return b >= a ? openIn(a, b) : 0 - openIn(b, a); // 0 - 0 is +0; -0 would surprise callers
    },
    nextBusinessDay: (day) => isoDay(nthOpenAfter(epochDay(day), 1)),
  };
}

function checkCount(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`business day count must be a non-negative integer, not ${n}`);
  }
  return n;
}

/**
 * End (23:59:59.999 JST) of the n-th business day after the JST day of `sentAt`. A referral sent on a
 * closed day counts as received on the next business day (day 0).
 */
export function responseDeadline(
  sentAt: Date,
  businessDays: number,
  cal: BusinessCalendar = businessCalendar(),
): Date {
  checkCount(businessDays);
  const received = cal.addBusinessDays(toJstDay(sentAt), 0);
  const due = cal.addBusinessDays(received, businessDays);
  return new Date(jstDayStart(due).getTime() + DAY_MS - 1);
}
