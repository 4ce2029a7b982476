// The working calendar at the edge: the admin endpoints that record a year from its notice. The one
// WorkingCalendars of this process comes from the runtime (loaded, LEDGER_CALENDAR_FILE imported, re-read
// on a timer).
import { Module } from '@nestjs/common';
import { AmendCalendarYearController } from './amend-calendar-year/amend-calendar-year.controller';
import { ListCalendarYearsController } from './list-calendar-years/list-calendar-years.controller';
import { PublishCalendarYearController } from './publish-calendar-year/publish-calendar-year.controller';

@Module({
  controllers: [PublishCalendarYearController, AmendCalendarYearController, ListCalendarYearsController],
})
export class CalendarModule {}
