import {
  businessCalendar,
  japaneseHolidays,
  jstDayStart,
  responseDeadline,
  toJstDay,
} from './business-days';

// Expected lists are the Cabinet Office (内閣府) 国民の祝日 tables, written out by hand. Its CSV calls
// both 振替休日 and 国民の休日 "休日"; here they carry the kind of 休日 they are.
const OFFICIAL: Record<number, Array<[string, string]>> = {
  2019: [
    ['2019-01-01', '元日'],
    ['2019-01-14', '成人の日'],
    ['2019-02-11', '建国記念の日'],
    ['2019-03-21', '春分の日'],
    ['2019-04-29', '昭和の日'],
    ['2019-04-30', '国民の休日'],
    ['2019-05-01', '即位の日'],
    ['2019-05-02', '国民の休日'],
    ['2019-05-03', '憲法記念日'],
    ['2019-05-04', 'みどりの日'],
    ['2019-05-05', 'こどもの日'],
    ['2019-05-06', '振替休日'],
    ['2019-07-15', '海の日'],
    ['2019-08-11', '山の日'],
    ['2019-08-12', '振替休日'],
    ['2019-09-16', '敬老の日'],
    ['2019-09-23', '秋分の日'],
    ['2019-10-14', '体育の日'],
    ['2019-10-22', '即位礼正殿の儀'],
    ['2019-11-03', '文化の日'],
    ['2019-11-04', '振替休日'],
    ['2019-11-23', '勤労感謝の日'],
  ],
  2020: [
    ['2020-01-01', '元日'],
    ['2020-01-13', '成人の日'],
    ['2020-02-11', '建国記念の日'],
    ['2020-02-23', '天皇誕生日'],
    ['2020-02-24', '振替休日'],
    ['2020-03-20', '春分の日'],
    ['2020-04-29', '昭和の日'],
    ['2020-05-03', '憲法記念日'],
    ['2020-05-04', 'みどりの日'],
    ['2020-05-05', 'こどもの日'],
    ['2020-05-06', '振替休日'],
    ['2020-07-23', '海の日'],
    ['2020-07-24', 'スポーツの日'],
    ['2020-08-10', '山の日'],
    ['2020-09-21', '敬老の日'],
    ['2020-09-22', '秋分の日'],
    ['2020-11-03', '文化の日'],
    ['2020-11-23', '勤労感謝の日'],
  ],
  2021: [
    ['2021-01-01', '元日'],
    ['2021-01-11', '成人の日'],
    ['2021-02-11', '建国記念の日'],
    ['2021-02-23', '天皇誕生日'],
    ['2021-03-20', '春分の日'],
    ['2021-04-29', '昭和の日'],
    ['2021-05-03', '憲法記念日'],
    ['2021-05-04', 'みどりの日'],
    ['2021-05-05', 'こどもの日'],
    ['2021-07-22', '海の日'],
    ['2021-07-23', 'スポーツの日'],
    ['2021-08-08', '山の日'],
    ['2021-08-09', '振替休日'],
    ['2021-09-20', '敬老の日'],
    ['2021-09-23', '秋分の日'],
    ['2021-11-03', '文化の日'],
    ['2021-11-23', '勤労感謝の日'],
  ],
  2024: [
    ['2024-01-01', '元日'],
    ['2024-01-08', '成人の日'],
    ['2024-02-11', '建国記念の日'],
    ['2024-02-12', '振替休日'],
    ['2024-02-23', '天皇誕生日'],
    ['2024-03-20', '春分の日'],
    ['2024-04-29', '昭和の日'],
    ['2024-05-03', '憲法記念日'],
    ['2024-05-04', 'みどりの日'],
    ['2024-05-05', 'こどもの日'],
    ['2024-05-06', '振替休日'],
    ['2024-07-15', '海の日'],
    ['2024-08-11', '山の日'],
    ['2024-08-12', '振替休日'],
    ['2024-09-16', '敬老の日'],
    ['2024-09-22', '秋分の日'],
    ['2024-09-23', '振替休日'],
    ['2024-10-14', 'スポーツの日'],
    ['2024-11-03', '文化の日'],
    ['2024-11-04', '振替休日'],
    ['2024-11-23', '勤労感謝の日'],
  ],
  2025: [
    ['2025-01-01', '元日'],
    ['2025-01-13', '成人の日'],
    ['2025-02-11', '建国記念の日'],
    ['2025-02-23', '天皇誕生日'],
    ['2025-02-24', '振替休日'],
    ['2025-03-20', '春分の日'],
    ['2025-04-29', '昭和の日'],
    ['2025-05-03', '憲法記念日'],
    ['2025-05-04', 'みどりの日'],
    ['2025-05-05', 'こどもの日'],
    ['2025-05-06', '振替休日'],
    ['2025-07-21', '海の日'],
    ['2025-08-11', '山の日'],
    ['2025-09-15', '敬老の日'],
    ['2025-09-23', '秋分の日'],
    ['2025-10-13', 'スポーツの日'],
    ['2025-11-03', '文化の日'],
    ['2025-11-23', '勤労感謝の日'],
    ['2025-11-24', '振替休日'],
  ],
  2026: [
    ['2026-01-01', '元日'],
    ['2026-01-12', '成人の日'],
    ['2026-02-11', '建国記念の日'],
    ['2026-02-23', '天皇誕生日'],
    ['2026-03-20', '春分の日'],
    ['2026-04-29', '昭和の日'],
    ['2026-05-03', '憲法記念日'],
    ['2026-05-04', 'みどりの日'],
    ['2026-05-05', 'こどもの日'],
    ['2026-05-06', '振替休日'],
    ['2026-07-20', '海の日'],
    ['2026-08-11', '山の日'],
    ['2026-09-21', '敬老の日'],
    ['2026-09-22', '国民の休日'],
    ['2026-09-23', '秋分の日'],
    ['2026-10-12', 'スポーツの日'],
    ['2026-11-03', '文化の日'],
    ['2026-11-23', '勤労感謝の日'],
  ],
};

