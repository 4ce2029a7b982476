// What a publication or an amendment answers: the event as stored, so the caller holds what was recorded.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CalendarCommandResult, StoredCalendarEvent } from '@ledger/application';
import { CalendarNoticeRequest } from './calendar-arrangement.request.dto';

export class ActorResponse {
  @ApiProperty() userId: string;
  @ApiProperty() role: string;
  @ApiProperty() department: string;
  @ApiProperty() jurisdiction: string;
}

export class AmendedArrangementResponse {
  @ApiProperty({ enum: ['package', 'notice'] }) source: 'package' | 'notice';
  @ApiPropertyOptional({ example: 'chinese-days' }) package?: string;
  @ApiPropertyOptional({ example: '1.5.7' }) version?: string;
  @ApiPropertyOptional() documentNumber?: string;
}

export class CalendarYearData {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ type: [String], format: 'date' }) holidays: string[];
  @ApiProperty({ type: [String], format: 'date' }) makeUpWorkingDays: string[];
  @ApiProperty({ type: CalendarNoticeRequest }) notice: CalendarNoticeRequest;
  @ApiPropertyOptional({ type: AmendedArrangementResponse, description: 'On an amendment: what it replaced' })
  amends?: AmendedArrangementResponse;
}

export class CalendarEventRecorded {
  @ApiProperty({ description: 'Event id (the CloudEvent id on Kafka)' }) id: string;
  @ApiProperty({ enum: ['CalendarYearPublished', 'CalendarYearAmended'] }) type: string;
  @ApiProperty({ example: 'calendar-china' }) streamId: string;
  @ApiProperty({ description: 'Revision of the calendar stream; send it as If-Match to amend on it' })
  revision: number;
  @ApiProperty() position: number;
  @ApiProperty({ description: 'Record time' }) recordedAt: string;
  @ApiProperty({ description: "Business time: the notice's publication day" }) occurredAt: string;
  @ApiPropertyOptional({ type: ActorResponse }) recordedBy?: ActorResponse;
  @ApiProperty({ type: CalendarYearData }) data: CalendarYearData;
  @ApiProperty({
    description: 'True when this is the stored answer to an earlier request with the same Idempotency-Key',
  })
  replayed: boolean;

  static of(result: CalendarCommandResult): CalendarEventRecorded {
    const event: StoredCalendarEvent = result.events[result.events.length - 1]!;
    return {
      id: event.id,
      type: event.type,
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
      recordedAt: event.recordedAt,
      occurredAt: event.metadata.occurredAt,
      recordedBy: event.metadata.actor,
      data: event.data as CalendarYearData,
      replayed: result.replayed,
    };
  }
}
