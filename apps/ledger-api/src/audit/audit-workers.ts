// The audit layer's work beside the ledger's own workers: the digest scheduler and the list history read
// model. Started after the stores open; stopped before the ledger's workers close the stores.
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { parseBrokers } from '@ledger/messaging';
import {
  auditProjections,
  DIGEST_STORE,
  DigestScheduler,
  type DigestStore,
  type LedgerDigest,
} from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ProjectionRunner, type DocumentStore } from '@ledger/projections';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config';
import { DOCUMENT_STORE } from '../read-models/read-models.module';
import { AUDIT_CONFIG, type AuditConfig } from './audit-config';
import { DigestRelay } from './digest-relay';

@Injectable()
export class AuditWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  readonly listHistory: ProjectionRunner;
  private readonly runs: boolean;
  readonly digestScheduler: DigestScheduler | undefined;
  /** Publishes stored digests to Kafka when KAFKA_BROKERS is set. */
  readonly digestRelay: DigestRelay | undefined;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(DOCUMENT_STORE) documents: DocumentStore,
    @Inject(DIGEST_STORE) digests: DigestStore | null,
    @Inject(AUDIT_CONFIG) config: AuditConfig,
    @Inject(LEDGER_CONFIG) ledgerConfig: LedgerConfig,
  ) {
    this.runs = ledgerConfig.runWorkers;
    const onError = (error: unknown) =>
      this.logger.error(error instanceof Error ? error : { msg: String(error) });
    this.listHistory = new ProjectionRunner(events, documents, auditProjections, { onError });
    this.digestScheduler =
      digests && config.digestsEnabled
        ? new DigestScheduler(events, digests, {
            everyEvents: config.digestEveryEvents,
            everySeconds: config.digestEverySeconds,
            onError,
            onDigest: (digest: LedgerDigest) => {
              this.logger.log({ msg: 'ledger digest', ...digest });
              this.digestRelay?.poke();
            },
          })
        : undefined;
    const brokers = parseBrokers(ledgerConfig.kafkaBrokers);
    this.digestRelay =
      digests && config.digestsEnabled && brokers.length > 0
        ? new DigestRelay(digests, documents, {
            brokers,
            ...ledgerConfig.kafkaSecurity,
            log: new Logger('DigestRelay'),
            topics: config.digestTopic ? { digests: config.digestTopic } : undefined,
          })
        : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runs) return;
    await this.listHistory.start();
    await this.digestScheduler?.start();
    await this.digestRelay?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.digestRelay?.stop();
    await this.digestScheduler?.stop();
    await this.listHistory.stop();
  }
}
