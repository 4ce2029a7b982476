import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { legalPersonKinds, naturalPersonKinds, type SubjectKind } from '@ledger/domain';
import { IsDivisionCode, IsSubjectIdentifier } from '../../common/validators';

const kinds = [...legalPersonKinds, ...naturalPersonKinds];

export class RegisterSubjectRequest {
  @ApiProperty({ enum: kinds, example: 'training_institution' })
  @IsIn(kinds, { message: `kind must be one of: ${kinds.join(', ')}` })
  kind: SubjectKind;

  @ApiProperty({ example: '北京某某教育科技有限公司', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({
    description:
      'Unified Social Credit Code (legal persons) or resident ID number (natural persons); check character validated',
    example: '91350200776049653A',
  })
  @IsSubjectIdentifier()
  identifier: string;

  @ApiPropertyOptional({
    description: 'Accept an early pilot USCC that fails its checksum; the override is recorded',
  })
  @IsOptional()
  @IsBoolean()
  allowLegacyChecksum?: boolean;

  @ApiProperty({ description: '6-digit administrative division code', example: '110108' })
  @IsDivisionCode()
  jurisdiction: string;
}
