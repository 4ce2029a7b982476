import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsUUID, ValidateNested } from 'class-validator';
import type { CommitmentDisclosure, CommitmentType } from '@ledger/domain';
import { OrganisationDto } from '../../common/organisation.dto';
import { IsCalendarDate, IsOmittable, IsOneOf, IsText, vocabulary } from '../../common/validators';

const types = vocabulary<CommitmentType>({
  in_place_of_approval: true,
  missing_documents_accepted: true,
  in_place_of_certificate: true,
  credit_repair: true,
  industry_self_discipline: true,
  voluntary: true,
  other: true,
});

const disclosures = vocabulary<CommitmentDisclosure>({ public: true, restricted: true, not_public: true });

export class SignCommitmentRequest {
  @ApiProperty({
    description:
      'Commitment code (信用承诺编码): 6-digit division + 8-digit date made + 6-digit serial; unique for the subject',
    example: '35020320261009000123',
    maxLength: 20,
  })
  @IsText(20)
  code: string;

  @ApiProperty({
    description:
      '审批替代型, 容缺受理型, 证明事项型, 信用修复型 (names the penalty), 行业自律型, 主动型, 其他',
    enum: types,
    example: 'in_place_of_certificate',
  })
  @IsOneOf(types)
  type: CommitmentType;

  @ApiProperty({ example: '申请民办培训机构年度检查，以承诺代替消防安全检查合格证明', maxLength: 2000 })
  @IsText(2000)
  reason: string;

  @ApiProperty({
    example: '本机构承诺所提交材料真实有效，培训场所符合消防安全要求，并于30日内补交消防安全检查合格证明。',
    maxLength: 2000,
  })
  @IsText(2000)
  content: string;

  @ApiProperty({
    example: '如违反承诺，自愿接受撤销年检结论、记入失信信息并依法承担相应法律责任。',
    maxLength: 2000,
  })
  @IsText(2000)
  liabilityOnBreach: string;

  @ApiProperty({ description: 'Date made, not after today', format: 'date', example: '2026-10-09' })
  @IsCalendarDate()
  madeOn: string;

  @ApiProperty({ description: 'Last day the commitment binds', format: 'date', example: '2026-11-08' })
  @IsCalendarDate()
  validUntil: string;

  @ApiProperty({ description: 'Unit that accepted the commitment', type: OrganisationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OrganisationDto)
  acceptingUnit: OrganisationDto;

  @ApiProperty({ enum: disclosures, example: 'public' })
  @IsOneOf(disclosures)
  disclosure: CommitmentDisclosure;

  @ApiPropertyOptional({
    description: 'For a repair commitment (credit_repair): the penalty it is made about',
    format: 'uuid',
  })
  @IsOmittable()
  @IsUUID('all')
  relatedPenaltyId?: string;
}
