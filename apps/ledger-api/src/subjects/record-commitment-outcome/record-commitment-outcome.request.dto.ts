import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommitmentOutcome } from '@ledger/domain';
import { IsOmittable, IsOneOf, IsText, vocabulary } from '../../common/validators';

const outcomes = vocabulary<CommitmentOutcome>({ kept: true, partly_kept: true, not_kept: true });

export class RecordCommitmentOutcomeRequest {
  @ApiProperty({
    description: 'Kept (履约), partly kept (部分履约) or not kept (未履约)',
    enum: outcomes,
    example: 'not_kept',
  })
  @IsOneOf(outcomes)
  outcome: CommitmentOutcome;

  @ApiPropertyOptional({
    description: 'What was not kept; required unless kept',
    example: '逾期未补交消防安全检查合格证明，经现场核查培训场所消防通道堵塞。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  unkeptContent?: string;

  @ApiPropertyOptional({
    description: 'Liability pursued; required unless kept',
    example: '撤销年检合格结论，责令限期整改，记入失信信息。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  liabilityPursued?: string;
}
