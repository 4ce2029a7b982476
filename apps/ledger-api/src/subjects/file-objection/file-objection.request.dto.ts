import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsUUID } from 'class-validator';
import { IsText } from '../../common/validators';

export class FileObjectionRequest {
  @ApiProperty({
    description: 'The record objected to',
    format: 'uuid',
    example: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d',
  })
  @IsUUID('all')
  recordId: string;

  @ApiProperty({
    description: 'Grounds of the objection (异议理由)',
    example: '公示的罚款金额为5万元，与处罚决定书原件载明的3万元不一致。',
    maxLength: 2000,
  })
  @IsText(2000)
  grounds: string;

  @ApiProperty({
    description:
      'Another unit must verify the facts: the longer decision deadline (7 working days instead of 3) applies',
    example: false,
  })
  @IsBoolean()
  requiresExternalVerification: boolean;
}
