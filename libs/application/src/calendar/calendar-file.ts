// Years' arrangements in a JSON file: one year `{year, holidays, makeUpWorkingDays, notice}` (what
// POST /api/v1/calendar/years takes) or `{"years": [...]}` of them (LEDGER_CALENDAR_FILE). Only the shape
// is checked here; whether the dates can be right is the calendar decider's to say.
import { readFileSync } from 'node:fs';
import type { PublishCalendarYear } from '@ledger/domain';

export type CalendarYearData = PublishCalendarYear['data'];

export function readCalendarFile(file: string): CalendarYearData[] {
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return fail('expected {"year": ...} or {"years": [...]}');
  const many = 'years' in parsed;
  const years = many ? (parsed as { years: unknown }).years : [parsed];
  if (!Array.isArray(years)) return fail('expected {"years": [...]}');
  return years.map((entry: Record<string, unknown> | null, i) => {
    const at = (field: string) => (many ? `years[${i}].${field}` : field);
    const dates = (value: unknown, field: string): string[] =>
      Array.isArray(value) && value.every((d) => typeof d === 'string')
        ? (value as string[])
        : fail(`${at(field)} must be an array of "YYYY-MM-DD" dates`);
    const text = (value: unknown, field: string): string =>
      typeof value === 'string' ? value : fail(`${at(field)} must be a string`);
    const notice = entry?.notice as Record<string, unknown> | undefined;
    if (notice === null || typeof notice !== 'object')
      return fail(
        `${at('notice')} is required: {documentNumber, title, publishedOn} of the State Council notice the year is recorded from`,
      );
    return {
      year: typeof entry?.year === 'number' ? entry.year : fail(`${at('year')} must be a number`),
      holidays: dates(entry?.holidays, 'holidays'),
      makeUpWorkingDays: dates(entry?.makeUpWorkingDays ?? [], 'makeUpWorkingDays'),
      notice: {
        documentNumber: text(notice.documentNumber, 'notice.documentNumber'),
        title: text(notice.title, 'notice.title'),
        publishedOn: text(notice.publishedOn, 'notice.publishedOn'),
      },
    };
  });
}
