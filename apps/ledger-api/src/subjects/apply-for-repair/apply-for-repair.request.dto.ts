import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsText } from '../../common/validators';

export class ApplyForRepairRequest {
  @ApiProperty({
    description: 'The penalty whose publicity the subject asks to end early',
    format: 'uuid',
    example: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d',
  })
  @IsUUID('all')
  recordId: string;

  @ApiProperty({
    description: "The subject's statement of how it corrected the conduct (信用修复申请)",
    example:
      '本机构已全额退还违规所收费用并缴清罚款，已依法取得办学许可证，建立了合规管理制度，特申请信用修复。',
    maxLength: 2000,
  })
  @IsText(2000)
  correctionStatement: string;
}
