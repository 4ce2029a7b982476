import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { WorkingCalendars } from '@ledger/application';
import type { RequestContext } from '@ledger/application';
import { CommandRequest } from '../../commands/command-request';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { PublishCalendarYearRequest } from '../calendar-arrangement.request.dto';
import { CalendarEventRecorded } from '../calendar-event.response.dto';
import { Requires } from '../../access/requires';

@ApiTags('calendar')
@ApiSecurity('api-key')
@Controller('calendar/years')
export class PublishCalendarYearController {
  constructor(private readonly calendars: WorkingCalendars) {}

  @Post()
  @Requires('calendar.manage', { national: true })
  @ApiOperation({
    summary:
      "Record a year's holiday arrangement from the State Council's notice (国务院办公厅关于XXXX年部分节假日安排的通知)",
    description:
      'For a year the bundled calendar package does not ship. Until a year is known, commands whose working-day ' +
      'deadline runs into it are refused with CALENDAR.YEAR_UNKNOWN; from this answer on they are decided with ' +
      'these days, in every process of the ledger. Deadlines are stored with the events that decided them, so a ' +
      'later amendment never moves them. A year known already is a 409 (CALENDAR.YEAR_ALREADY_KNOWN): amend it.',
  })
  @ApiCreatedResponse({ type: CalendarEventRecorded })
  @CommandErrors()
  async publish(
    @Body() body: PublishCalendarYearRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CalendarEventRecorded> {
    const { year, holidays, makeUpWorkingDays, notice } = body;
    const result = await this.calendars.execute(
      { type: 'PublishCalendarYear', data: { year, holidays, makeUpWorkingDays, notice } },
      context,
    );
    return CalendarEventRecorded.of(result);
  }
}
