import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Public } from '../auth/api-key.guard';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and readiness: the event store answers' })
  async health() {
    try {
      await this.store.ping();
      return { status: 'ok', store: { kind: this.store.kind, reachable: true, headPosition: await this.store.headPosition() } };
    } catch (error) {
      throw new ServiceUnavailableException({
        status: 'unavailable',
        store: { kind: this.store.kind, reachable: false, error: (error as Error).message },
      });
    }
  }
}
