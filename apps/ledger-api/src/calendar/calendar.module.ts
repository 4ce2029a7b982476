// The working calendar at the edge: the one WorkingCalendars of this process (loaded, LEDGER_CALENDAR_FILE
// imported, re-read on a timer), and the admin endpoints that record a year from its notice.
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { WorkingCalendars } from '@ledger/application';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { AdminGuard } from '../auth/admins-only';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config';
import { AmendCalendarYearController } from './amend-calendar-year/amend-calendar-year.controller';
import { ListCalendarYearsController } from './list-calendar-years/list-calendar-years.controller';
import { PublishCalendarYearController } from './publish-calendar-year/publish-calendar-year.controller';

/** Re-reads the calendar stream while the app runs; stops before the stores close. */
@Injectable()
class CalendarRefresh implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly calendars: WorkingCalendars,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.calendars.start(this.config.calendarRefreshMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.calendars.stop();
  }
}

@Module({
  controllers: [PublishCalendarYearController, AmendCalendarYearController, ListCalendarYearsController],
  providers: [
    {
      provide: WorkingCalendars,
      inject: [EVENT_STORE, LEDGER_CONFIG],
      useFactory: async (store: EventStore, config: LedgerConfig): Promise<WorkingCalendars> => {
        const calendars = await WorkingCalendars.open(store, { log: new Logger('Calendar') });
        const file = config.calendarFile;
        if (file) await calendars.importYears(file.years, file.path, new Date().toISOString());
        return calendars;
      },
    },
    CalendarRefresh,
    AdminGuard,
  ],
  exports: [WorkingCalendars],
})
export class CalendarModule {}
