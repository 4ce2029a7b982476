import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { penaltyDisclosureProjection } from '@ledger/projections';
import { Public } from '../auth/api-key.guard';
import { PageQuery, type Page } from '../common/page-query.dto';
import { ListDocuments } from '../lists/list-documents.query';
import { ReadModelFreshness } from '../read-models/min-position';

@ApiTags('disclosures')
@Controller('disclosures')
export class DisclosuresController {
  constructor(
    private readonly queries: QueryBus,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Get('penalties')
  @Public()
  @ApiOperation({
    summary: 'Double publicity (双公示): penalties within their publicity period',
    description:
      "Public. Natural persons' ID numbers are masked; students' and warning-only records never appear. Each item " +
      'carries the double-publicity subject block `subjectIdentity`: `category` (CF_XDR_LB) and, for a legal ' +
      'person, its `uscc` (CF_XDR_SHXYM); for an adult natural person `idType` 身份证 and the masked `idNumber` ' +
      '(CF_XDR_ZJLX / CF_XDR_ZJHM); for a minor both are null. The lists carry the same block.',
  })
  async penalties(@Query() query: PageQuery): Promise<Page<unknown>> {
    await this.freshness.waitFor(query.minPosition);
    return this.queries.execute(new ListDocuments(penaltyDisclosureProjection.name, query));
  }
}
