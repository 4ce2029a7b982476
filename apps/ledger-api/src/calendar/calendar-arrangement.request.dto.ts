// What a State Council notice says about a year, as a request body. Only the shape is checked here: the
// calendar decider says which dates cannot be right (another year's, listed twice, a weekday make-up day),
// naming the element at fault (`holidays[3]`).
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsString, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsText } from '../common/validators';

export class CalendarNoticeRequest {
  @ApiProperty({
    description: 'Document number of the notice',
    example: '国办发明电〔2026〕X号',
    maxLength: 100,
  })
  @IsText(100)
  documentNumber: string;

  @ApiProperty({ example: '国务院办公厅关于2027年部分节假日安排的通知', maxLength: 200 })
  @IsText(200)
  title: string;

  @ApiProperty({
    description: 'Date the notice was published (not after today)',
    format: 'date',
    example: '2026-11-10',
  })
  @IsCalendarDate()
  publishedOn: string;
}

export class CalendarArrangementRequest {
  @ApiProperty({
    description: "Every day off of the year's holiday periods, weekend days inside a period included",
    type: [String],
    format: 'date',
    example: ['2027-01-01', '2027-01-02', '2027-01-03'],
  })
  @IsArray()
  @ArrayMaxSize(366)
  @IsString({ each: true })
  holidays: string[];

  @ApiProperty({
    description: 'Saturdays and Sundays worked instead (调休)',
    type: [String],
    format: 'date',
    example: ['2027-01-31'],
  })
  @IsArray()
  @ArrayMaxSize(366)
  @IsString({ each: true })
  makeUpWorkingDays: string[];

  @ApiProperty({ type: CalendarNoticeRequest })
  @IsObject()
  @ValidateNested()
  @Type(() => CalendarNoticeRequest)
  notice: CalendarNoticeRequest;
}

export class PublishCalendarYearRequest extends CalendarArrangementRequest {
  @ApiProperty({ example: 2027 })
  @IsInt()
  @Min(1000)
  @Max(9999)
  year: number;
}
