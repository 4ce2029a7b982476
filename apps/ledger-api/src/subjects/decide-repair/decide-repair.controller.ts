import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { DecideRepairRequest } from './decide-repair.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class DecideRepairController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/repairs/:applicationId/decision')
  @Requires('repairs.decide')
  @ApiOperation({
    summary: 'Approve or reject a repair application (信用修复决定)',
    description:
      'An approval ends the penalty’s publicity early: it leaves the disclosure feed and no longer counts for lists or grade.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  decide(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('applicationId', UuidParam) applicationId: string,
    @Body() body: DecideRepairRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    return executeSubjectCommand(
      this.commands,
      { type: 'DecideRepair', data: { ...body, subjectId, applicationId } },
      context,
      applicationId,
    );
  }
}
