import { fiscalYearOf, fiscalYearStart, splitAtFiscalYears } from './fiscal-years';

const jst = (day: string, time = '00:00') => new Date(`${day}T${time}:00+09:00`);
const iso = (r: { from: Date; to: Date }) => [r.from.toISOString(), r.to.toISOString()];

describe('fiscal years (April–March, Japan time)', () => {
  test('a year starts on 1 April at midnight in Japan, which is 31 March in UTC', () => {
    expect(fiscalYearStart(2025).toISOString()).toBe('2025-03-31T15:00:00.000Z');
  });

  test('31 March late in the evening belongs to the year before 1 April', () => {
    expect(fiscalYearOf(jst('2026-03-31', '23:59'))).toBe(2025);
    expect(fiscalYearOf(jst('2026-04-01', '00:00'))).toBe(2026);
    expect(fiscalYearOf(jst('2026-01-15'))).toBe(2025);
    expect(fiscalYearOf(jst('2025-12-31', '23:00'))).toBe(2025);
  });
});

describe('splitAtFiscalYears', () => {
  test('a whole fiscal year is one tallied year with nothing left over', () => {
    expect(splitAtFiscalYears(jst('2025-04-01'), jst('2026-04-01'))).toEqual({ years: [2025], rest: [] });
  });

  test('two whole years and days on both sides', () => {
    const { years, rest } = splitAtFiscalYears(jst('2024-02-10'), jst('2026-04-16'));
    expect(years).toEqual([2024, 2025]);
    expect(rest.map(iso)).toEqual([iso({ from: jst('2024-02-10'), to: jst('2024-04-01') }), iso({ from: jst('2026-04-01'), to: jst('2026-04-16') })]);
  });

  test('a period inside one year, or across a year end without holding a whole year, is left as it is', () => {
    expect(splitAtFiscalYears(jst('2025-06-01'), jst('2026-03-31'))).toEqual({ years: [], rest: [{ from: jst('2025-06-01'), to: jst('2026-03-31') }] });
    expect(splitAtFiscalYears(jst('2025-04-02'), jst('2026-04-01'))).toEqual({ years: [], rest: [{ from: jst('2025-04-02'), to: jst('2026-04-01') }] });
    expect(splitAtFiscalYears(jst('2025-10-01'), jst('2026-09-30'))).toEqual({ years: [], rest: [{ from: jst('2025-10-01'), to: jst('2026-09-30') }] });
  });

  test('a year starting on the first day of the period, ending before its last day', () => {
    const { years, rest } = splitAtFiscalYears(jst('2025-04-01'), jst('2026-05-01'));
    expect(years).toEqual([2025]);
    expect(rest.map(iso)).toEqual([iso({ from: jst('2026-04-01'), to: jst('2026-05-01') })]);
  });

  test('an empty period has nothing', () => {
    expect(splitAtFiscalYears(jst('2025-04-01'), jst('2025-04-01'))).toEqual({ years: [], rest: [] });
  });
});
