import { Body, Controller, Param, Post, type PipeTransform } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { WorkingCalendars } from '@ledger/application';
import type { RequestContext } from '@ledger/application';
import { CommandRequest } from '../../commands/command-request';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { RequestValidationFailed } from '../../errors/error.filter';
import { CalendarArrangementRequest } from '../calendar-arrangement.request.dto';
import { CalendarEventRecorded } from '../calendar-event.response.dto';
import { Requires } from '../../access/requires';

/** A year in the path: four digits, or a 400 naming it. */
export class YearParam implements PipeTransform<string, number> {
  transform(value: string): number {
    if (/^\d{4}$/.test(value)) return Number(value);
    throw new RequestValidationFailed([{ field: 'year', reasons: ['year must be a four-digit year'] }]);
  }
}

@ApiTags('calendar')
@ApiSecurity('api-key')
@Controller('calendar/years')
export class AmendCalendarYearController {
  constructor(private readonly calendars: WorkingCalendars) {}

  @Post(':year/amendments')
  @Requires('calendar.manage', { national: true })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiOperation({
    summary: "Record a later notice that changes a known year's arrangement",
    description:
      "The year's whole arrangement as amended, with the amending notice; it replaces the package's or the earlier " +
      "notice's arrangement for decisions from now on. Deadlines already decided keep their dates (they are stored " +
      'in the events that decided them). Other processes take it up within LEDGER_CALENDAR_REFRESH_MS.',
  })
  @ApiCreatedResponse({ type: CalendarEventRecorded })
  @CommandErrors()
  async amend(
    @Param('year', YearParam) year: number,
    @Body() body: CalendarArrangementRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CalendarEventRecorded> {
    const { holidays, makeUpWorkingDays, notice } = body;
    const result = await this.calendars.execute(
      { type: 'AmendCalendarYear', data: { year, holidays, makeUpWorkingDays, notice } },
      context,
    );
    return CalendarEventRecorded.of(result);
  }
}
