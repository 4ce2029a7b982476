import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { divisionLevelOf, legalPersonKinds, naturalPersonKinds } from '@ledger/domain';
import { IsDivisionCode } from './validators';

const kinds = [...legalPersonKinds, ...naturalPersonKinds];

export class PageQuery {
  @ApiPropertyOptional({
    description:
      'Division code: a province (110000), city (110100) or county (110105); includes what lies within',
  })
  @IsOptional()
  @IsDivisionCode()
  jurisdiction?: string;

  @ApiPropertyOptional({ enum: kinds })
  @IsOptional()
  @IsIn(kinds, { message: `kind must be one of: ${kinds.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;

  @ApiPropertyOptional({ description: 'Wait until read models reached this global position' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  minPosition?: string;
}

const PREFIX_LENGTH = { national: 0, province: 2, city: 4, county: 6 } as const;

/** '110000' → '11', '110100' → '1101', '110105' → '110105', '000000' → no filter. */
export function jurisdictionPrefix(jurisdiction: string | undefined): string | undefined {
  if (!jurisdiction) return undefined;
  const length = PREFIX_LENGTH[divisionLevelOf(jurisdiction)];
  return length === 0 ? undefined : jurisdiction.slice(0, length);
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}
