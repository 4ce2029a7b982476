import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isValidUscc } from '@ledger/domain';
import { subjectIdFor } from '@ledger/application';
import type { LedgerConfig } from '@ledger/runtime';
import {
  ACCESS_PURPOSE_DOC,
  ACCESS_REASON_DOC,
  PersonalRecordAccess,
  type SubjectFacts,
} from '../../audit/access/personal-record-access';
import type { PermittedRequest } from '../../access/permission.guard';
import { Requires } from '../../access/requires';
import { RateLimited } from '../../common/rate-limits';
import { LEDGER_CONFIG } from '../../ledger/ledger.module';
import { ErrorResponse } from '../../errors/error-response';
import { ReadModelFreshness } from '../../read-models/min-position';
import { GetSubjectStatus, type SubjectStatusRead, type SubjectStatusView } from './get-subject-status.query';
import { LookupSubjectRequest } from './lookup-subject.request.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The one answer to a lookup that finds nothing the caller may read: unknown and refused look the same. */
const NOT_FOUND = {
  code: 'SUBJECT.NOT_FOUND',
  message: 'No subject with this identifier that you may read',
} as const;

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
  @Requires('subjects.read')
  @ApiOperation({
    summary: "A subject's current credit status: grade, supervision, lists, active and disputed records",
    description:
      'Within the caller’s divisions only. Natural persons need subjects.read.natural (minors subjects.read.minor), ' +
      'a purpose and a reason; the read is logged.',
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until read models reached this global position',
  })
  @ApiOkResponse({ description: 'The credit status; ETag carries the stream revision for If-Match' })
  @ApiResponse({ status: 404, type: ErrorResponse })
  @ApiHeader({ name: 'X-Access-Purpose', required: false, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  async status(
    @Param('subjectId') subjectId: string,
    @Query('minPosition') minPosition: string | undefined,
    @Req() request: PermittedRequest,
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
    const { view, facts }: SubjectStatusRead = await this.queries.execute(new GetSubjectStatus(subjectId));
    // Authorized from the document read (one round trip); nothing of it leaves on a refusal.
    const grant = facts
      ? this.access.authorizeReadOf(request, facts, 'credit-status')
      : await this.access.authorizeRead(request, subjectId, 'credit-status');
    await grant.log();
    void reply.header('ETag', `"${view.revision}"`);
    return view;
  }

  @Get()
  @Requires('subjects.lookup')
  @RateLimited('lookup')
  @ApiOperation({
    summary: 'Look a legal person up by its Unified Social Credit Code',
    description:
      'Legal persons only: a resident ID number never goes in a URL; look natural persons up with POST /api/v1/subjects/lookup. ' +
      'Unknown codes and subjects outside the caller’s divisions get the same 404.',
  })
  @ApiQuery({ name: 'code', required: true, description: 'USCC' })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiResponse({
    status: 400,
    type: ErrorResponse,
    description: 'SUBJECT.LOOKUP_BY_POST for anything but a valid USCC',
  })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'SUBJECT.NOT_FOUND' })
  async byCode(
    @Query('code') code: unknown,
    @Query('minPosition') minPosition: string | undefined,
    @Req() request: PermittedRequest,
  ): Promise<SubjectStatusView> {
    if (typeof code !== 'string' || !isValidUscc(code.trim().toUpperCase())) {
      throw new BadRequestException({
        code: 'SUBJECT.LOOKUP_BY_POST',
        message:
          'GET /subjects?code= takes a Unified Social Credit Code; look anyone else up with POST /api/v1/subjects/lookup',
      });
    }
    await this.freshness.waitFor(minPosition);
    return this.find(request, subjectIdFor(code, this.config.idSecret));
  }

  @Post('lookup')
  @HttpCode(200)
  @Requires('subjects.lookup')
  @RateLimited('lookup') // stricter per principal: lookups by identifier must not become an oracle
  @ApiOperation({
    summary: 'Look a subject up by its resident ID number or USCC (in the body, never in the URL)',
    description:
      'Answers the same 404 SUBJECT.NOT_FOUND for an unknown identifier and for a subject the caller may not read ' +
      '(outside its divisions, or a natural person or minor without the permission). A resident ID number needs ' +
      'X-Access-Purpose and X-Access-Reason whether or not it is known, and every such lookup is logged, found or not.',
  })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiHeader({ name: 'X-Access-Purpose', required: false, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  @ApiOkResponse({ description: 'The credit status' })
  @ApiResponse({
    status: 400,
    type: ErrorResponse,
    description: 'Malformed identifier, or no purpose or reason',
  })
  @ApiNotFoundResponse({
    type: ErrorResponse,
    description: 'SUBJECT.NOT_FOUND: unknown, or not yours to read',
  })
  async lookup(
    @Body() body: LookupSubjectRequest,
    @Query('minPosition') minPosition: string | undefined,
    @Req() request: PermittedRequest,
  ): Promise<SubjectStatusView> {
    const identifier = body.identifier.trim().toUpperCase();
    const subjectId = subjectIdFor(identifier, this.config.idSecret);
    if (isValidUscc(identifier)) {
      await this.freshness.waitFor(minPosition);
      return this.find(request, subjectId);
    }
    // Anything else may be a natural person: the purpose is asked before anything is looked up, so its
    // absence cannot tell a registered number from an unknown one, and every lookup is logged.
    const { purpose, reason } = this.access.purposeOf(request);
    await this.freshness.waitFor(minPosition);
    let view: SubjectStatusView;
    try {
      view = await this.find(request, subjectId);
    } catch (error) {
      if (error instanceof NotFoundException)
        await this.access.log(request, subjectId, 'lookup', purpose, reason, 'unknown-or-refused');
      throw error;
    }
    await this.access.log(request, subjectId, 'lookup', purpose, reason, 'answered');
    return view;
  }

  /** The status if the subject exists and the caller may read it; one 404 otherwise. */
  private async find(request: PermittedRequest, subjectId: string): Promise<SubjectStatusView> {
    let read: SubjectStatusRead;
    try {
      read = await this.queries.execute(new GetSubjectStatus(subjectId));
    } catch (error) {
      if (error instanceof NotFoundException) throw new NotFoundException(NOT_FOUND);
      throw error;
    }
    const facts: SubjectFacts | undefined = read.facts ?? (await this.access.factsOf(subjectId));
    if (!facts || !this.access.decide(request, facts).allowed) throw new NotFoundException(NOT_FOUND);
    return read.view;
  }
}
