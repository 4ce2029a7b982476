// LEDGER_CALENDAR_FILE: years' holiday arrangements as the State Council published them, for years the
// bundled calendar lacks: `{"years": [{"year": 2027, "holidays": ["2027-01-01", ...], "makeUpWorkingDays": [...]}]}`.
import { readFileSync } from 'node:fs';
import { chinaWorkingCalendarWith, type PublishedYear, type WorkingCalendar } from '@ledger/domain';

/** The national calendar with the file's years added; throws naming the file and the fault. */
export function calendarFromFile(file: string): WorkingCalendar {
  try {
    return chinaWorkingCalendarWith(publishedYears(file));
  } catch (error) {
    throw new Error(`LEDGER_CALENDAR_FILE ${file}: ${(error as Error).message}`);
  }
}

function publishedYears(file: string): PublishedYear[] {
  const fail = (why: string): never => {
    throw new Error(why);
  };
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const years = (parsed as { years?: unknown })?.years;
  if (!Array.isArray(years)) return fail('expected {"years": [...]}');
  const dates = (value: unknown, field: string): string[] =>
    Array.isArray(value) && value.every((d) => typeof d === 'string')
      ? (value as string[])
      : fail(`${field} must be an array of "YYYY-MM-DD" dates`);
  return years.map((entry: { year?: unknown; holidays?: unknown; makeUpWorkingDays?: unknown }, i) => ({
    year: typeof entry?.year === 'number' ? entry.year : fail(`years[${i}].year must be a number`),
    holidays: dates(entry?.holidays, `years[${i}].holidays`),
    makeUpWorkingDays: dates(entry?.makeUpWorkingDays ?? [], `years[${i}].makeUpWorkingDays`),
  }));
}
