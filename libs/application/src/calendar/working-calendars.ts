// The working calendar every decision in this process uses: the package's years and the years recorded
// in the `calendar-china` stream, loaded at start. A publication made here is in use when its command
// returns. One made by another process (API and worker processes on one database) is noticed when a
// decision here meets a year this process does not know: the stream is read again and the command
// decided once more. Amendments of a known year raise no such error, so the stream is also read again
// on a timer; until then this process decides with the arrangement it holds.
import {
  CALENDAR_STREAM_ID,
  calendarDecider,
  CalendarYearUnknown,
  chinaWorkingCalendarFrom,
  DomainError,
  shippedChinaCalendar,
  type CalendarCommand,
  type CalendarEvent,
  type CalendarNotice,
  type CalendarState,
  type IsoDate,
  type ShippedCalendar,
  type WorkingCalendar,
  type YearArrangement,
} from '@ledger/domain';
import type { Actor, EventStore, StoredEvent } from '@ledger/event-store';
import { handleCommand, type CommandResult, type RequestContext } from '../command-handler';
import type { WithoutMetadata } from '../command-runner';
import { uuidV7 } from '../uuid-v7';
import type { CalendarYearData } from './calendar-file';

/** A calendar command as a caller states it; the metadata is added here. */
export type CalendarCommandRequest = WithoutMetadata<CalendarCommand>;

/** A calendar event with its envelope; `type` still tells `data`'s shape. */
export type StoredCalendarEvent = CalendarEvent & Omit<StoredEvent, 'type' | 'data'>;

/** Where a year's arrangement comes from: the package, or a notice recorded in the ledger. */
export type CalendarYearSource =
  | { readonly kind: 'package'; readonly package: string; readonly version: string }
  | {
      readonly kind: 'notice';
      readonly notice: CalendarNotice;
      readonly eventId: string;
      readonly eventType: CalendarEvent['type'];
      readonly position: number;
      readonly recordedAt: string;
      readonly recordedBy?: Actor;
    };

export interface KnownCalendarYear extends YearArrangement {
  /** The arrangement in force. */
  readonly source: CalendarYearSource;
  /** What it replaced, oldest first: the package's arrangement and notices amended since. */
  readonly replaced: readonly CalendarYearSource[];
}

export interface CalendarCommandResult extends CommandResult {
  /** The events the command wrote (or, replayed, the ones its first answer wrote). */
  readonly events: readonly StoredCalendarEvent[];
}

export interface CalendarLog {
  log(entry: Record<string, unknown>): void;
  warn(entry: Record<string, unknown>): void;
}

export interface WorkingCalendarsOptions {
  readonly shipped?: ShippedCalendar;
  readonly log?: CalendarLog;
}

/** Who records the years of LEDGER_CALENDAR_FILE. */
export const CALENDAR_FILE_ACTOR: Actor = {
  userId: 'calendar-file',
  role: 'system',
  department: 'credit-ledger',
  jurisdiction: '000000',
};

const silent: CalendarLog = { log: () => undefined, warn: () => undefined };

