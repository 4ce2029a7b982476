import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { RecordCorrectionsDto } from '../../common/record-corrections.dto';
import { IsText } from '../../common/validators';

export class CorrectRecordRequest {
  @ApiProperty({
    description:
      'The fields as they should read; dates, categories and severity are not correctable (revoke and record again)',
    type: RecordCorrectionsDto,
  })
  @IsObject()
  @ValidateNested()
  @Type(() => RecordCorrectionsDto)
  corrections: RecordCorrectionsDto;

  @ApiProperty({
    description: 'Why the record is corrected',
    example: '数据录入错误：违法事实中涉及学员人数有误，依据原始卷宗更正。',
    maxLength: 2000,
  })
  @IsText(2000)
  reason: string;
}
