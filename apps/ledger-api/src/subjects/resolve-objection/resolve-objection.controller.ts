import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@ledger/application';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { executeSubjectCommand, UuidParam } from '../../common/subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { ResolveObjectionRequest } from './resolve-objection.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class ResolveObjectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subjectId/objections/:objectionId/decision')
  @Requires('objections.resolve')
  @ApiOperation({
    summary: 'Resolve an objection: upheld or corrected (异议处理决定)',
    description:
      'The record is no longer disputed; a correction changes its fields, and the original event stays.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  resolve(
    @Param('subjectId', UuidParam) subjectId: string,
    @Param('objectionId', UuidParam) objectionId: string,
    @Body() body: ResolveObjectionRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    return executeSubjectCommand(
      this.commands,
      { type: 'ResolveObjection', data: { ...body, subjectId, objectionId } },
      context,
      objectionId,
    );
  }
}
