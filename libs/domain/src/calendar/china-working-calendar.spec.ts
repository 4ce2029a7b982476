import {
  chinaCalendarKnownYears,
  chinaWorkingCalendar as calendar,
  chinaWorkingCalendarFrom,
  shippedChinaCalendar,
} from './china-working-calendar';
import { addWorkingDays, CalendarYearUnknown, workingDaysBetween } from './working-calendar';

describe('the national working calendar', () => {
  it('knows the years the package holds arrangements for, 2004 to 2026', () => {
    expect(chinaCalendarKnownYears[0]).toBe(2004);
    expect(chinaCalendarKnownYears.at(-1)).toBe(2026);
    expect(chinaCalendarKnownYears).toHaveLength(23);
  });

  describe('National Day week 2025', () => {
    it('1 to 8 October are off', () => {
      for (let day = 1; day <= 8; day += 1) {
        expect(calendar.isWorkingDay(`2025-10-0${day}`)).toBe(false);
      }
      expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
    });

    it('Sunday 28 September and Saturday 11 October are make-up working days (调休)', () => {
      expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
      expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
      expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
    });
  });

  describe('Spring Festival 2025', () => {
    it('28 January to 4 February are off, with Sunday 26 January and Saturday 8 February worked', () => {
      expect(['2025-01-28', '2025-01-31', '2025-02-04'].map(calendar.isWorkingDay)).toEqual([
        false,
        false,
        false,
      ]);
      expect(calendar.isWorkingDay('2025-01-26')).toBe(true);
      expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
    });
  });

  it('an ordinary weekend is off and an ordinary weekday is worked', () => {
    expect(calendar.isWorkingDay('2025-03-15')).toBe(false);
    expect(calendar.isWorkingDay('2025-03-17')).toBe(true);
  });

  it('gives the same answer whatever the host time zone', () => {
    const original = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
      expect(calendar.isWorkingDay('2025-10-08')).toBe(false);
      expect(calendar.isWorkingDay('2025-03-17')).toBe(true);
    } finally {
      process.env.TZ = original;
    }
  });

  it('refuses a year it holds no arrangement for instead of guessing', () => {
    expect(() => calendar.isWorkingDay('2027-03-01')).toThrow(CalendarYearUnknown);
    expect(() => calendar.isWorkingDay('2003-03-03')).toThrow(
      expect.objectContaining({ code: 'CALENDAR.YEAR_UNKNOWN', year: 2003 }),
    );
  });
});

describe('counting working days', () => {
  it('does not count the start day, and skips the National Day week', () => {
    expect(addWorkingDays(calendar, '2025-09-30', 7)).toBe('2025-10-16');
  });

  it('counts a make-up Sunday as a working day', () => {
    expect(addWorkingDays(calendar, '2025-09-26', 1)).toBe('2025-09-28');
    expect(addWorkingDays(calendar, '2025-09-26', 7)).toBe('2025-10-13');
  });

  it('counts the working days between two dates, the later one included', () => {
    expect(workingDaysBetween(calendar, '2025-09-30', '2025-10-16')).toBe(7);
    expect(workingDaysBetween(calendar, '2025-09-30', '2025-10-08')).toBe(0);
    expect(workingDaysBetween(calendar, '2025-10-16', '2025-09-30')).toBe(0);
  });

  it('fails when the count runs into an unknown year', () => {
    expect(() => addWorkingDays(calendar, '2026-12-28', 7)).toThrow(CalendarYearUnknown);
  });

  describe('with years recorded from their notices', () => {
    // An illustrative arrangement, not the real one for 2027.
    const year2027 = {
      year: 2027,
      holidays: ['2027-01-01', '2027-02-08', '2027-02-09'],
      makeUpWorkingDays: ['2027-02-06'],
    };
    const extended = chinaWorkingCalendarFrom([year2027]);

    it('knows the added year: its holidays off, its make-up Saturday worked, the rest by weekday', () => {
      expect(extended.isWorkingDay('2027-01-01')).toBe(false);
      expect(extended.isWorkingDay('2027-02-08')).toBe(false);
      expect(extended.isWorkingDay('2027-02-06')).toBe(true);
      expect(extended.isWorkingDay('2027-03-01')).toBe(true);
      expect(extended.isWorkingDay('2027-03-06')).toBe(false);
    });

    it('so a deadline across New Year can be computed, and bundled years answer as before', () => {
      expect(() => addWorkingDays(calendar, '2026-12-28', 7)).toThrow(CalendarYearUnknown);
      expect(addWorkingDays(extended, '2026-12-28', 7)).toBe('2027-01-07');
      expect(extended.isWorkingDay('2025-10-11')).toBe(true);
      expect(() => extended.isWorkingDay('2028-03-01')).toThrow(CalendarYearUnknown);
    });

    it("lets a recorded year replace the package's arrangement of that year as a whole", () => {
      // An illustrative amendment: 2026's National Day week given one more day off, 8 October.
      const shipped2026 = shippedChinaCalendar.arrangementOf(2026)!;
      const amended = chinaWorkingCalendarFrom([
        { ...shipped2026, holidays: [...shipped2026.holidays, '2026-10-08'] },
      ]);
      expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
      expect(amended.isWorkingDay('2026-10-08')).toBe(false);
      expect(amended.isWorkingDay('2026-10-07')).toBe(false);
      expect(
        chinaWorkingCalendarFrom([
          { year: 2026, holidays: ['2026-01-01'], makeUpWorkingDays: [] },
        ]).isWorkingDay('2026-10-07'),
      ).toBe(true);
    });
  });
});

describe('the package as calendar commands are told it', () => {
  it('names the package and its version, and gives each year its arrangement, dates sorted', () => {
    expect(shippedChinaCalendar).toMatchObject({ package: 'chinese-days', years: chinaCalendarKnownYears });
    expect(shippedChinaCalendar.version).toMatch(/^\d+\.\d+\.\d+/);
    const year2025 = shippedChinaCalendar.arrangementOf(2025)!;
    expect(year2025.holidays).toContain('2025-10-08');
    expect(year2025.makeUpWorkingDays).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
    expect([...year2025.holidays].sort()).toEqual(year2025.holidays);
    expect(shippedChinaCalendar.arrangementOf(2027)).toBeUndefined();
  });
});