const COUNTS: Record<number, number> = { 2019: 22, 2020: 18, 2021: 17, 2024: 21, 2025: 19, 2026: 18 };

/** 23:59:59.999 JST of a day, written out as UTC (JST = UTC+9). */
const endOfJstDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, 14, 59, 59, 999)).toISOString();
};

describe('japaneseHolidays', () => {
  test.each(Object.keys(OFFICIAL).map(Number))('%i matches the Cabinet Office list date by date and name', (year) => {
    const holidays = japaneseHolidays(year);
    expect(holidays.size).toBe(COUNTS[year]);
    expect([...holidays]).toEqual(OFFICIAL[year]);
  });

  test('2019 has no 天皇誕生日; it was 12/23 until 2018 (with 12/24 as 振替休日 that year) and 2/23 from 2020', () => {
    expect([...japaneseHolidays(2019).values()]).not.toContain('天皇誕生日');
    expect(japaneseHolidays(2018).get('2018-12-23')).toBe('天皇誕生日');
    expect(japaneseHolidays(2018).get('2018-12-24')).toBe('振替休日');
    expect(japaneseHolidays(2018).has('2018-02-23')).toBe(false);
    expect(japaneseHolidays(2020).has('2020-12-23')).toBe(false);
  });

  test('silver week 2015 and 2009 make 9/22 a 国民の休日 between 敬老の日 and 秋分の日', () => {
    const y2015 = japaneseHolidays(2015);
    expect([y2015.get('2015-09-21'), y2015.get('2015-09-22'), y2015.get('2015-09-23')]).toEqual([
      '敬老の日',
      '国民の休日',
      '秋分の日',
    ]);
    expect(japaneseHolidays(2009).get('2009-09-22')).toBe('国民の休日');
  });

  test('since 2007 a Sunday holiday moves past following holidays: 2008-05-04 (Sun) gives 5/6 off', () => {
    const y2008 = japaneseHolidays(2008);
    expect(y2008.get('2008-05-04')).toBe('みどりの日');
    expect(y2008.get('2008-05-06')).toBe('振替休日');
    expect(japaneseHolidays(2007).get('2007-04-30')).toBe('振替休日'); // 昭和の日 on Sunday
  });

  test('before 2007 4/29 was みどりの日 and 5/4 a 国民の休日; fixed 海の日 7/20 and 敬老の日 9/15 until 2002', () => {
    const y2006 = japaneseHolidays(2006);
    expect(y2006.get('2006-04-29')).toBe('みどりの日');
    expect(y2006.get('2006-05-04')).toBe('国民の休日');
    const y2000 = japaneseHolidays(2000);
    expect(y2000.get('2000-01-10')).toBe('成人の日');
    expect(y2000.get('2000-07-20')).toBe('海の日');
    expect(y2000.get('2000-09-15')).toBe('敬老の日');
    expect(y2000.get('2000-10-09')).toBe('体育の日');
    expect(japaneseHolidays(2003).get('2003-07-21')).toBe('海の日');
    expect(japaneseHolidays(2003).get('2003-09-15')).toBe('敬老の日');
    expect(japaneseHolidays(2015).has('2015-08-11')).toBe(false); // 山の日 starts in 2016
    expect(japaneseHolidays(2016).get('2016-08-11')).toBe('山の日');
  });

  test('every year from 2000 to 2099 can be computed', () => {
    for (let y = 2000; y <= 2099; y++) expect(japaneseHolidays(y).size).toBeGreaterThanOrEqual(15);
  });

  test('years outside 2000–2099 are refused with a RangeError', () => {
    expect(() => japaneseHolidays(1999)).toThrow(RangeError);
    expect(() => japaneseHolidays(2100)).toThrow(RangeError);
    expect(() => businessCalendar().isBusinessDay('2100-01-04')).toThrow(RangeError);
    expect(() => businessCalendar().isBusinessDay('1999-12-27')).toThrow(RangeError);
  });

  test("editing the returned map does not change later answers", () => {
    japaneseHolidays(2026).delete('2026-05-06');
    expect(japaneseHolidays(2026).get('2026-05-06')).toBe('振替休日');
    expect(businessCalendar().isBusinessDay('2026-05-06')).toBe(false);
  });
});

