// The work that follows the store's feed, run inside the API process: read models, the deadline scheduler
// (and the Kafka relay when configured). One owner starts them in order and stops them in reverse, then
// closes the stores, so nothing is ever written to a closed pool.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeadlineScheduler, type SchedulerLogEntry } from '@ledger/application';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ProjectionRunner, type DocumentStore } from '@ledger/projections';
import { DOCUMENT_STORE } from '../read-models/read-models.module';

@Injectable()
export class LedgerWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workers');

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
    private readonly scheduler: DeadlineScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections.start();
    this.logger.log({ msg: 'read models following the feed', from: this.projections.position });
    // Deadlines come from a read model: let it catch up first, or settled deadlines would be re-tried once.
    void this.projections
      .waitFor(await this.events.headPosition(), 10 * 60_000)
      .catch(() => undefined)
      .then(() => this.scheduler.start());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.projections.stop();
    await this.documents.close();
    await this.events.close();
    this.logger.log({ msg: 'workers stopped, stores closed' });
  }
}

export function schedulerLog(logger: Logger) {
  return ({ level, ...entry }: SchedulerLogEntry): void => {
    if (level === 'error') logger.error(entry);
    else if (level === 'warn') logger.warn(entry);
    else if (level === 'debug') logger.debug(entry);
    else logger.log(entry);
  };
}
