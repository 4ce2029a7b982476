import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { IsText } from '../../common/validators';

export class AnswerReportConfirmationRequest {
  @ApiProperty({ enum: ['confirmed', 'contested'], description: 'The teacher’s answer' })
  @IsIn(['confirmed', 'contested'], { message: 'answer must be confirmed or contested' })
  answer: 'confirmed' | 'contested';

  @ApiPropertyOptional({ description: 'Contest only: the record contested', format: 'uuid' })
  @ValidateIf((body: AnswerReportConfirmationRequest) => body.answer === 'contested')
  @IsUUID('all', { message: 'recordId must be a UUID (required to contest)' })
  recordId?: string;

  @ApiPropertyOptional({ description: 'Contest only: the grounds (异议理由)', maxLength: 2000 })
  @ValidateIf((body: AnswerReportConfirmationRequest) => body.answer === 'contested')
  @IsText(2000)
  grounds?: string;

  @ApiPropertyOptional({ description: 'Contest only: another unit must verify the facts (7 working days)' })
  @IsOptional()
  @IsBoolean()
  requiresExternalVerification?: boolean;
}
