import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { IssueRectificationNoticeRequest } from './issue-rectification-notice.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class IssueRectificationNoticeController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/rectifications')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Issue a rectification notice with a deadline (限期整改通知)',
    description:
      'A rectification left overdue puts a private school or institution on the key supervision list.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  issue(
    @Param('subjectId', UuidParam) subjectId: string,
    @Body() body: IssueRectificationNoticeRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const recordId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'IssueRectificationNotice', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
