import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { RevokeRecordRequest } from './revoke-record.request.dto';
import { RecordingDepartment } from '../../access/recording-department';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class RevokeRecordController {
  constructor(
    private readonly commands: CommandBus,
    private readonly recording: RecordingDepartment,
  ) {}

  @Post(':subjectId/records/:recordId/revocation')
  @Requires('records.correct')
  @ApiOperation({
    summary: 'Revoke a record that should never have been made (信息撤销)',
    description:
      'The record stops counting and leaves every public output; its original event stays in the stream. An ' +
      'objection still open against it closes with it (ObjectionResolved, outcome `record_revoked`): a revoked ' +
      'record is never disputed.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  async revoke(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('recordId', UuidParam) recordId: string,
    @Body() body: RevokeRecordRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    await this.recording.requireRecorderOrSuperior(context.actor, subjectId, recordId);
    return executeSubjectCommand(
      this.commands,
      { type: 'RevokeRecord', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
