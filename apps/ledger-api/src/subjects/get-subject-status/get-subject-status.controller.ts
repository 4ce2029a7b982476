import { BadRequestException, Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { subjectIdFor } from '@ledger/application';
import { ACCESS_REASON_DOC, PersonalRecordAccess } from '../../audit/access/personal-record-access';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import type { LedgerConfig } from '@ledger/runtime';
import { LEDGER_CONFIG } from '../../ledger/ledger.module';
import { ErrorResponse } from '../../errors/error-response';
import { ReadModelFreshness } from '../../read-models/min-position';
import { GetSubjectStatus, type SubjectStatusView } from './get-subject-status.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class GetSubjectStatusController {
  constructor(
    private readonly queries: QueryBus,
    private readonly freshness: ReadModelFreshness,
    private readonly access: PersonalRecordAccess,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get(':subjectId')
  @ApiOperation({
    summary: "A subject's current credit status: grade, supervision, lists, active and disputed records",
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until read models reached this global position',
  })
  @ApiOkResponse({ description: 'The credit status; ETag carries the stream revision for If-Match' })
  @ApiResponse({ status: 404, type: ErrorResponse })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  async status(
    @Param('subjectId') subjectId: string,
    @Query('minPosition') minPosition: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubjectStatusView> {
    if (!UUID.test(subjectId)) {
      throw new BadRequestException({
        code: 'INPUT.VALIDATION_FAILED',
        message: 'subjectId must be a UUID',
        fields: [{ field: 'subjectId', reasons: ['subjectId must be a UUID'] }],
      });
    }
    await this.freshness.waitFor(minPosition);
    const view: SubjectStatusView = await this.queries.execute(new GetSubjectStatus(subjectId));
    await this.access.recordRead(request, { subjectId, kind: view.status?.subject.kind }, 'credit-status');
    void reply.header('ETag', `"${view.revision}"`);
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Look a subject up by its USCC or resident ID number' })
  @ApiQuery({ name: 'code', required: true, description: 'USCC or resident ID number' })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  async byCode(
    @Query('code') code: string | undefined,
    @Query('minPosition') minPosition: string | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<SubjectStatusView> {
    if (!code || code.length > 64) {
      throw new BadRequestException({
        code: 'INPUT.VALIDATION_FAILED',
        message: 'code is required',
        fields: [{ field: 'code', reasons: ['code must be a USCC or resident ID number'] }],
      });
    }
    await this.freshness.waitFor(minPosition);
    const view: SubjectStatusView = await this.queries.execute(
      new GetSubjectStatus(subjectIdFor(code, this.config.idSecret)),
    );
    await this.access.recordRead(
      request,
      { subjectId: view.subjectId, kind: view.status?.subject.kind },
      'credit-status',
    );
    return view;
  }
}
