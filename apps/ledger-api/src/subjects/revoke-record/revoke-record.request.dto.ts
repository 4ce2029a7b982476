import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../../common/validators';

export class RevokeRecordRequest {
  @ApiProperty({
    description: 'Why the record is withdrawn',
    example: '该行政处罚决定已被行政复议机关撤销（厦府复决〔2026〕21号）。',
    maxLength: 2000,
  })
  @IsText(2000)
  reason: string;
}
