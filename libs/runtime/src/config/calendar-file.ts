// LEDGER_CALENDAR_FILE: years' arrangements with their State Council notices, recorded at start as events
// when the ledger does not know them yet (see WorkingCalendars.importYears).
import { readCalendarFile, type CalendarYearData } from '@ledger/application';

export interface CalendarFile {
  readonly path: string;
  readonly years: readonly CalendarYearData[];
}

/** Read at once, so a file that cannot be read or has the wrong shape stops the start, naming itself. */
export function calendarFile(path: string): CalendarFile {
  try {
    return { path, years: readCalendarFile(path) };
  } catch (error) {
    throw new Error(`LEDGER_CALENDAR_FILE ${(error as Error).message}`);
  }
}
