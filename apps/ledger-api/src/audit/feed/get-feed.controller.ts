import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@ledger/event-store';
import { AuditorsOnly } from '../access/auditors-only';

export class FeedQuery {
  @ApiPropertyOptional({
    description:
      'Exclusive: events with a greater position (0 = from the start). Pass the previous page’s nextPosition.',
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromPosition: number = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}

export class FeedPage {
  @ApiProperty({
    type: [Object],
    description:
      'Events exactly as stored, in position order (record time `recordedAt`, business time `metadata.occurredAt`)',
  })
  items: StoredEvent[];
  @ApiProperty({ description: 'Position of the last event returned: the next page’s fromPosition' })
  nextPosition: number;
  @ApiProperty({ description: 'Position of the last event a reader may see now' })
  headPosition: number;
}

@ApiTags('audit')
@ApiSecurity('api-key')
@AuditorsOnly()
@Controller('audit')
export class GetFeedController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('events')
  @ApiOperation({
    summary: 'The global feed: every event of every stream in position order',
    description:
      'Positions increase but need not be contiguous. The feed never passes an event that could still commit below a returned position.',
  })
  @ApiOkResponse({ type: FeedPage })
  async feed(@Query() query: FeedQuery): Promise<FeedPage> {
    const [items, headPosition] = await Promise.all([
      this.store.readAll({ after: query.fromPosition, limit: query.limit }),
      this.store.headPosition(),
    ]);
    return {
      items,
      nextPosition: items.length > 0 ? items[items.length - 1]!.position : query.fromPosition,
      headPosition,
    };
  }
}
