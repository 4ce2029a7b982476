// The national working calendar, from the State Council arrangements bundled in `chinese-days`.
import arrangements from 'chinese-days/dist/chinese-days.json';
import { yearOf } from './iso-date';
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
