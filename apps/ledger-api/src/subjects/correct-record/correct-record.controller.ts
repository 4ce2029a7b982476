import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { CorrectRecordRequest } from './correct-record.request.dto';
import { RecordingDepartment } from '../../access/recording-department';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class CorrectRecordController {
  constructor(
    private readonly commands: CommandBus,
    private readonly recording: RecordingDepartment,
  ) {}

  @Post(':subjectId/records/:recordId/corrections')
  @Requires('records.correct')
  @ApiOperation({
    summary: 'Correct a record officially, with a reason (信息更正)',
    description: 'Only the fields that change are recorded; the original event stays in the stream.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  async correct(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('recordId', UuidParam) recordId: string,
    @Body() body: CorrectRecordRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    await this.recording.requireRecorderOrSuperior(context.actor, subjectId, recordId);
    return executeSubjectCommand(
      this.commands,
      { type: 'CorrectRecord', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
