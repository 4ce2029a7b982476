import { assertNever } from '../decider';
import type { CalendarNotice, YearArrangement } from './calendar.commands';
import type { CalendarEvent } from './calendar.events';

export type RecordedYear = YearArrangement & { readonly notice: CalendarNotice };

/** The years recorded from notices (the arrangement in force for each), and every notice seen. */
export interface CalendarState {
  readonly years: ReadonlyMap<number, RecordedYear>;
  readonly documentNumbers: ReadonlySet<string>;
}

export const initialCalendarState = (): CalendarState => ({ years: new Map(), documentNumbers: new Set() });

export const evolveCalendar = (state: CalendarState, event: CalendarEvent): CalendarState => {
  switch (event.type) {
    case 'CalendarYearPublished':
    case 'CalendarYearAmended': {
      const { year, holidays, makeUpWorkingDays, notice } = event.data;
      return {
        years: new Map(state.years).set(year, { year, holidays, makeUpWorkingDays, notice }),
        documentNumbers: new Set(state.documentNumbers).add(notice.documentNumber),
      };
    }
    default:
      return assertNever(event);
  }
};
