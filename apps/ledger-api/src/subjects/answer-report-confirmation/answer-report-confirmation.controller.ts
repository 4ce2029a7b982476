import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { Requires } from '../../access/requires';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { AnswerReportConfirmationRequest } from './answer-report-confirmation.request.dto';

@ApiTags('credit-reports')
@ApiSecurity('api-key')
@Controller('subjects')
export class AnswerReportConfirmationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/report-confirmations/:confirmationId/answer')
  @Requires('records.write')
  @ApiOperation({
    summary: "Record the teacher's answer: the file confirmed, or one record contested",
    description:
      'Recorded by the official from the teacher’s signed answer. A contest files an objection against the record ' +
      '(its id is `recordId` in the answer) and the file stays unconfirmed. 404 REPORT.CONFIRMATION_NOT_FOUND, ' +
      '409 REPORT.CONFIRMATION_ALREADY_ANSWERED.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  answer(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('confirmationId', UuidParam) confirmationId: string,
    @Body() body: AnswerReportConfirmationRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const objectionId = newRecordId(subjectId, context);
    const data =
      body.answer === 'confirmed'
        ? { subjectId, confirmationId, answer: body.answer }
        : { ...body, subjectId, confirmationId, objectionId };
    return executeSubjectCommand(
      this.commands,
      { type: 'AnswerReportConfirmation', data },
      context,
      body.answer === 'confirmed' ? confirmationId : objectionId,
    );
  }
}
