import { ApiProperty } from '@nestjs/swagger';
import type { CommandResult } from '@ledger/application';

export class CommandAccepted {
  @ApiProperty({
    description: 'Subject the command was about',
    example: '0193a1f2-7c4e-7b1a-9f00-2b1c3d4e5f60',
  })
  subjectId: string;
  @ApiProperty({
    description: 'Record, application or objection the command created or acted on',
    required: false,
  })
  recordId?: string;
  @ApiProperty({ type: [String], description: 'Ids of the events written (CloudEvent ids downstream)' })
  eventIds: readonly string[];
  @ApiProperty({ type: [String], example: ['PenaltyRecorded', 'ListMembershipChanged'] })
  eventTypes: readonly string[];
  @ApiProperty({
    description: "The subject stream's revision after the command; send it as If-Match to write on it",
  })
  streamRevision: number;
  @ApiProperty({
    description: 'Global position of the last event; pass as ?minPosition= to read your own write',
  })
  position: number;
  @ApiProperty({
    description: 'True when this is the stored answer to an earlier request with the same Idempotency-Key',
  })
  replayed: boolean;

  static of(subjectId: string, result: CommandResult, recordId?: string): CommandAccepted {
    return {
      subjectId,
      recordId,
      eventIds: result.eventIds,
      eventTypes: result.eventTypes,
      streamRevision: result.revision,
      position: result.position,
      replayed: result.replayed,
    };
  }
}
