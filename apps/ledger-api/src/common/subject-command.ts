// What every subject command endpoint shares: ids in the path, ids of new records, and sending the command.
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { isUUID } from 'class-validator';
import {
  uuidV7,
  uuidV8FromName,
  type CommandResult,
  type RequestContext,
  type SubjectCommandRequest,
} from '@ledger/application';
import { CommandAccepted } from '../commands/command-accepted.dto';
import { ExecuteSubjectCommand } from '../commands/execute-subject-command';
import { RequestValidationFailed } from '../errors/error.filter';

/** A path id (`subjectId`, `recordId`…) must be a UUID: anything else is a 400 naming it, never a lookup. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string, { data }: ArgumentMetadata): string {
    if (isUUID(value, 'all')) return value.toLowerCase();
    const field = data ?? 'id';
    throw new RequestValidationFailed([{ field, reasons: [`${field} must be a UUID`] }]);
  }
}

/**
 * The id of a record (or application, objection) a command creates. With an Idempotency-Key it is named
 * by the subject and the key, so a retried request names the same record the first one created and its
 * replayed answer is the first answer; without one it is a fresh time-ordered id.
 */
export function newRecordId(subjectId: string, context: RequestContext): string {
  return context.idempotencyKey === undefined
    ? uuidV7()
    : uuidV8FromName(`${subjectId}\n${context.idempotencyKey}`);
}

/** Sends one subject command through the bus and answers with what it wrote and the id it is about. */
export async function executeSubjectCommand(
  commands: CommandBus,
  request: SubjectCommandRequest,
  context: RequestContext,
  recordId: string,
): Promise<CommandAccepted> {
  const result = await commands.execute<ExecuteSubjectCommand, CommandResult>(
    new ExecuteSubjectCommand(request, context),
  );
  return CommandAccepted.of(request.data.subjectId, result, recordId);
}
