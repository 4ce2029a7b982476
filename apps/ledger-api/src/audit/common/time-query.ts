// Query parameters about time, shared by the audit endpoints: which instant, on which clock.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';

export const INSTANT_MESSAGE_TEXT = 'must be an ISO 8601 instant with a zone, e.g. 2026-03-01T10:00:00+08:00';
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = INSTANT_MESSAGE_TEXT;

export const TIME_AXES_DOC =
  "`record`: record time, the store's clock when each event was appended (`recordedAt`): the answer the ledger gave at that " +
  'instant, late reports not yet known. `business`: business time, when the fact happened (`metadata.occurredAt`, e.g. a ' +
  "penalty's decision date at 00:00 Beijing time): what, as the ledger knows it now, was the case at that instant.";

export class AsOfQuery {
  @ApiProperty({
    description:
      'The instant asked about (ISO 8601 with a zone). Its Beijing date is the date the status is derived for.',
    example: '2026-03-01T10:00:00+08:00',
  })
  @Matches(INSTANT, { message: `asOf ${INSTANT_MESSAGE}` })
  @IsISO8601({ strict: true }, { message: 'asOf is not a real instant' })
  asOf: string;

  @ApiPropertyOptional({ enum: ['record', 'business'], default: 'record', description: TIME_AXES_DOC })
  @IsOptional()
  @IsIn(['record', 'business'], { message: 'by must be record or business' })
  by: 'record' | 'business' = 'record';

  @ApiPropertyOptional({
    description:
      'Business time only: use what the ledger knew at this record-time instant (bitemporal), not everything known now.',
    example: '2026-04-01T00:00:00+08:00',
  })
  @IsOptional()
  @Matches(INSTANT, { message: `knownAt ${INSTANT_MESSAGE}` })
  @IsISO8601({ strict: true }, { message: 'knownAt is not a real instant' })
  knownAt?: string;
}

export const isInstant = (value: string): boolean => INSTANT.test(value) && !Number.isNaN(Date.parse(value));
