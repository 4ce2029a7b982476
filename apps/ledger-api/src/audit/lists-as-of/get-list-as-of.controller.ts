import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { legalPersonKinds, naturalPersonKinds, type CreditList } from '@ledger/domain';
import { jurisdictionPrefix } from '../../common/page-query.dto';
import { IsDivisionCode } from '../../common/validators';
import { ErrorResponse } from '../../errors/error-response';
import { AsOfQuery, TIME_AXES_DOC } from '../common/time-query';
import { GetListAsOf, type ListAsOfPage } from './get-list-as-of.query';

const LISTS: Record<string, CreditList> = {
  red: 'red',
  black: 'black',
  'key-supervision': 'key_supervision',
};
const kinds = [...legalPersonKinds, ...naturalPersonKinds];

export class ListAsOfQuery extends AsOfQuery {
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
}

@ApiTags('history')
@ApiSecurity('api-key')
@Controller('lists')
export class GetListAsOfController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':list/as-of')
  @ApiOperation({
    summary: 'A list (red, black, key supervision) as it was at an instant',
    description:
      'Computed from the ListMembershipChanged events up to `asOf`, kept per list and subject in a history read model: ' +
      'the cost is one read of every subject that was ever on that list (in the jurisdiction and kind asked), not a pass over the feed. ' +
      TIME_AXES_DOC +
      ' Entries of minors (restricted) never appear, as on the live lists.',
  })
  @ApiParam({ name: 'list', enum: Object.keys(LISTS) })
  @ApiOkResponse({ description: 'Entries in force at asOf, ordered by the date they entered' })
  @ApiResponse({ status: 400, type: ErrorResponse })
  @ApiResponse({ status: 503, type: ErrorResponse, description: 'READ_MODEL.NOT_CAUGHT_UP' })
  async listAsOf(@Param('list') name: string, @Query() query: ListAsOfQuery): Promise<ListAsOfPage> {
    const list = LISTS[name];
    if (!list) {
      throw new BadRequestException({
        code: 'INPUT.VALIDATION_FAILED',
        message: `list must be one of ${Object.keys(LISTS).join(', ')}`,
        fields: [{ field: 'list', reasons: [`list must be one of ${Object.keys(LISTS).join(', ')}`] }],
      });
    }
    return this.queries.execute(
      new GetListAsOf(list, query.asOf, query.by, {
        jurisdictionPrefix: jurisdictionPrefix(query.jurisdiction),
        kind: query.kind,
        page: query.page,
        pageSize: query.pageSize,
      }),
    );
  }
}
