import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { DisciplineCases } from '@ledger/application';
import type { DisciplineCaseStatus } from '@ledger/domain';
import { UuidParam } from '../common/subject-command';
import { ErrorResponse } from '../errors/error-response';
import { DISCIPLINE_CASES } from '../ledger/ledger.module';

@ApiTags('joint discipline')
@ApiSecurity('api-key')
@Controller('cases')
export class GetCaseController {
  constructor(@Inject(DISCIPLINE_CASES) private readonly cases: DisciplineCases) {}

  @Get(':caseId')
  @ApiOperation({
    summary:
      'A joint reward/punishment case (联合奖惩): measures, departments addressed, their responses and feedback',
    description:
      'Opened when a subject enters the black or red list; departments answer over Kafka, each on its own topic (credit.discipline.feedback.v1.<departmentId>).',
  })
  @ApiResponse({ status: 404, type: ErrorResponse })
  async status(@Param('caseId', UuidParam) caseId: string): Promise<DisciplineCaseStatus> {
    const status = await this.cases.status(caseId);
    if (!status) throw new NotFoundException({ code: 'CASE.NOT_FOUND', message: `No case ${caseId}` });
    return status;
  }
}
