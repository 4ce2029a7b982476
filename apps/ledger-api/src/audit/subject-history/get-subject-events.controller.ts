import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import type { PermittedRequest as AuthenticatedRequest } from '../../access/permission.guard';
import { UuidParam } from '../../common/subject-command';
import { ErrorResponse } from '../../errors/error-response';
import { hasPermission } from '@ledger/domain';
import {
  ACCESS_PURPOSE_DOC,
  ACCESS_REASON_DOC,
  PersonalRecordAccess,
} from '../access/personal-record-access';
import { INSTANT, INSTANT_MESSAGE_TEXT } from '../common/time-query';
import { GetSubjectEvents, type SubjectEventsPage } from './get-subject-events.query';
import { Requires } from '../../access/requires';

export class SubjectEventsQuery {
  @ApiPropertyOptional({
    description: 'Only these event types, comma-separated',
    example: 'PenaltyRecorded,RecordRevoked',
  })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_.]{0,99}(,[A-Za-z][A-Za-z0-9_.]{0,99}){0,19}$/, {
    message: 'type must be event type names separated by commas',
  })
  type?: string;

  @ApiPropertyOptional({
    description: 'Record time (recordedAt, the store’s clock), inclusive lower bound',
    example: '2026-01-01T00:00:00+08:00',
  })
  @IsOptional()
  @Matches(INSTANT, { message: `from ${INSTANT_MESSAGE_TEXT}` })
  @IsISO8601({ strict: true }, { message: 'from is not a real instant' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Record time (recordedAt), inclusive upper bound',
    example: '2026-12-31T23:59:59+08:00',
  })
  @IsOptional()
  @Matches(INSTANT, { message: `to ${INSTANT_MESSAGE_TEXT}` })
  @IsISO8601({ strict: true }, { message: 'to is not a real instant' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize: number = 100;
}

export class SubjectEventsPageDto {
  @ApiProperty() subjectId: string;
  @ApiProperty({ nullable: true, description: 'Kind the subject was registered as' }) kind: string | null;
  @ApiProperty({
    description:
      'Stored events (envelope of DESIGN.md), oldest first: revision, position, recordedAt (record time), metadata.occurredAt (business time), prevHash, hash',
    type: [Object],
  })
  items: unknown[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ description: 'Events matching the filters' }) total: number;
  @ApiProperty({
    description:
      'ID numbers masked (callers other than auditors); masked events do not hash to their stored hash',
  })
  masked: boolean;
}

@ApiTags('history')
@ApiSecurity('api-key')
@Controller('subjects')
export class GetSubjectEventsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: PersonalRecordAccess,
  ) {}

  @Get(':subjectId/events')
  @Requires('history.read')
  @ApiOperation({
    summary: "A subject's full history: its events, oldest first",
    description:
      'Filters on record time (`recordedAt`). Callers holding identifiers.read.full (auditors) get events exactly as stored, and their read of a natural person is logged like any other; other callers get resident ID numbers masked.',
  })
  @ApiHeader({ name: 'X-Access-Purpose', required: false, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  @ApiOkResponse({ type: SubjectEventsPageDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponse,
    description: 'Bad filters, or ACCESS.REASON_REQUIRED for a natural person without X-Access-Reason',
  })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'SUBJECT.NOT_FOUND' })
  async events(
    @Param('subjectId', UuidParam) subjectId: string,
    @Query() query: SubjectEventsQuery,
    @Req() request: AuthenticatedRequest,
  ): Promise<SubjectEventsPage> {
    const grant = await this.access.authorizeRead(request, subjectId, 'history');
    const page: SubjectEventsPage = await this.queries.execute(
      new GetSubjectEvents(
        subjectId,
        {
          types: query.type?.split(','),
          from: query.from,
          to: query.to,
          page: query.page,
          pageSize: query.pageSize,
        },
        hasPermission(this.access.policy, request.actor!, 'identifiers.read.full'),
      ),
    );
    await grant.log();
    return page;
  }
}
