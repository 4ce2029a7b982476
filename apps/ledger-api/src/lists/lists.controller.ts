import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { blackListProjection, keySupervisionListProjection, redListProjection } from '@ledger/projections';
import type { AccessPolicy } from '@ledger/domain';
import { ACCESS_POLICY } from '../access/access-policy.provider';
import type { PermittedRequest } from '../access/permission.guard';
import { scopedJurisdiction } from '../access/scoped-jurisdiction';
import { PageQuery, type Page } from '../common/page-query.dto';
import { ReadModelFreshness } from '../read-models/min-position';
import { ListDocuments } from './list-documents.query';
import { Requires } from '../access/requires';

@ApiTags('lists')
@ApiSecurity('api-key')
@Controller('lists')
export class ListsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly freshness: ReadModelFreshness,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Get('red')
  @Requires('lists.read')
  @ApiOperation({
    summary: 'Red list (诚信红榜): trustworthy subjects, with the honours that put them there',
  })
  red(@Query() query: PageQuery, @Req() request: PermittedRequest): Promise<Page<unknown>> {
    return this.list(request, redListProjection.name, query);
  }

  @Get('black')
  @Requires('lists.read')
  @ApiOperation({
    summary: 'Black list (严重失信主体名单): seriously dishonest subjects, reasons and measures',
  })
  black(@Query() query: PageQuery, @Req() request: PermittedRequest): Promise<Page<unknown>> {
    return this.list(request, blackListProjection.name, query);
  }

  @Get('key-supervision')
  @Requires('lists.read')
  @ApiOperation({ summary: 'Key supervision list (重点监管名单) of private schools and institutions' })
  keySupervision(@Query() query: PageQuery, @Req() request: PermittedRequest): Promise<Page<unknown>> {
    return this.list(request, keySupervisionListProjection.name, query);
  }

  /** Only the caller's divisions: a jurisdiction outside them is a 403, none means the caller's own. */
  private async list(
    request: PermittedRequest,
    projection: string,
    query: PageQuery,
  ): Promise<Page<unknown>> {
    const jurisdiction = scopedJurisdiction(this.policy, request.actor!, 'lists.read', query.jurisdiction);
    await this.freshness.waitFor(query.minPosition);
    return this.queries.execute(new ListDocuments(projection, { ...query, jurisdiction }));
  }
}
