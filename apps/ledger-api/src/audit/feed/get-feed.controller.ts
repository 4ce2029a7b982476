import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { logAuditFeedRead } from '@ledger/audit';
import { authorize } from '@ledger/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@ledger/event-store';
import type { PermittedRequest } from '../../access/permission.guard';
import { AccessForbidden } from '../../access/requires';
import {
  ACCESS_PURPOSE_DOC,
  ACCESS_REASON_DOC,
  PersonalRecordAccess,
} from '../access/personal-record-access';
import { Requires } from '../../access/requires';

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
@Controller('audit')
export class GetFeedController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: PersonalRecordAccess,
  ) {}

  @Get('events')
  @Requires('audit.feed.read', { national: true })
  @ApiOperation({
    summary: 'The global feed: every event of every stream in position order',
    description:
      'Positions increase but need not be contiguous. The feed never passes an event that could still commit below a returned position. ' +
      'It spans every province (full ID numbers included): national auditors only, with a purpose and a reason; every page read is logged ' +
      'as an AuditFeedRead event (stream access-audit-feed).',
  })
  @ApiHeader({ name: 'X-Access-Purpose', required: true, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: true, description: ACCESS_REASON_DOC })
  @ApiOkResponse({ type: FeedPage })
  async feed(@Query() query: FeedQuery, @Req() request: PermittedRequest): Promise<FeedPage> {
    // Every stream of every division (national scope, checked by the guard), minors' records included.
    const decision = authorize(this.access.policy, request.actor!, 'audit.feed.read', {
      personalData: 'minor',
    });
    if (!decision.allowed) throw new AccessForbidden(decision);
    const { purpose, reason } = this.access.purposeOf(request);
    const [items, headPosition] = await Promise.all([
      this.store.readAll({ after: query.fromPosition, limit: query.limit }),
      this.store.headPosition(),
    ]);
    // Logged after the page is read and before it leaves, so the page's head is the ledger's before this read.
    await logAuditFeedRead(this.store, {
      viewer: request.actor!,
      purpose,
      reason,
      policyVersion: this.access.policy.version,
      fromPosition: query.fromPosition,
      limit: query.limit,
      correlationId:
        typeof request.headers['x-correlation-id'] === 'string'
          ? request.headers['x-correlation-id']
          : undefined,
    });
    return {
      items,
      nextPosition: items.length > 0 ? items[items.length - 1]!.position : query.fromPosition,
      headPosition,
    };
  }
}
