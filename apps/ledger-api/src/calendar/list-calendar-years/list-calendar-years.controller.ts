import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { WorkingCalendars, type KnownCalendarYear } from '@ledger/application';
import { ActorResponse } from '../calendar-event.response.dto';
import { CalendarNoticeRequest } from '../calendar-arrangement.request.dto';
import { Requires } from '../../access/requires';

class CalendarYearSourceResponse {
  @ApiProperty({ enum: ['package', 'notice'] }) kind: 'package' | 'notice';
  @ApiPropertyOptional({ example: 'chinese-days' }) package?: string;
  @ApiPropertyOptional({ example: '1.5.7' }) version?: string;
  @ApiPropertyOptional({ type: CalendarNoticeRequest }) notice?: CalendarNoticeRequest;
  @ApiPropertyOptional({ description: 'The event that recorded the notice' }) eventId?: string;
  @ApiPropertyOptional({ enum: ['CalendarYearPublished', 'CalendarYearAmended'] }) eventType?: string;
  @ApiPropertyOptional() position?: number;
  @ApiPropertyOptional() recordedAt?: string;
  @ApiPropertyOptional({ type: ActorResponse }) recordedBy?: ActorResponse;
}

class KnownCalendarYearResponse {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ type: [String], format: 'date' }) holidays: string[];
  @ApiProperty({ type: [String], format: 'date' }) makeUpWorkingDays: string[];
  @ApiProperty({ type: CalendarYearSourceResponse, description: 'Where the arrangement in force comes from' })
  source: CalendarYearSourceResponse;
  @ApiProperty({ type: [CalendarYearSourceResponse], description: 'What it replaced, oldest first' })
  replaced: CalendarYearSourceResponse[];
}

class CalendarYearsResponse {
  @ApiProperty({ type: [KnownCalendarYearResponse] }) years: readonly KnownCalendarYear[];
}

@ApiTags('calendar')
@ApiSecurity('api-key')
@Controller('calendar/years')
export class ListCalendarYearsController {
  constructor(private readonly calendars: WorkingCalendars) {}

  @Get()
  @Requires('calendar.read')
  @ApiOperation({
    summary: 'The years the working calendar knows, with where each arrangement comes from',
    description:
      'The package version for bundled years; the notice, its event and who recorded it for years recorded in the ' +
      'ledger. A year not listed is unknown: deadlines running into it are refused with CALENDAR.YEAR_UNKNOWN.',
  })
  @ApiOkResponse({ type: CalendarYearsResponse })
  async list(): Promise<CalendarYearsResponse> {
    // Read again first: a year recorded by another process is listed at once.
    await this.calendars.refresh();
    return { years: this.calendars.years() };
  }
}
