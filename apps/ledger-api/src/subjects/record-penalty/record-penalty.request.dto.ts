import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsNumber,
  IsObject,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  severityRank,
  type MisconductCategory,
  type PenaltyCategory,
  type SeverityTier,
} from '@ledger/domain';
import { OrganisationDto } from '../../common/organisation.dto';
import { IsCalendarDate, IsOmittable, IsOneOf, IsText, vocabulary } from '../../common/validators';

const categories = vocabulary<PenaltyCategory>({
  warning: true,
  notice_of_criticism: true,
  fine: true,
  confiscation: true,
  licence_suspended: true,
  licence_revoked: true,
  qualification_downgraded: true,
  activities_restricted: true,
  operations_suspended: true,
  ordered_to_close: true,
  employment_restricted: true,
  teacher_qualification_revoked: true,
  teacher_qualification_lost: true,
  degree_revoked: true,
  exam_result_voided: true,
  other: true,
});

const misconducts = vocabulary<MisconductCategory>({
  administrative_violation: true,
  academic_misconduct: true,
  qualification_fraud: true,
  exam_cheating: true,
  diploma_fraud: true,
  false_registration: true,
  teacher_ethics_violation: true,
  intentional_crime: true,
  deprivation_of_political_rights: true,
});

const severities = Object.keys(severityRank) as SeverityTier[];

export class LegalRepresentativeDto {
  @ApiProperty({ description: 'Legal representative (CF_FRDB)', example: '陈建国', maxLength: 100 })
  @IsText(100)
  name: string;

  @ApiProperty({ description: 'Type of identity document', example: '居民身份证', maxLength: 50 })
  @IsText(50)
  idType: string;

  @ApiProperty({
    description: 'Identity document number; masked in every public output',
    example: '350203198506123021',
    maxLength: 32,
  })
  @IsText(32)
  idNumber: string;
}

export class RecordPenaltyRequest {
  @ApiProperty({
    description: 'Decision document number (CF_WSH); unique for the subject',
    example: '思教罚决字〔2026〕第12号',
    maxLength: 100,
  })
  @IsText(100)
  documentNumber: string;

  @ApiProperty({
    description: 'Offence type (CF_WFXW)',
    example: '未取得办学许可证擅自开展学科类校外培训',
    maxLength: 200,
  })
  @IsText(200)
  offenceType: string;

  @ApiProperty({
    description: 'Facts of the offence (CF_SY)',
    example:
      '经查，当事人于2026年3月至6月期间，在未取得办学许可证的情况下面向中小学生开展数学、英语学科类培训，涉及学员120余人，收取培训费用共计38.6万元。',
    maxLength: 2000,
  })
  @IsText(2000)
  facts: string;

  @ApiProperty({
    description: 'Legal basis (CF_YJ)',
    example: '《中华人民共和国民办教育促进法》第六十四条；《校外培训行政处罚暂行办法》第十四条',
    maxLength: 2000,
  })
  @IsText(2000)
  legalBasis: string;

  @ApiProperty({
    description: 'Penalty categories (CF_CFLB); one decision may carry several',
    enum: categories,
    isArray: true,
    example: ['fine', 'confiscation'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(categories.length)
  @ArrayUnique()
  @IsOneOf(categories, { each: true })
  categories: PenaltyCategory[];

  @ApiPropertyOptional({
    description: 'The kind of dishonesty established; defaults to an administrative violation',
    enum: misconducts,
    example: 'administrative_violation',
  })
  @IsOmittable()
  @IsOneOf(misconducts)
  misconduct?: MisconductCategory;

  @ApiProperty({
    description: 'Penalty content (CF_NR)',
    example: '责令停止违法行为，退还所收费用，没收违法所得12.5万元，并处罚款人民币5万元。',
    maxLength: 2000,
  })
  @IsText(2000)
  content: string;

  @ApiPropertyOptional({
    description: 'Fine in units of 10,000 yuan (CF_NR_FK); required with the category `fine`',
    example: 5,
    minimum: 0,
  })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  fineAmountTenThousandYuan?: number;

  @ApiPropertyOptional({
    description:
      'Confiscated unlawful gains in units of 10,000 yuan (CF_NR_WFFF); required with the category `confiscation`',
    example: 12.5,
    minimum: 0,
  })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  confiscationAmountTenThousandYuan?: number;

  @ApiPropertyOptional({
    description: 'Licence suspended or revoked (CF_NR_ZKDX)',
    example: '民办学校办学许可证 教民135020370000123号',
    maxLength: 200,
  })
  @IsOmittable()
  @IsText(200)
  licenceAffected?: string;

  @ApiProperty({
    description: 'Decision date (CF_JDRQ), not after today; 7 working days later the record is reported late',
    format: 'date',
    example: '2026-11-16',
  })
  @IsCalendarDate()
  decisionDate: string;

  @ApiProperty({ description: 'Deciding authority (CF_CFJG, CF_CFJGDM)', type: OrganisationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OrganisationDto)
  authority: OrganisationDto;

  @ApiPropertyOptional({
    description: 'Data source unit (CF_SJLY, CF_SJLYDM); the authority when left out',
    type: OrganisationDto,
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => OrganisationDto)
  dataSource?: OrganisationDto;

  @ApiPropertyOptional({
    description: 'Legal representative of a legal person, with ID (masked when published)',
    type: LegalRepresentativeDto,
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalRepresentativeDto)
  legalRepresentative?: LegalRepresentativeDto;

  @ApiPropertyOptional({
    description: 'Remarks (BZ)',
    example: '当事人已于2026年11月18日缴清罚款。',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsText(2000)
  remarks?: string;

  @ApiProperty({
    description:
      'Severity tier as the authority classified it; a category may raise it (the longest publicity period applies)',
    enum: severities,
    example: 'general',
  })
  @IsOneOf(severities)
  severity: SeverityTier;
}
