// The national working calendar as the ledger holds it: the State Council's notice for a year
// (国务院办公厅关于XXXX年部分节假日安排的通知) recorded by an admin, beside the years the package ships.
import type { Actor } from '../command-metadata';
import type { Command } from '../decider';
import type { IsoDate } from './iso-date';

/** A year's days off beyond ordinary weekends, and the weekend days worked instead (调休). */
export interface YearArrangement {
  readonly year: number;
  /** Every day off of the year's holiday periods, weekend days inside a period included. */
  readonly holidays: readonly IsoDate[];
  /** Saturdays and Sundays worked instead (调休). */
  readonly makeUpWorkingDays: readonly IsoDate[];
}

/** The notice that published (or amended) an arrangement. */
export interface CalendarNotice {
  /** e.g. 国办发明电〔2026〕7号 */
  readonly documentNumber: string;
  /** e.g. 国务院办公厅关于2027年部分节假日安排的通知 */
  readonly title: string;
  readonly publishedOn: IsoDate;
}

/** The arrangements bundled with the code (the `chinese-days` package): a looked-up fact, passed in. */
export interface ShippedCalendar {
  readonly package: string;
  readonly version: string;
  readonly years: readonly number[];
  arrangementOf(year: number): YearArrangement | undefined;
}

export interface CalendarCommandMetadata {
  /** ISO 8601 instant with a zone; its Beijing date is today. */
  readonly now: string;
  readonly actor: Actor;
  readonly shipped: ShippedCalendar;
}

type CalendarCommandOf<Type extends string, Data> = Command<Type, Data, CalendarCommandMetadata>;

/** Records a year the package does not ship, from its notice. */
export type PublishCalendarYear = CalendarCommandOf<
  'PublishCalendarYear',
  YearArrangement & { readonly notice: CalendarNotice }
>;

/**
 * Records a later notice that changes a known year (as in 2020, when the Spring Festival holiday was
 * extended days before it ended): the year's whole arrangement as amended, not a difference.
 */
export type AmendCalendarYear = CalendarCommandOf<
  'AmendCalendarYear',
  YearArrangement & { readonly notice: CalendarNotice }
>;

export type CalendarCommand = PublishCalendarYear | AmendCalendarYear;
