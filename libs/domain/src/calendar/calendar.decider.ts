// The working calendar's decider: one `calendar-china` stream holds every year recorded from a notice.
// One stream, because start-up loads it with one read, and "is this year or notice already recorded"
// is decided against one state at one revision; a few notices a year never contend.
import { assertNever, type Decider } from '../decider';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../errors';
import { requirePastDate, requireText } from '../input-checks';
import type {
  AmendCalendarYear,
  CalendarCommand,
  CalendarNotice,
  PublishCalendarYear,
  YearArrangement,
} from './calendar.commands';
import type { AmendedArrangement, CalendarEvent } from './calendar.events';
import { evolveCalendar, initialCalendarState, type CalendarState } from './calendar.state';
import { beijingDateOf, dayOfWeek, requireIsoDate, yearOf, type IsoDate } from './iso-date';

const invalid = (code: ConstructorParameters<typeof InvalidInput>[0], message: string, field: string) =>
  new InvalidInput(code, message, { field });

/** Dates of one list: real, of the year, each once; returned sorted, so equal arrangements are equal data. */
const requireDatesOf = (year: number, field: string, dates: readonly IsoDate[]): IsoDate[] => {
  const seen = new Set<IsoDate>();
  dates.forEach((date, i) => {
    const at = `${field}[${i}]`;
    requireIsoDate(at, date);
    if (yearOf(date) !== year)
      throw invalid('CALENDAR.DATE_OUTSIDE_YEAR', `${at} ${date} is not a date of ${year}`, at);
    if (seen.has(date)) throw invalid('CALENDAR.DUPLICATE_DATE', `${at} ${date} is listed twice`, at);
    seen.add(date);
  });
  return [...seen].sort();
};

/** Four-digit years only: dates are YYYY-MM-DD, and 20277 is a typo, not a year. */
const requireYear = (year: number): number => {
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw invalid('INPUT.INVALID_VALUE', `year must be a four-digit year, got ${String(year)}`, 'year');
  return year;
};

/** An arrangement that cannot be right is refused, with the field at fault, before anything is written. */
const requireArrangement = (data: YearArrangement): YearArrangement => {
  const year = requireYear(data.year);
  const holidays = requireDatesOf(year, 'holidays', data.holidays);
  const makeUpWorkingDays = requireDatesOf(year, 'makeUpWorkingDays', data.makeUpWorkingDays);
  // Every notice since 1999 gives New Year's Day off; an arrangement without it is a partial copy.
  if (!holidays.includes(`${year}-01-01`))
    throw invalid(
      'CALENDAR.NEW_YEAR_MISSING',
      `holidays lack New Year's Day ${year}-01-01: is the arrangement complete?`,
      'holidays',
    );
  data.makeUpWorkingDays.forEach((date, i) => {
    const at = `makeUpWorkingDays[${i}]`;
    if (holidays.includes(date))
      throw invalid(
        'CALENDAR.DATE_BOTH_HOLIDAY_AND_WORKING_DAY',
        `${at} ${date} is also listed as a holiday`,
        at,
      );
    // A make-up day moves work onto a weekend; a weekday "make-up" day is a slip of the pen.
    // (Holidays may fall on weekends: notices list every day of a period, weekends included.)
    const weekday = dayOfWeek(date);
    if (weekday !== 0 && weekday !== 6)
      throw invalid(
        'CALENDAR.MAKE_UP_DAY_NOT_WEEKEND',
        `${at} ${date} is a weekday; make-up working days are Saturdays or Sundays`,
        at,
      );
  });
  return { year, holidays, makeUpWorkingDays };
};

const requireNotice = (notice: CalendarNotice, state: CalendarState, today: IsoDate): CalendarNotice => {
  const documentNumber = requireText('notice.documentNumber', notice?.documentNumber).trim();
  const title = requireText('notice.title', notice.title).trim();
  requirePastDate('notice.publishedOn', notice.publishedOn, today);
  if (state.documentNumbers.has(documentNumber))
    throw new Conflict('CALENDAR.NOTICE_ALREADY_RECORDED', `Notice ${documentNumber} is already recorded`, {
      documentNumber,
    });
  return { documentNumber, title, publishedOn: notice.publishedOn };
};

const sameArrangement = (a: YearArrangement, b: YearArrangement): boolean =>
  a.holidays.join() === b.holidays.join() && a.makeUpWorkingDays.join() === b.makeUpWorkingDays.join();

const publishYear = (command: PublishCalendarYear, state: CalendarState): CalendarEvent[] => {
  const year = requireYear(command.data.year);
  const { shipped } = command.metadata;
  const recorded = state.years.get(year);
  if (recorded !== undefined)
    throw new Conflict(
      'CALENDAR.YEAR_ALREADY_KNOWN',
      `${year} is already recorded from notice ${recorded.notice.documentNumber}; a later notice amends it`,
      { year, source: 'notice', documentNumber: recorded.notice.documentNumber },
    );
  if (shipped.years.includes(year))
    throw new Conflict(
      'CALENDAR.YEAR_ALREADY_KNOWN',
      `${year} ships with ${shipped.package} ${shipped.version}; a later notice amends it`,
      { year, source: 'package', package: shipped.package, version: shipped.version },
    );
  const arrangement = requireArrangement(command.data);
  const notice = requireNotice(command.data.notice, state, beijingDateOf(command.metadata.now));
  return [{ type: 'CalendarYearPublished', data: { ...arrangement, notice } }];
};

const amendYear = (command: AmendCalendarYear, state: CalendarState): CalendarEvent[] => {
  const year = requireYear(command.data.year);
  const { shipped } = command.metadata;
  const recorded = state.years.get(year);
  const inForce = recorded ?? shipped.arrangementOf(year);
  if (inForce === undefined)
    throw new NotFound(
      'CALENDAR.YEAR_NOT_FOUND',
      `${year} has no arrangement to amend; publish its notice first`,
      { year },
    );
  const arrangement = requireArrangement(command.data);
  const notice = requireNotice(command.data.notice, state, beijingDateOf(command.metadata.now));
  if (sameArrangement(arrangement, inForce))
    throw new RuleViolation(
      'CALENDAR.NOTHING_TO_AMEND',
      `The arrangement for ${year} is already exactly this`,
      { year },
    );
  const amends: AmendedArrangement =
    recorded === undefined
      ? { source: 'package', package: shipped.package, version: shipped.version }
      : { source: 'notice', documentNumber: recorded.notice.documentNumber };
  return [{ type: 'CalendarYearAmended', data: { ...arrangement, notice, amends } }];
};

export const decideCalendar = (command: CalendarCommand, state: CalendarState): readonly CalendarEvent[] => {
  switch (command.type) {
    case 'PublishCalendarYear':
      return publishYear(command, state);
    case 'AmendCalendarYear':
      return amendYear(command, state);
    default:
      return assertNever(command);
  }
};

export const calendarDecider: Decider<CalendarCommand, CalendarEvent, CalendarState> = {
  decide: decideCalendar,
  evolve: evolveCalendar,
  initialState: initialCalendarState,
};
