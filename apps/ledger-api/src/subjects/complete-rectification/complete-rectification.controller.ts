import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { CompleteRectificationRequest } from './complete-rectification.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class CompleteRectificationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/rectifications/:recordId/completion')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Record that a rectification was completed (整改完成)',
    description:
      'Completion after the deadline still counts: it takes the subject off key supervision, and is flagged late.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  complete(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('recordId', UuidParam) recordId: string,
    @Body() body: CompleteRectificationRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    return executeSubjectCommand(
      this.commands,
      { type: 'CompleteRectification', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
