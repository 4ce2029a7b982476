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
import type { SubjectStatusAsOf } from '@ledger/audit';
import type { PermittedRequest as AuthenticatedRequest } from '../../access/permission.guard';
import { UuidParam } from '../../common/subject-command';
import { ErrorResponse } from '../../errors/error-response';
import {
  ACCESS_PURPOSE_DOC,
  ACCESS_REASON_DOC,
  PersonalRecordAccess,
} from '../access/personal-record-access';
import { AsOfQuery, TIME_AXES_DOC } from '../common/time-query';
import { GetStatusAsOf } from './get-status-as-of.query';
import { Requires } from '../../access/requires';

export class StatusAsOfDto {
  @ApiProperty() subjectId: string;
  @ApiProperty({ description: 'The instant asked about' }) asOf: string;
  @ApiProperty({ enum: ['record', 'business'], description: TIME_AXES_DOC }) by: string;
  @ApiPropertyOptional({
    description: 'Business time only: the record-time instant whose knowledge was used',
  })
  knownAt?: string;
  @ApiProperty() kind: string;
  @ApiProperty({ description: 'Public identifier: a resident ID number is masked' }) identifier: string;
  @ApiProperty({
    type: Object,
    description:
      'Credit status (grade, supervision, lists, records) derived for the Beijing date of asOf with the policy of the last event folded',
  })
  status: unknown;
  @ApiProperty({ description: 'Stream revision of the last event folded' }) revision: number;
  @ApiProperty({ description: 'Global position of the last event folded' }) position: number;
  @ApiProperty({ description: 'Record time of the last event folded' }) lastRecordedAt: string;
  @ApiProperty({ description: 'Business time of the last event folded' }) lastOccurredAt: string;
  @ApiProperty() eventsApplied: number;
}

@ApiTags('history')
@ApiSecurity('api-key')
@Controller('subjects')
export class GetStatusAsOfController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: PersonalRecordAccess,
  ) {}

  @Get(':subjectId/status-as-of')
  @Requires('history.read')
  @ApiOperation({
    summary: "A subject's credit status as it was at an instant",
    description:
      'Folds the subject’s events up to `asOf` on the chosen clock and derives the status as the live read model does. ' +
      TIME_AXES_DOC +
      ' The live status is GET /api/v1/subjects/{subjectId}.',
  })
  @ApiHeader({ name: 'X-Access-Purpose', required: false, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  @ApiOkResponse({ type: StatusAsOfDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponse,
    description: 'Bad instant, or ACCESS.REASON_REQUIRED for a natural person',
  })
  @ApiResponse({
    status: 404,
    type: ErrorResponse,
    description: 'SUBJECT.NOT_FOUND_AS_OF: not registered at that instant (on that clock)',
  })
  async statusAsOf(
    @Param('subjectId', UuidParam) subjectId: string,
    @Query() query: AsOfQuery,
    @Req() request: AuthenticatedRequest,
  ): Promise<SubjectStatusAsOf> {
    // Checked (and the read logged) before the answer is computed: a refused read reveals nothing.
    const grant = await this.access.authorizeRead(request, subjectId, 'status-as-of');
    await grant.log();
    return this.queries.execute(new GetStatusAsOf(subjectId, query.asOf, query.by, query.knownAt));
  }
}
