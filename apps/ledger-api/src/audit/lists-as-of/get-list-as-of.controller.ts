import { BadRequestException, Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  IntersectionType,
  OmitType,
} from '@nestjs/swagger';
import type { AccessPolicy, CreditList } from '@ledger/domain';
import { ACCESS_POLICY } from '../../access/access-policy.provider';
import type { PermittedRequest } from '../../access/permission.guard';
import { scopedJurisdiction } from '../../access/scoped-jurisdiction';
import { jurisdictionPrefix, PageQuery } from '../../common/page-query.dto';
import { ErrorResponse } from '../../errors/error-response';
import { AsOfQuery, TIME_AXES_DOC } from '../common/time-query';
import { GetListAsOf, type ListAsOfPage } from './get-list-as-of.query';
import { Requires } from '../../access/requires';

const LISTS: Record<string, CreditList> = {
  red: 'red',
  black: 'black',
  'key-supervision': 'key_supervision',
};

/** The instant (and which clock) plus the same filters and paging as the live lists. */
export class ListAsOfQuery extends IntersectionType(
  AsOfQuery,
  OmitType(PageQuery, ['minPosition'] as const),
) {}

@ApiTags('history')
@ApiSecurity('api-key')
@Controller('lists')
export class GetListAsOfController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Get(':list/as-of')
  @Requires('history.read')
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
  async listAsOf(
    @Param('list') name: string,
    @Query() query: ListAsOfQuery,
    @Req() request: PermittedRequest,
  ): Promise<ListAsOfPage> {
    const list = Object.hasOwn(LISTS, name) ? LISTS[name] : undefined;
    if (!list) {
      throw new BadRequestException({
        code: 'INPUT.VALIDATION_FAILED',
        message: `list must be one of ${Object.keys(LISTS).join(', ')}`,
        fields: [{ field: 'list', reasons: [`list must be one of ${Object.keys(LISTS).join(', ')}`] }],
      });
    }
    const jurisdiction = scopedJurisdiction(this.policy, request.actor!, 'history.read', query.jurisdiction);
    return this.queries.execute(
      new GetListAsOf(list, query.asOf, query.by, {
        jurisdictionPrefix: jurisdictionPrefix(jurisdiction),
        kind: query.kind,
        page: query.page,
        pageSize: query.pageSize,
      }),
    );
  }
}
