import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { RecordPenaltyRequest } from './record-penalty.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class RecordPenaltyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/penalties')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Record an administrative penalty (行政处罚, double publicity 双公示)',
    description:
      'Publicity, validity and the reporting deadline follow from the decision date, severity and categories. ' +
      'Recorded more than 7 working days after the decision, the record is flagged late (迟报). ' +
      'The answer names the new record; with an Idempotency-Key a retry names the same one.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  record(
    @Param('subjectId', UuidParam) subjectId: string,
    @Body() body: RecordPenaltyRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const recordId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'RecordPenalty', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
