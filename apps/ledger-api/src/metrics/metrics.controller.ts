// GET /metrics: the Prometheus text exposition, for a scraper holding an API key of a role with `metrics.read`
// (`monitoring`, or `admin`). Prometheus sends the key as `authorization: {credentials: <key>}` (Bearer).
import { Controller, Get, Header, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { LedgerMetrics } from '@ledger/runtime';
import { Requires } from '../access/requires';
import { METRICS } from '../ledger/ledger.module';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: LedgerMetrics | null) {}

  @Get()
  @Requires('metrics.read')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Operational metrics in the Prometheus text format',
    description:
      'HTTP durations by route, command outcomes, append durations, follower lag, relay and dead-letter counts, ' +
      'digest age, the last verification, process figures (README "Operations: metrics"). 404 METRICS.OFF with ' +
      'LEDGER_METRICS=off.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.metrics)
      throw new NotFoundException({ code: 'METRICS.OFF', message: 'Metrics are off (LEDGER_METRICS=off)' });
    const { contentType, body } = await this.metrics.exposition();
    void reply.header('content-type', contentType);
    return body;
  }
}