describe('businessCalendar', () => {
  const cal = businessCalendar();

  test('weekends, holidays, 振替休日, 国民の休日 and 年末年始 are closed; ordinary weekdays are open', () => {
    expect(cal.isBusinessDay('2026-05-07')).toBe(true); // Thu after Golden Week
    expect(cal.isBusinessDay('2026-05-09')).toBe(false); // Sat
    expect(cal.isBusinessDay('2026-05-10')).toBe(false); // Sun
    expect(cal.isBusinessDay('2026-04-29')).toBe(false); // 昭和の日 (Wed)
    expect(cal.isBusinessDay('2026-05-06')).toBe(false); // 振替休日
    expect(cal.isBusinessDay('2026-09-22')).toBe(false); // 国民の休日
    expect(cal.isBusinessDay('2026-12-29')).toBe(false); // 年末年始 (Tue)
    expect(cal.isBusinessDay('2027-01-04')).toBe(true); // first working Monday
    expect(businessCalendar({ yearEndClosure: false }).isBusinessDay('2026-12-29')).toBe(true);
    expect(businessCalendar({ yearEndClosure: false }).isBusinessDay('2027-01-01')).toBe(false); // 元日
  });

  test('Golden Week 2026: three business days after Thu 4/30 are 5/1, 5/7 and 5/8', () => {
    expect(cal.addBusinessDays('2026-04-30', 1)).toBe('2026-05-01');
    expect(cal.addBusinessDays('2026-04-30', 2)).toBe('2026-05-07');
    expect(cal.addBusinessDays('2026-04-30', 3)).toBe('2026-05-08');
    expect(cal.addBusinessDays('2026-05-01', 1)).toBe('2026-05-07');
    expect(cal.businessDaysBetween('2026-04-30', '2026-05-08')).toBe(3);
    expect(cal.businessDaysBetween('2026-05-01', '2026-05-06')).toBe(0);
  });

  test('Golden Week 2025: the business day after Fri 5/2 is Wed 5/7 (5/6 is the 振替休日 for Sunday 5/4)', () => {
    expect(cal.addBusinessDays('2025-05-02', 1)).toBe('2025-05-07');
    expect(cal.addBusinessDays('2025-04-28', 3)).toBe('2025-05-02');
    expect(cal.addBusinessDays('2025-04-28', 4)).toBe('2025-05-07');
    expect(cal.businessDaysBetween('2025-04-28', '2025-05-07')).toBe(4);
  });

  test('n = 0 returns the day itself when open, otherwise the next open day', () => {
    expect(cal.addBusinessDays('2026-05-01', 0)).toBe('2026-05-01');
    expect(cal.addBusinessDays('2026-05-02', 0)).toBe('2026-05-07');
  });

  test('nextBusinessDay is strictly after the day and skips the year-end closure', () => {
    expect(cal.nextBusinessDay('2026-05-01')).toBe('2026-05-07');
    expect(cal.nextBusinessDay('2026-05-07')).toBe('2026-05-08');
    expect(cal.nextBusinessDay('2026-12-28')).toBe('2027-01-04');
    expect(businessCalendar({ yearEndClosure: false }).nextBusinessDay('2026-12-28')).toBe('2026-12-29');
  });

  test('businessDaysBetween counts (from, to] and flips sign when the days are swapped', () => {
    const pairs: Array<[string, string, number]> = [
      ['2026-04-30', '2026-05-08', 3],
      ['2026-05-01', '2026-05-07', 1],
      ['2026-09-18', '2026-09-24', 1], // silver week: 9/21–23 closed
      ['2026-12-25', '2027-01-05', 3], // 12/28, 1/4, 1/5
      ['2026-05-07', '2026-05-07', 0],
      ['2026-05-02', '2026-05-06', 0], // Sat to 振替休日: nothing open
    ];
    for (const [from, to, n] of pairs) {
      expect(cal.businessDaysBetween(from, to)).toBe(n);
      expect(cal.businessDaysBetween(to, from)).toBe(0 - n); // +0, never -0
    }
    // Without 年末年始: 12/28, 29, 30, 31, 1/4, 1/5 (1/1 元日, 1/2–1/3 weekend).
    expect(businessCalendar({ yearEndClosure: false }).businessDaysBetween('2026-12-25', '2027-01-05')).toBe(6);
  });

  test('counting n business days forward and back agrees for every open day of 2026', () => {
    for (let d = new Date('2026-01-05T00:00:00Z'); d < new Date('2026-12-20T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      const day = d.toISOString().slice(0, 10);
      if (!cal.isBusinessDay(day)) continue;
      for (const n of [0, 1, 5, 10]) expect(cal.businessDaysBetween(day, cal.addBusinessDays(day, n))).toBe(n);
    }
  });

  test('extraClosedDays are closed too', () => {
    const office = businessCalendar({ extraClosedDays: ['2026-05-07'] });
    expect(office.isBusinessDay('2026-05-07')).toBe(false);
    expect(office.addBusinessDays('2026-04-30', 3)).toBe('2026-05-11');
  });

  test('malformed days and counts are refused', () => {
    expect(() => cal.isBusinessDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.isBusinessDay('2026/05/01')).toThrow(RangeError);
    expect(() => cal.addBusinessDays('2026-05-01', -1)).toThrow(RangeError);
    expect(() => cal.addBusinessDays('2026-05-01', 1.5)).toThrow(RangeError);
    expect(() => businessCalendar({ extraClosedDays: ['2026-13-01'] })).toThrow(RangeError);
  });
});

describe('JST days', () => {
  test('an instant belongs to the next JST day from 15:00Z', () => {
    expect(toJstDay(new Date('2026-03-06T14:59:59.999Z'))).toBe('2026-03-06');
    expect(toJstDay(new Date('2026-03-06T15:00:00.000Z'))).toBe('2026-03-07');
    expect(jstDayStart('2026-03-07').toISOString()).toBe('2026-03-06T15:00:00.000Z');
    expect(() => toJstDay(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('responseDeadline', () => {
  test('a referral sent Fri 2026-12-25 with 3 business days is due at the end of Tue 2027-01-05 JST (12/28 day 1, 12/29–1/3 closed, 1/4 day 2, 1/5 day 3)', () => {
    const sentAt = new Date('2026-12-25T01:00:00Z'); // 10:00 JST
    expect(responseDeadline(sentAt, 3).toISOString()).toBe(endOfJstDay('2027-01-05'));
    expect(endOfJstDay('2027-01-05')).toBe('2027-01-05T14:59:59.999Z');
  });

  test('without the year-end closure the same referral is due at the end of Wed 2026-12-30 JST', () => {
    const sentAt = new Date('2026-12-25T01:00:00Z');
    const cal = businessCalendar({ yearEndClosure: false });
    expect(responseDeadline(sentAt, 3, cal).toISOString()).toBe(endOfJstDay('2026-12-30'));
  });

  test('a referral sent on Sunday counts from Monday as day 0: 2 business days ends Wed', () => {
    const sunday = new Date('2026-03-01T01:00:00Z'); // Sun 10:00 JST
    expect(responseDeadline(sunday, 2).toISOString()).toBe(endOfJstDay('2026-03-04'));
    expect(responseDeadline(sunday, 0).toISOString()).toBe(endOfJstDay('2026-03-02'));
    const monday = new Date('2026-03-02T01:00:00Z');
    expect(responseDeadline(monday, 2).toISOString()).toBe(endOfJstDay('2026-03-04'));
  });

  test('Fri 23:30 JST (14:30Z) is still Friday: 1 business day ends Monday', () => {
    expect(responseDeadline(new Date('2026-03-06T14:30:00Z'), 1).toISOString()).toBe(endOfJstDay('2026-03-09'));
  });

  test('from 15:00Z Friday it is Saturday in Japan: day 0 is Monday and 1 business day ends Tuesday', () => {
    expect(responseDeadline(new Date('2026-03-06T15:30:00Z'), 1).toISOString()).toBe(endOfJstDay('2026-03-10'));
  });

  test('Thu 15:30Z is Fri 00:30 JST: 1 business day ends Monday, not Friday', () => {
    expect(responseDeadline(new Date('2026-03-05T15:30:00Z'), 1).toISOString()).toBe(endOfJstDay('2026-03-09'));
  });

  test('silver week 2026: 1 business day after Fri 9/18 ends Thu 9/24', () => {
    expect(responseDeadline(new Date('2026-09-18T03:00:00Z'), 1).toISOString()).toBe(endOfJstDay('2026-09-24'));
  });
});
