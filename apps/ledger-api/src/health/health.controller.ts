import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Public } from '../auth/api-key.guard';
import { ReadModelFreshness } from '../read-models/min-position';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModelFreshness,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Liveness and readiness: the event store answers; how far read models lag behind it',
  })
  async health() {
    try {
      await this.store.ping();
      const headPosition = await this.store.headPosition();
      const position = await this.readModels.position();
      return {
        status: 'ok',
        store: { kind: this.store.kind, reachable: true, headPosition },
        readModels: { position, positionsBehind: Math.max(0, headPosition - position) },
      };
    } catch (error) {
      throw new ServiceUnavailableException({
        status: 'unavailable',
        store: { kind: this.store.kind, reachable: false, error: (error as Error).message },
      });
    }
  }
}
