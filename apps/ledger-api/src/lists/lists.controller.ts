import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { blackListProjection, keySupervisionListProjection, redListProjection } from '@ledger/projections';
import { PageQuery, type Page } from '../common/page-query.dto';
import { ReadModelFreshness } from '../read-models/min-position';
import { ListDocuments } from './list-documents.query';

@ApiTags('lists')
@ApiSecurity('api-key')
@Controller('lists')
export class ListsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Get('red')
  @ApiOperation({
    summary: 'Red list (诚信红榜): trustworthy subjects, with the honours that put them there',
  })
  red(@Query() query: PageQuery): Promise<Page<unknown>> {
    return this.list(redListProjection.name, query);
  }

  @Get('black')
  @ApiOperation({
    summary: 'Black list (严重失信主体名单): seriously dishonest subjects, reasons and measures',
  })
  black(@Query() query: PageQuery): Promise<Page<unknown>> {
    return this.list(blackListProjection.name, query);
  }

  @Get('key-supervision')
  @ApiOperation({ summary: 'Key supervision list (重点监管名单) of private schools and institutions' })
  keySupervision(@Query() query: PageQuery): Promise<Page<unknown>> {
    return this.list(keySupervisionListProjection.name, query);
  }

  private async list(projection: string, query: PageQuery): Promise<Page<unknown>> {
    await this.freshness.waitFor(query.minPosition);
    return this.queries.execute(new ListDocuments(projection, query));
  }
}
