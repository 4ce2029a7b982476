import { Controller, Get, Inject, NotFoundException, Param, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { DisciplineCases } from '@ledger/application';
import { authorize, type AccessPolicy, type DisciplineCaseStatus } from '@ledger/domain';
import { ACCESS_POLICY } from '../access/access-policy.provider';
import type { PermittedRequest } from '../access/permission.guard';
import { AccessForbidden } from '../access/requires';
import { UuidParam } from '../common/subject-command';
import { ErrorResponse } from '../errors/error-response';
import { DISCIPLINE_CASES } from '../ledger/ledger.module';
import { Requires } from '../access/requires';

@ApiTags('joint discipline')
@ApiSecurity('api-key')
@Controller('cases')
export class GetCaseController {
  constructor(
    @Inject(DISCIPLINE_CASES) private readonly cases: DisciplineCases,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Get(':caseId')
  @Requires('cases.read')
  @ApiOperation({
    summary:
      'A joint reward/punishment case (联合奖惩): measures, departments addressed, their responses and feedback',
    description:
      'Opened when a subject enters the black or red list; departments answer over Kafka, each on its own topic (credit.discipline.feedback.v1.<departmentId>).',
  })
  @ApiResponse({ status: 404, type: ErrorResponse })
  async status(
    @Param('caseId', UuidParam) caseId: string,
    @Req() request: PermittedRequest,
  ): Promise<DisciplineCaseStatus> {
    const status = await this.cases.status(caseId);
    if (!status) throw new NotFoundException({ code: 'CASE.NOT_FOUND', message: `No case ${caseId}` });
    // A case is about one subject: readable within the subject's divisions.
    const decision = authorize(this.policy, request.actor!, 'cases.read', {
      jurisdiction: status.subject.jurisdiction,
    });
    if (!decision.allowed) throw new AccessForbidden(decision);
    return status;
  }
}
