import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { SignCommitmentRequest } from './sign-commitment.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class SignCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/commitments')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Record a signed credit commitment (信用承诺)',
    description: 'Its outcome is recorded once assessed; a commitment not kept is dishonest information.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  sign(
    @Param('subjectId', UuidParam) subjectId: string,
    @Body() body: SignCommitmentRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const recordId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'SignCommitment', data: { ...body, subjectId, recordId } },
      context,
      recordId,
    );
  }
}
