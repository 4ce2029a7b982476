// What every subject command endpoint shares: ids in the path, ids of new records, and sending the command.
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { isUUID } from 'class-validator';
import { createHash } from 'node:crypto';
import { uuidV7, type CommandResult, type SubjectCommandRequest } from '@ledger/application';
import { CommandAccepted } from '../commands/command-accepted.dto';
import type { HttpCommandContext } from '../commands/command-request';
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
export function newRecordId(subjectId: string, context: HttpCommandContext): string {
  if (context.idempotencyKey === undefined) return uuidV7();
  const bytes = createHash('sha256')
    .update(`${subjectId}\n${context.idempotencyKey}`, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: name-based on SHA-256 (RFC 9562 §B.2)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Sends one subject command through the bus and answers with what it wrote and the id it is about. */
export async function executeSubjectCommand(
  commands: CommandBus,
  request: SubjectCommandRequest,
  context: HttpCommandContext,
  recordId: string,
): Promise<CommandAccepted> {
  const result = await commands.execute<ExecuteSubjectCommand, CommandResult>(
    new ExecuteSubjectCommand(request, context),
  );
  return CommandAccepted.of(request.data.subjectId, result, recordId);
}
