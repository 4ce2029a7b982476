import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { FileObjectionRequest } from './file-objection.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class FileObjectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/objections')
  @Requires('records.write')
  @ApiOperation({
    summary: 'File an objection to a record (异议申请)',
    description:
      'The record is flagged disputed at once, until the objection is resolved. `recordId` in the answer is the new objection id.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  file(
    @Param('subjectId', UuidParam) subjectId: string,
    @Body() body: FileObjectionRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const objectionId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'FileObjection', data: { ...body, subjectId, objectionId } },
      context,
      objectionId,
    );
  }
}
