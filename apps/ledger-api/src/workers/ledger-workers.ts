// The work that follows the store's feed, run inside the API process: read models, the deadline scheduler,
// joint-discipline case initiation and, when KAFKA_BROKERS is set, the relay and the feedback consumer.
// One owner starts them in order and stops them in reverse, then closes the stores, so nothing is ever
// written to a closed pool.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DeadlineScheduler, WorkingCalendars, type SchedulerLogEntry } from '@ledger/application';
import { parseBrokers, startMessaging, type Messaging } from '@ledger/messaging';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ProjectionRunner, type DocumentStore } from '@ledger/projections';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config';
import { DOCUMENT_STORE } from '../read-models/read-models.module';

@Injectable()
export class LedgerWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workers');
  private messaging: Messaging | undefined;

  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
    private readonly scheduler: DeadlineScheduler,
    private readonly calendars: WorkingCalendars,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runWorkers) {
      this.logger.warn({
        msg: 'LEDGER_WORKERS=off: read models, scheduler and messaging are not run by this process',
      });
      return;
    }
    await this.projections.start();
    this.logger.log({ msg: 'read models following the feed', from: this.projections.position });
    // Deadlines come from a read model: let it catch up first, or settled deadlines would be re-tried once.
    void this.projections
      .waitFor(await this.events.headPosition(), 10 * 60_000)
      .catch(() => undefined)
      .then(() => this.scheduler.start());
    this.messaging = await startMessaging(this.events, this.documents, {
      brokers: parseBrokers(this.config.kafkaBrokers),
      ...this.config.kafkaSecurity,
      policyVersion: this.config.policyVersion,
      calendar: this.calendars.current,
      clientId: 'credit-ledger',
      log: new Logger('Messaging'),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging?.stop();
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
