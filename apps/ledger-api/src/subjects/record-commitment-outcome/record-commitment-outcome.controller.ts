import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { RecordCommitmentOutcomeRequest } from './record-commitment-outcome.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class RecordCommitmentOutcomeController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/commitments/:recordId/outcome')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Record whether a commitment was kept (承诺履约情况)',
    description:
      'Not kept (违诺) is dishonest information and puts the subject on the black list; a breached repair commitment republishes its penalty.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  record(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('recordId', UuidParam) recordId: string,
    @Body() body: RecordCommitmentOutcomeRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    return executeSubjectCommand(
      this.commands,
      { type: 'RecordCommitmentOutcome', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
