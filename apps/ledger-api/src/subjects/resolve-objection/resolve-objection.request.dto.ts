import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { RecordCorrectionsDto } from '../../common/record-corrections.dto';
import { IsOmittable, IsOneOf, IsText } from '../../common/validators';

const outcomes = ['upheld', 'corrected'] as const;

export class ResolveObjectionRequest {
  @ApiProperty({ description: 'Upheld (维持) or corrected (更正)', enum: outcomes, example: 'corrected' })
  @IsOneOf(outcomes)
  outcome: (typeof outcomes)[number];

  @ApiProperty({ example: '经核查处罚决定书原件，录入的罚款金额有误，予以更正。', maxLength: 2000 })
  @IsText(2000)
  reason: string;

  @ApiPropertyOptional({
    description: 'Required when corrected: the fields as they should read',
    type: RecordCorrectionsDto,
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RecordCorrectionsDto)
  corrections?: RecordCorrectionsDto;
}
