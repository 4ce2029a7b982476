// The national working calendar: the State Council arrangements bundled in `chinese-days`, and years
// recorded in the ledger from their notices (calendar.decider.ts), which take precedence for their year.
import arrangements from 'chinese-days/dist/chinese-days.json';
import { version as packageVersion } from 'chinese-days/package.json';
import type { ShippedCalendar, YearArrangement } from './calendar.commands';
import { yearOf, type IsoDate } from './iso-date';
import { calendarFromArrangement, type WorkingCalendar } from './working-calendar';

// We read the package's data rather than call `isWorkday`: that function builds dates in UTC but reads
// the weekday in the host's zone, so west of Greenwich it shifts every date by one day.
const byYear = (dates: readonly IsoDate[]): Map<number, IsoDate[]> => {
  const years = new Map<number, IsoDate[]>();
  for (const date of [...dates].sort()) years.set(yearOf(date), [...(years.get(yearOf(date)) ?? []), date]);
  return years;
};
const shippedHolidays = byYear(Object.keys(arrangements.holidays));
const shippedWorkdays = byYear(Object.keys(arrangements.workdays));

/** A year is known only if the package holds its arrangement; every year has at least New Year's Day. */
export const chinaCalendarKnownYears: readonly number[] = [...shippedHolidays.keys()].sort((a, b) => a - b);

const shippedArrangements = new Map<number, YearArrangement>(
  chinaCalendarKnownYears.map((year) => [
    year,
    { year, holidays: shippedHolidays.get(year)!, makeUpWorkingDays: shippedWorkdays.get(year) ?? [] },
  ]),
);

/** What the package ships, as calendar commands are told it. */
export const shippedChinaCalendar: ShippedCalendar = {
  package: 'chinese-days',
  version: packageVersion,
  years: chinaCalendarKnownYears,
  arrangementOf: (year) => shippedArrangements.get(year),
};

/**
 * The national calendar from the package's years and the years recorded from notices. A recorded year
 * replaces the package's arrangement of that year as a whole (an amendment, or a year recorded before
 * the package shipped it): the ledger's own record is what its deadlines were decided with.
 */
export function chinaWorkingCalendarFrom(recorded: readonly YearArrangement[]): WorkingCalendar {
  const years = new Map(shippedArrangements);
  for (const arrangement of recorded) years.set(arrangement.year, arrangement);
  const all = [...years.values()];
  return calendarFromArrangement({
    name: 'china-national',
    knownYears: [...years.keys()],
    holidays: new Set(all.flatMap((year) => year.holidays)),
    makeUpWorkingDays: new Set(all.flatMap((year) => year.makeUpWorkingDays)),
  });
}

/** The package's years alone: for callers that hold no ledger (specs, tools). */
export const chinaWorkingCalendar: WorkingCalendar = chinaWorkingCalendarFrom([]);
