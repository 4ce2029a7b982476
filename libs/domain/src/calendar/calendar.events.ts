import type { Event } from '../decider';
import type { CalendarNotice, YearArrangement } from './calendar.commands';

type CalendarYearData = YearArrangement & { readonly notice: CalendarNotice };

/** A year's arrangement, dates sorted, as its notice published it. */
export type CalendarYearPublished = Event<'CalendarYearPublished', CalendarYearData>;

/** What an amendment replaced: the package's arrangement, or the notice recorded before. */
export type AmendedArrangement =
  | { readonly source: 'package'; readonly package: string; readonly version: string }
  | { readonly source: 'notice'; readonly documentNumber: string };

/** A year's whole arrangement from an amending notice; deadlines decided before keep their dates. */
export type CalendarYearAmended = Event<
  'CalendarYearAmended',
  CalendarYearData & { readonly amends: AmendedArrangement }
>;

export type CalendarEvent = CalendarYearPublished | CalendarYearAmended;
