import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  reportingTimelinessProjection,
  type DocumentStore,
  type ReportingTimeliness,
} from '@ledger/projections';
import { DOCUMENT_STORE } from '../ledger/ledger.module';
import { ReadModelFreshness } from '../read-models/min-position';
import { Requires } from '../access/requires';

export class ReportingTimelinessQuery {
  @ApiPropertyOptional({ description: 'Only this department' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ description: 'Only this month, YYYY-MM', example: '2026-03' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  minPosition?: string;
}

@ApiTags('reports')
@ApiSecurity('api-key')
@Controller('reports')
export class ReportsController {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Get('reporting-timeliness')
  @Requires('reports.read')
  @ApiOperation({
    summary: 'Per department and month: decisions reported within 7 working days, and late (迟报)',
  })
  async timeliness(
    @Query() query: ReportingTimelinessQuery,
  ): Promise<{ items: Omit<ReportingTimeliness, 'lastPosition' | 'latePositions'>[] }> {
    await this.freshness.waitFor(query.minPosition);
    const { items } = await this.documents.query<ReportingTimeliness>(reportingTimelinessProjection.name, {
      kind: query.department,
      limit: 10_000,
      offset: 0,
    });
    const docs = items.map((item) => item.doc).filter((doc) => !query.month || doc.month === query.month);
    return {
      items: docs.map(({ lastPosition: _lastPosition, latePositions: _latePositions, ...rest }) => rest),
    };
  }
}
