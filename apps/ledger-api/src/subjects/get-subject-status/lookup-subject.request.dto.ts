import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** A lookup by identifier: in a body, so resident ID numbers never travel in a URL (logs, proxies, history). */
export class LookupSubjectRequest {
  @ApiProperty({
    description: 'Resident ID number (18 characters) or Unified Social Credit Code',
    example: '91350200MA2XXXXXXX',
  })
  @IsString({ message: 'identifier must be a string' })
  @Matches(/^[0-9A-Za-z]{18}$/, { message: 'identifier must be 18 letters or digits (resident ID or USCC)' })
  identifier: string;
}
