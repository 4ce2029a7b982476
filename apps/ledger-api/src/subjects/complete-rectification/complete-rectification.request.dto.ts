import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate, IsText } from '../../common/validators';

export class CompleteRectificationRequest {
  @ApiProperty({
    description: 'Date the rectification was verified complete, not after today',
    format: 'date',
    example: '2026-11-20',
  })
  @IsCalendarDate()
  completedOn: string;

  @ApiProperty({
    description: 'How completion was verified',
    example: '经现场复查，该机构已停止超前培训，预收费已全部纳入资金监管账户，整改到位。',
    maxLength: 2000,
  })
  @IsText(2000)
  verification: string;
}
