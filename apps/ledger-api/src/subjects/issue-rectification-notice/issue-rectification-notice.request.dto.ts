import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { OrganisationDto } from '../../common/organisation.dto';
import { IsCalendarDate, IsText } from '../../common/validators';

export class IssueRectificationNoticeRequest {
  @ApiProperty({
    description: 'Notice number (整改通知书文号)',
    example: '思教整改〔2026〕15号',
    maxLength: 100,
  })
  @IsText(100)
  noticeNumber: string;

  @ApiProperty({
    description: 'The finding, e.g. the negative-list item breached',
    example: '违反校外培训负面清单：超前超标培训，一次性预收费超过3个月',
    maxLength: 2000,
  })
  @IsText(2000)
  finding: string;

  @ApiProperty({
    example:
      '立即停止超前超标培训，将预收费调整为不超过3个月或60课时并纳入资金监管账户，于期限内提交整改报告。',
    maxLength: 2000,
  })
  @IsText(2000)
  requirements: string;

  @ApiProperty({ description: 'Date issued, not after today', format: 'date', example: '2026-11-02' })
  @IsCalendarDate()
  issuedOn: string;

  @ApiProperty({
    description: 'Last day to complete the rectification; after it the scheduler marks it overdue',
    format: 'date',
    example: '2026-12-02',
  })
  @IsCalendarDate()
  deadline: string;

  @ApiProperty({ type: OrganisationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OrganisationDto)
  issuingAuthority: OrganisationDto;
}
