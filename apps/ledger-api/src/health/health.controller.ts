import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ledger } from '@ledger/runtime';
import { Public } from '../auth/api-key.guard';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly ledger: Ledger) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Liveness and readiness: the event store answers; how far read models lag behind it',
  })
  async health() {
    const report = await this.ledger.health();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}
