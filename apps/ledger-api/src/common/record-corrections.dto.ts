// The fields an official correction may change (of a penalty, or of an honour). Whether a field fits the
// record it is sent for is the domain's answer (RECORD.FIELD_NOT_CORRECTABLE), not this shape's.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, Min } from 'class-validator';
import type { HonourCorrections, PenaltyCorrections } from '@ledger/domain';
import { IsOmittable, IsText } from './validators';

export class RecordCorrectionsDto implements PenaltyCorrections, HonourCorrections {
  @ApiPropertyOptional({
    description: 'Penalty: offence type (CF_WFXW)',
    example: '超出办学许可范围开展学科类培训',
    maxLength: 200,
  })
  @IsOmittable()
  @IsText(200)
  offenceType?: string;

  @ApiPropertyOptional({
    description: 'Penalty: facts (CF_SY)',
    example:
      '经查，当事人于2026年3月至6月期间超出办学许可范围，面向初中学生开展数学、物理学科类培训，涉及学员86人。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  facts?: string;

  @ApiPropertyOptional({
    description: 'Penalty: legal basis (CF_YJ)',
    example: '《中华人民共和国民办教育促进法》第六十二条',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  legalBasis?: string;

  @ApiPropertyOptional({
    description: 'Penalty: content (CF_NR)',
    example: '责令改正，退还所收费用，并处罚款人民币3万元。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  content?: string;

  @ApiPropertyOptional({
    description: 'Penalty: fine in units of 10,000 yuan (CF_NR_FK)',
    example: 3,
    minimum: 0,
  })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  fineAmountTenThousandYuan?: number;

  @ApiPropertyOptional({
    description: 'Penalty: confiscated unlawful gains in units of 10,000 yuan (CF_NR_WFFF)',
    example: 12.5,
    minimum: 0,
  })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  confiscationAmountTenThousandYuan?: number;

  @ApiPropertyOptional({
    description: 'Penalty: licence suspended or revoked (CF_NR_ZKDX)',
    example: '民办学校办学许可证 教民135020370000123号',
    maxLength: 200,
  })
  @IsOmittable()
  @IsText(200)
  licenceAffected?: string;

  @ApiPropertyOptional({
    description: 'Penalty: remarks (BZ)',
    example: '当事人已于2026年7月3日缴清罚款。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  remarks?: string;

  @ApiPropertyOptional({
    description: 'Honour: title',
    example: '2026年度厦门市中小学德育工作先进集体',
    maxLength: 200,
  })
  @IsOmittable()
  @IsText(200)
  title?: string;

  @ApiPropertyOptional({
    description: 'Honour: document number of the award',
    example: '厦教德〔2026〕8号',
    maxLength: 100,
  })
  @IsOmittable()
  @IsText(100)
  documentNumber?: string;

  @ApiPropertyOptional({
    description: 'Honour: description',
    example: '在立德树人、家校共育工作中成绩突出。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  description?: string;
}
