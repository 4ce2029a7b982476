import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import type { HonourCategory } from '@ledger/domain';
import { IsCalendarDate, IsOmittable, IsOneOf, IsText, IsUscc, vocabulary } from '../../common/validators';

const categories = vocabulary<HonourCategory>({
  advanced_collective: true,
  advanced_individual: true,
  commendation: true,
  demonstration_school: true,
  other: true,
});

/** An awarding body need not be a registered organisation (a committee, a conference), so its USCC is optional. */
export class AwardingBodyDto {
  @ApiProperty({ example: '厦门市教育局', maxLength: 200 })
  @IsText(200)
  name: string;

  @ApiPropertyOptional({
    description: 'Unified Social Credit Code; check character validated',
    example: '11350200004128876T',
  })
  @IsOmittable()
  @IsUscc()
  uscc?: string;
}

export class RecordHonourRequest {
  @ApiProperty({ example: '2026年度厦门市中小学德育工作先进集体', maxLength: 200 })
  @IsText(200)
  title: string;

  @ApiProperty({ enum: categories, example: 'advanced_collective' })
  @IsOneOf(categories)
  category: HonourCategory;

  @ApiProperty({ type: AwardingBodyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AwardingBodyDto)
  awardingBody: AwardingBodyDto;

  @ApiProperty({ description: 'Date awarded, not after today', format: 'date', example: '2026-09-10' })
  @IsCalendarDate()
  awardedOn: string;

  @ApiPropertyOptional({ example: '厦教德〔2026〕8号', maxLength: 100 })
  @IsOmittable()
  @IsText(100)
  documentNumber?: string;

  @ApiPropertyOptional({ example: '在立德树人、家校共育和课后服务工作中成绩突出。', maxLength: 2000 })
  @IsOmittable()
  @IsText(2000)
  description?: string;
}
