// The national working calendar, from the State Council arrangements bundled in `chinese-days`.
import arrangements from 'chinese-days/dist/chinese-days.json';
import { isIsoDate, yearOf, type IsoDate } from './iso-date';
import { calendarFromArrangement, type WorkingCalendar } from './working-calendar';

// We read the package's data rather than call `isWorkday`: that function builds dates in UTC but reads
// the weekday in the host's zone, so west of Greenwich it shifts every date by one day.
const holidays = Object.keys(arrangements.holidays);
const makeUpWorkingDays = Object.keys(arrangements.workdays);

/** A year is known only if the package holds its arrangement; every year has at least New Year's Day. */
export const chinaCalendarKnownYears: readonly number[] = [...new Set(holidays.map(yearOf))].sort(
  (a, b) => a - b,
);

export const chinaWorkingCalendar: WorkingCalendar = calendarFromArrangement({
  name: 'china-national',
  knownYears: chinaCalendarKnownYears,
  holidays: new Set(holidays),
  makeUpWorkingDays: new Set(makeUpWorkingDays),
});

/** A year's arrangement as the State Council published it, for a year the bundled data does not hold yet. */
export interface PublishedYear {
  readonly year: number;
  /** Days off beyond ordinary weekends. */
  readonly holidays: readonly IsoDate[];
  /** Weekend days worked instead (调休). */
  readonly makeUpWorkingDays: readonly IsoDate[];
}

/**
 * The national calendar with years added from their published arrangement. The State Council publishes a
 * year's arrangement weeks before it begins, often before the package carries it; deadlines running into
 * that year are refused until it is known, so operators add it here rather than wait for a release.
 */
export function chinaWorkingCalendarWith(published: readonly PublishedYear[]): WorkingCalendar {
  if (published.length === 0) return chinaWorkingCalendar;
  const known = new Set(chinaCalendarKnownYears);
  for (const { year, holidays: off, makeUpWorkingDays: worked } of published) {
    if (!Number.isInteger(year)) throw new Error(`A published year must be an integer, got ${year}`);
    if (known.has(year))
      throw new Error(`The arrangement for ${year} is known already; it cannot be given twice`);
    known.add(year);
    for (const date of [...off, ...worked]) {
      if (!isIsoDate(date) || yearOf(date) !== year)
        throw new Error(`${date} is not a date of ${year} (YYYY-MM-DD)`);
    }
    if (!off.some((date) => date.endsWith('-01-01')))
      throw new Error(`The arrangement for ${year} lacks New Year's Day: is it complete?`);
  }
  return calendarFromArrangement({
    name: 'china-national',
    knownYears: [...known],
    holidays: new Set([...holidays, ...published.flatMap((p) => p.holidays)]),
    makeUpWorkingDays: new Set([...makeUpWorkingDays, ...published.flatMap((p) => p.makeUpWorkingDays)]),
  });
}
