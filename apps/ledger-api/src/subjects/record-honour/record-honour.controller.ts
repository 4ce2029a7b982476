import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { RecordHonourRequest } from './record-honour.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class RecordHonourController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/honours')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Record an honour or commendation (守信信息, 表彰奖励)',
    description:
      'An active honour puts a subject without dishonest records on the red list. A subject under joint discipline cannot receive one (422).',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  record(
    @Param('subjectId', UuidParam) subjectId: string,
    @Body() body: RecordHonourRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const recordId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'RecordHonour', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