export class WorkingCalendars {
  private readonly shipped: ShippedCalendar;
  private readonly logger: CalendarLog;
  private events: StoredCalendarEvent[] = [];
  private state: CalendarState = calendarDecider.initialState();
  private calendar: WorkingCalendar;
  /** Bumped whenever new events are folded in: a decision taken before may have lacked them. */
  private version = 0;
  private reading: Promise<boolean> | undefined;
  private nextRead: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: EventStore,
    options: WorkingCalendarsOptions,
  ) {
    this.shipped = options.shipped ?? shippedChinaCalendar;
    this.logger = options.log ?? silent;
    this.calendar = this.calendarOf(this.state);
  }

  /** Loads the calendar stream. */
  static async open(store: EventStore, options: WorkingCalendarsOptions = {}): Promise<WorkingCalendars> {
    const calendars = new WorkingCalendars(store, options);
    await calendars.refresh();
    calendars.warnWherePackageDiffers();
    return calendars;
  }

  /** The calendar as this process knows it now; pass the function itself to command runners. */
  readonly current = (): WorkingCalendar => this.calendar;

  /** Publishes or amends a year; the new arrangement is in use here when this resolves. */
  async execute(request: CalendarCommandRequest, context: RequestContext): Promise<CalendarCommandResult> {
    const command = {
      ...request,
      metadata: { now: context.now, actor: context.actor, shipped: this.shipped },
    } as CalendarCommand;
    const result = await handleCommand({
      store: this.store,
      decider: calendarDecider,
      streamId: CALENDAR_STREAM_ID,
      command,
      // The calendar is no credit policy's decision: its events carry no policy version.
      request: { ...context, policyVersion: undefined },
      // Business time: the day the notice was published (a Beijing date).
      occurredAt: (event) => `${event.data.notice.publishedOn}T00:00:00+08:00`,
    });
    await this.refresh();
    const written = new Set(result.eventIds);
    return { ...result, events: this.events.filter((event) => written.has(event.id)) };
  }

  /**
   * Wraps a command runner: a decision refused with CALENDAR.YEAR_UNKNOWN is decided once more after the
   * stream is read again, if that read brought anything new. Safe to repeat: a refused decision wrote nothing.
   */
  retryOnUnknownYear<Args extends unknown[], Result>(
    execute: (...args: Args) => Promise<Result>,
  ): (...args: Args) => Promise<Result> {
    return async (...args) => {
      const decidedWith = this.version;
      try {
        return await execute(...args);
      } catch (error) {
        if (!(error instanceof CalendarYearUnknown)) throw error;
        await this.refresh();
        if (this.version === decidedWith) throw error;
        return execute(...args);
      }
    };
  }

  /**
   * Reads what the stream gained since the last read; true when it gained anything. Concurrent callers
   * share reads, and a read asked for while one runs starts after it, so it sees every append before the call.
   */
  refresh(): Promise<boolean> {
    if (this.nextRead) return this.nextRead;
    if (!this.reading) return this.startRead();
    const next = this.reading
      .catch(() => false)
      .then(() => {
        this.nextRead = undefined;
        return this.startRead();
      });
    this.nextRead = next;
    return next;
  }

  /** Reads the stream again every `intervalMs`, so amendments made elsewhere reach this process. */
  start(intervalMs: number): void {
    if (this.timer || !(intervalMs > 0)) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((error: unknown) =>
            this.logger.warn({ msg: 'calendar stream not read; tried again later', error: String(error) }),
          )
          .finally(() => {
            if (this.timer) tick();
          });
      }, intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.reading?.catch(() => undefined);
  }

  /** Every year known, oldest first, with where its arrangement comes from. */
  years(): KnownCalendarYear[] {
    const packageSource: CalendarYearSource = {
      kind: 'package',
      package: this.shipped.package,
      version: this.shipped.version,
    };
    const byYear = new Map<number, KnownCalendarYear>();
    for (const year of this.shipped.years) {
      byYear.set(year, { ...this.shipped.arrangementOf(year)!, source: packageSource, replaced: [] });
    }
    for (const event of this.events) {
      const { year, holidays, makeUpWorkingDays, notice } = event.data;
      const before = byYear.get(year);
      byYear.set(year, {
        year,
        holidays,
        makeUpWorkingDays,
        source: {
          kind: 'notice',
          notice,
          eventId: event.id,
          eventType: event.type,
          position: event.position,
          recordedAt: event.recordedAt,
          recordedBy: event.metadata.actor,
        },
        replaced: before ? [...before.replaced, before.source] : [],
      });
    }
    return [...byYear.values()].sort((a, b) => a.year - b.year);
  }

  /**
   * LEDGER_CALENDAR_FILE, imported once: each year the ledger does not know yet is published from the
   * file's notice, as the system actor. A year known already is left as the ledger holds it (said in a
   * warning when the file differs). An arrangement the decider refuses stops the start, naming the fault.
   */
  async importYears(years: readonly CalendarYearData[], file: string, now: string): Promise<void> {
    for (const [i, data] of years.entries()) {
      if (this.inForce(data.year) === undefined) {
        try {
          await this.execute(
            { type: 'PublishCalendarYear', data },
            { now, actor: CALENDAR_FILE_ACTOR, correlationId: uuidV7() },
          );
          this.logger.log({ msg: `calendar year ${data.year} recorded from ${file}`, year: data.year });
          continue;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          // Another process starting on the same file recorded it first.
          if (error.code !== 'CALENDAR.YEAR_ALREADY_KNOWN')
            throw new Error(`LEDGER_CALENDAR_FILE ${file}: years[${i}]: ${error.code}: ${error.message}`);
          await this.refresh();
        }
      }
      const held = this.inForce(data.year)!;
      if (!sameDates(held, data)) {
        this.logger.warn({
          msg: `LEDGER_CALENDAR_FILE ${file} gives ${data.year} otherwise than the ledger holds it; the ledger's arrangement stands (amend it with POST /api/v1/calendar/years/${data.year}/amendments if the file is right)`,
          year: data.year,
        });
      }
    }
  }

  private inForce(year: number): YearArrangement | undefined {
    return this.state.years.get(year) ?? this.shipped.arrangementOf(year);
  }

  private startRead(): Promise<boolean> {
    const read = this.readNewEvents().finally(() => {
      if (this.reading === read) this.reading = undefined;
    });
    this.reading = read;
    return read;
  }

  private async readNewEvents(): Promise<boolean> {
    const newer = (await this.store.readStream(CALENDAR_STREAM_ID, {
      fromRevision: this.events.length,
    })) as StoredCalendarEvent[];
    if (newer.length === 0) return false;
    this.events = [...this.events, ...newer];
    this.state = newer.reduce<CalendarState>(calendarDecider.evolve, this.state);
    this.calendar = this.calendarOf(this.state);
    this.version += 1;
    return true;
  }

  private calendarOf(state: CalendarState): WorkingCalendar {
    return chinaWorkingCalendarFrom([...state.years.values()]);
  }

  /** A package upgrade may ship a year the ledger recorded before: the ledger's record stands. */
  private warnWherePackageDiffers(): void {
    for (const [year, recorded] of this.state.years) {
      const shipped = this.shipped.arrangementOf(year);
      const last = this.events.filter((event) => event.data.year === year).at(-1)!;
      const overridesPackage = last.type === 'CalendarYearAmended' && last.data.amends.source === 'package';
      if (shipped && !overridesPackage && !sameDates(shipped, recorded)) {
        this.logger.warn({
          msg: `${this.shipped.package} ${this.shipped.version} gives ${year} otherwise than notice ${recorded.notice.documentNumber} recorded in the ledger; the recorded arrangement stands`,
          year,
        });
      }
    }
  }
}

const sorted = (dates: readonly IsoDate[]): string => [...dates].sort().join();

const sameDates = (a: YearArrangement, b: YearArrangement): boolean =>
  sorted(a.holidays) === sorted(b.holidays) && sorted(a.makeUpWorkingDays) === sorted(b.makeUpWorkingDays);
