// An organisation named by a record (deciding authority, data source, accepting or issuing unit): name and USCC.
import { ApiProperty } from '@nestjs/swagger';
import type { Organisation } from '@ledger/domain';
import { IsText, IsUscc } from './validators';

export class OrganisationDto implements Organisation {
  @ApiProperty({ example: '北京市海淀区教育委员会', maxLength: 200 })
  @IsText(200)
  name: string;

  @ApiProperty({
    description: 'Unified Social Credit Code; check character validated',
    example: '11110108000087917R',
  })
  @IsUscc()
  uscc: string;
}
