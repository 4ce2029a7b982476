import { Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { Requires } from '../../access/requires';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';

@ApiTags('credit-reports')
@ApiSecurity('api-key')
@Controller('subjects')
export class RequestReportConfirmationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/report-confirmations')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Ask a teacher to confirm their credit file (教师个人职业信用报告, 002 §6)',
    description:
      'Teachers only (422 REPORT.CONFIRMATION_NOT_FOR_KIND otherwise); one open request at a time (409 ' +
      'REPORT.CONFIRMATION_PENDING). Until confirmed, the teacher’s report says so, and hiring, promotion and ' +
      'award reports are refused. `recordId` in the answer is the confirmation id.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  request(
    @Param('subjectId', UuidParam) subjectId: string,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const confirmationId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'RequestReportConfirmation', data: { subjectId, confirmationId } },
      context,
      confirmationId,
    );
  }
}
