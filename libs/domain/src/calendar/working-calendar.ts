// Working days for legal deadlines (reporting within 7 working days, objection decisions within 3).
import { DomainError } from '../errors';
import { addDays, dayOfWeek, yearOf, type IsoDate } from './iso-date';

export interface WorkingCalendar {
  readonly name: string;
  /** Throws CalendarYearUnknown for a year whose holiday arrangement it does not hold. */
  isWorkingDay(date: IsoDate): boolean;
}

/** A deadline in a year without a published arrangement cannot be computed; guessing would misstate it. */
export class CalendarYearUnknown extends DomainError {
  constructor(
    readonly calendar: string,
    readonly year: number,
  ) {
    super('CALENDAR.YEAR_UNKNOWN', `The ${calendar} calendar has no holiday arrangement for ${year}`, {
      calendar,
      year,
    });
  }
}

/** A year's arrangement as the State Council publishes it: days off beyond weekends, and make-up working days (调休). */
export interface HolidayArrangement {
  readonly name: string;
  readonly knownYears: readonly number[];
  readonly holidays: ReadonlySet<IsoDate>;
  readonly makeUpWorkingDays: ReadonlySet<IsoDate>;
}

export const calendarFromArrangement = (arrangement: HolidayArrangement): WorkingCalendar => {
  const known = new Set(arrangement.knownYears);
  return {
    name: arrangement.name,
    isWorkingDay: (date) => {
      if (!known.has(yearOf(date))) throw new CalendarYearUnknown(arrangement.name, yearOf(date));
      if (arrangement.makeUpWorkingDays.has(date)) return true;
      if (arrangement.holidays.has(date)) return false;
      const weekday = dayOfWeek(date);
      return weekday !== 0 && weekday !== 6;
    },
  };
};

/**
 * The date `count` working days after `from`. The start day is not counted (Civil Code Art. 201),
 * so a decision on a Friday has its first working day on the following Monday.
 */
export const addWorkingDays = (calendar: WorkingCalendar, from: IsoDate, count: number): IsoDate => {
  let date = from;
  let remaining = count;
  while (remaining > 0) {
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) remaining -= 1;
  }
  return date;
};

/** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
export const workingDaysBetween = (calendar: WorkingCalendar, from: IsoDate, to: IsoDate): number => {
  let count = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (calendar.isWorkingDay(date)) count += 1;
  }
  return count;
};
