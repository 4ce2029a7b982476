import { Body, Controller, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { subjectIdFor, type CommandResult, type RequestContext } from '@ledger/application';
import type { LedgerConfig } from '@ledger/runtime';
import { LEDGER_CONFIG } from '../../ledger/ledger.module';
import { CommandAccepted } from '../../commands/command-accepted.dto';
import { CommandRequest } from '../../commands/command-request';
import { ExecuteSubjectCommand } from '../../commands/execute-subject-command';
import { CommandErrors } from '../../errors/api-errors.decorator';
import { RegisterSubjectRequest } from './register-subject.request.dto';
import { Requires } from '../../access/requires';

@ApiTags('subjects')
@ApiSecurity('api-key')
@Controller('subjects')
export class RegisterSubjectController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post()
  @Requires('subjects.register')
  @ApiOperation({
    summary: 'Register a credit subject (school, institution, teacher, student…)',
    description:
      'The subject id is derived from the identifier, so one identifier is one subject: registering it again is a 409.',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  @CommandErrors()
  async register(
    @Body() body: RegisterSubjectRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<CommandAccepted> {
    const subjectId = subjectIdFor(body.identifier, this.config.idSecret);
    const result: CommandResult = await this.commands.execute(
      new ExecuteSubjectCommand({ type: 'RegisterSubject', data: { subjectId, ...body } }, context),
    );
    return CommandAccepted.of(subjectId, result, subjectId);
  }
}
