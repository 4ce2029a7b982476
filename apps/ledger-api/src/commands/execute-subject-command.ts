// The edge's single command: every subject use case sends one of these through @nestjs/cqrs.
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type SubjectCommandExecutor,
  type CommandResult,
  type RequestContext,
  type SubjectCommandRequest,
} from '@ledger/application';
import { SUBJECT_COMMANDS } from '../ledger/ledger.module';

export class ExecuteSubjectCommand {
  constructor(
    readonly request: SubjectCommandRequest,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(ExecuteSubjectCommand)
export class ExecuteSubjectCommandHandler implements ICommandHandler<ExecuteSubjectCommand, CommandResult> {
  constructor(@Inject(SUBJECT_COMMANDS) private readonly commands: SubjectCommandExecutor) {}

  execute({ request, context }: ExecuteSubjectCommand): Promise<CommandResult> {
    return this.commands.execute(request, context);
  }
}
