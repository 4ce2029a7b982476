// Every error answer has one shape: a stable code a client can branch on, and words a person can read.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldError {
  @ApiProperty({ example: 'identifier' })
  field: string;
  @ApiProperty({ example: ['identifier must be a valid Unified Social Credit Code (check character)'] })
  reasons: string[];
}

export class ErrorBody {
  @ApiProperty({ example: 'INPUT.VALIDATION_FAILED' })
  code: string;
  @ApiProperty({ example: 'The request has invalid fields' })
  message: string;
  @ApiPropertyOptional({
    description: 'On 403: the permission that was missing, or that may not be used on this target',
    example: 'records.write',
  })
  permission?: string;
  @ApiPropertyOptional({ type: [FieldError] })
  fields?: FieldError[];
  @ApiPropertyOptional({ type: Object })
  details?: Record<string, unknown>;
}

export class ErrorResponse {
  @ApiProperty({ type: ErrorBody })
  error: ErrorBody;
}
