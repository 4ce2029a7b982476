// Reporting deadlines count 7 working days: within weeks of a year the calendar does not know, commands
// whose deadline runs into it are refused (CALENDAR.YEAR_UNKNOWN). Say so at start, while there is time.
import { addDays, beijingDateOf, CalendarYearUnknown, type WorkingCalendar } from '@ledger/domain';
import type { LedgerLogger } from './logging/ledger-logger';

export function warnIfCalendarRunsOut(calendar: WorkingCalendar, logger: LedgerLogger): void {
  const soon = addDays(beijingDateOf(new Date().toISOString()), 45);
  try {
    calendar.isWorkingDay(soon);
  } catch (error) {
    if (!(error instanceof CalendarYearUnknown)) throw error;
    logger.warn(
      {
        msg: `The working calendar has no holiday arrangement for ${error.year}: commands whose deadline runs into it are refused (CALENDAR.YEAR_UNKNOWN). Record the State Council's notice for ${error.year} with POST /api/v1/calendar/years (admin) or npm run cli -- publish-calendar-year FILE.`,
        year: error.year,
      },
      'Calendar',
    );
  }
}
