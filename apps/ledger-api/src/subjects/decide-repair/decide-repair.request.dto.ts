import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOmittable, IsOneOf, IsText } from '../../common/validators';

const decisions = ['approved', 'rejected'] as const;

export class DecideRepairRequest {
  @ApiProperty({ enum: decisions, example: 'approved' })
  @IsOneOf(decisions)
  decision: (typeof decisions)[number];

  @ApiPropertyOptional({
    description: 'Required for a rejection',
    example: '未提交罚款缴纳凭证，修复材料不齐全，不予修复。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  reason?: string;
}
