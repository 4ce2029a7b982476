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
    description:
      'Its outcome is recorded once assessed; a commitment not kept is dishonest information. The code is ' +
      'cross-checked (400 with the field): its date is `madeOn` (COMMITMENT.CODE_DATE_MISMATCH), its division is ' +
      "on the subject's branch of divisions (COMMITMENT.CODE_DIVISION_MISMATCH); `madeOn` is not in the future " +
      '(INPUT.DATE_IN_FUTURE) nor more than the policy allows ago (60 months: COMMITMENT.MADE_TOO_LONG_AGO); ' +
      '`validUntil` is not before `madeOn` (COMMITMENT.VALIDITY_BEFORE_DATE_MADE) nor more than the policy allows ' +
      'after it (60 months: COMMITMENT.VALIDITY_TOO_LONG).',
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
