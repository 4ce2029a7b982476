import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, newRecordId, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { ApplyForRepairRequest } from './apply-for-repair.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class ApplyForRepairController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/repairs')
  @Requires('records.write')
  @ApiOperation({
    summary: 'Apply for credit repair of a penalty (信用修复申请)',
    description:
      'From the day the minimum publicity period ends (422 REPAIR.MINIMUM_PERIOD_NOT_REACHED before it); a tier ' +
      'whose publicity ends automatically (minor: minimum = maximum) is never repaired (422 ' +
      'REPAIR.PUBLICITY_ENDS_AUTOMATICALLY); what the policy says ' +
      'cannot be repaired is refused with its reason. `recordId` in the answer is the new application id.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  apply(
    @Param('subjectId', UuidParam) subjectId: string,
    @Body() body: ApplyForRepairRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const applicationId = newRecordId(subjectId, context);
    return executeSubjectCommand(
      this.commands,
      { type: 'ApplyForRepair', data: { ...body, subjectId, applicationId } },
      context,
      applicationId,
    );
  }
}
